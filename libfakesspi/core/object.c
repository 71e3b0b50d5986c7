/* Reference counting shared by every emulated object. */
#include "object.h"
#include <stddef.h>

void fs_object_init(struct fs_object *obj, enum fs_object_kind kind, void (*destroy)(struct fs_object *))
{
    atomic_init(&obj->refs, 1);
    obj->kind = kind;
    obj->destroy = destroy;
}

struct fs_object *fs_object_ref(struct fs_object *obj)
{
    atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
    return obj;
}

void fs_object_unref(struct fs_object *obj)
{
    if (obj == NULL)
        return;
    if (atomic_fetch_sub_explicit(&obj->refs, 1, memory_order_acq_rel) == 1)
        obj->destroy(obj);
}
