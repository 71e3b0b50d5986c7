/* Refcounted objects: every token, credential and context starts with this header. */
#ifndef FS_CORE_OBJECT_H
#define FS_CORE_OBJECT_H

#include <stdatomic.h>

enum fs_object_kind {
    FS_OBJ_TOKEN = 1,
    FS_OBJ_CREDENTIAL,
    FS_OBJ_CONTEXT
};

struct fs_object {
    atomic_uint refs;
    enum fs_object_kind kind;
    void (*destroy)(struct fs_object *self); /* the one place that frees the object */
};

/* Starts life with one reference, owned by the creator. */
void fs_object_init(struct fs_object *obj, enum fs_object_kind kind, void (*destroy)(struct fs_object *));
struct fs_object *fs_object_ref(struct fs_object *obj);
void fs_object_unref(struct fs_object *obj);

#endif
