/* Reference counting shared by every emulated object. */
#include "object.h"

void fs_object_init(struct fs_object *obj, const struct fs_object_ops *ops)
{
    atomic_init(&obj->refs, 1);
    obj->ops = ops;
}

struct fs_object *fs_object_ref(struct fs_object *obj)
{
    atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
    return obj;
}

void fs_object_unref(struct fs_object *obj)
{
    if (obj == NULL || !obj->ops->destroy)
        return;
    if (atomic_fetch_sub_explicit(&obj->refs, 1, memory_order_acq_rel) == 1)
        obj->ops->destroy(obj);
}
