/* Refcounted objects: every token, credential and context starts with this header, and each kind
 * is described once by its ops table (as wineserver's struct object_ops). */
#ifndef FS_CORE_OBJECT_H
#define FS_CORE_OBJECT_H

#include <stdatomic.h>
#include <stddef.h>

struct fs_object;

/* One per kind, defined by the layer that owns the kind, so core never needs to know what a token is. */
struct fs_object_ops {
    const char *name;      /* in reports and the trace: "token", "credential", "context" */
    const char *leak_name; /* after "fakesspi: LEAK ": "HANDLE", "CREDENTIAL", "CONTEXT" */
    /* One line for reports ("EXAMPLE\alice, impersonation"); may be NULL. */
    void (*describe)(const struct fs_object *self, char *buf, size_t size);
    /* The one place that frees an object of this kind; NULL for immortal objects (the process and
     * thread behind GetCurrentProcess()/GetCurrentThread()), which are never freed. */
    void (*destroy)(struct fs_object *self);
};

struct fs_object {
    atomic_uint refs;
    const struct fs_object_ops *ops;
};

/* Starts life with one reference, owned by the creator. */
void fs_object_init(struct fs_object *obj, const struct fs_object_ops *ops);
/* NEW reference to obj (returned for chaining). */
struct fs_object *fs_object_ref(struct fs_object *obj);
/* Drops one reference; NULL is allowed. */
void fs_object_unref(struct fs_object *obj);
/* The object as `ops`' kind, or NULL when it is of another kind: a BORROWED view of obj. */
static inline void *fs_object_as(struct fs_object *obj, const struct fs_object_ops *ops)
{
    return obj && obj->ops == ops ? obj : NULL;
}

#endif
