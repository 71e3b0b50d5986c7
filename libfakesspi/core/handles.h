/* The one handle table: tokens, credentials and contexts, generation-tagged, with tombstones, and the
 * one lookup every layer above uses (kind, tag and access checked here, pseudo-handles resolved here). */
#ifndef FS_CORE_HANDLES_H
#define FS_CORE_HANDLES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "error.h"
#include "object.h"

enum fs_handle_ownership {
    FS_HANDLE_OWNED = 1,   /* the caller must close it; it holds a reference */
    FS_HANDLE_BORROWED     /* lent by an owner; valid exactly while the owner lives; no reference */
};

#define FS_HANDLE_FLAG_INHERIT 0x1u
#define FS_HANDLE_FLAG_PROTECT_FROM_CLOSE 0x2u

/* A value as the caller holds it. A HANDLE is {value, 0}; a CredHandle or CtxtHandle is
 * {dwUpper, dwLower}, where the tag names the package and must match the one given at open. */
struct fs_handle_key {
    uintptr_t value;
    uintptr_t tag;
};
static inline struct fs_handle_key fs_handle_key(uintptr_t value) { return (struct fs_handle_key){value, 0}; }

/* Pseudo-handles (GetCurrentProcess(), the token pseudo-handles, ...) belong to the layer that knows
 * processes and tokens; it registers one resolver. It returns 0 when value is none of its
 * pseudo-handles, else 1 with either *obj (a NEW reference; *access the access it grants) or *obj NULL
 * and *err saying why there is no object (FS_E_NO_TOKEN, ...). */
typedef int (*fs_pseudo_resolver)(uintptr_t value, struct fs_object **obj, uint32_t *access, fs_err *err);
void fs_handle_set_pseudo_resolver(fs_pseudo_resolver fn);

/* Issues a new OWNED handle; the handle takes its own new reference on obj. */
FS_MUST_CHECK fs_err fs_handle_open(struct fs_object *obj, uint32_t access, uintptr_t tag, const char *api,
                                    uintptr_t *value_out);

/* Issues a BORROWED handle lent by owner (the owner's handle value, for reports); holds no reference.
 * The owner must call fs_handle_revoke() before it lets go of obj. */
FS_MUST_CHECK fs_err fs_handle_lend(struct fs_object *obj, uint32_t access, const char *api, uintptr_t owner,
                                    const struct fs_object_ops *owner_kind, uintptr_t *value_out);
void fs_handle_revoke(uintptr_t value, const char *api);

/* The one lookup: the object behind key if it is of `kind` (NULL: any kind), carries key's tag and
 * grants `need`. On success *obj_out is a NEW reference and *granted (may be NULL) its access.
 * A bad value, a wrong kind or a wrong tag is reported as misuse and gives FS_E_INVALID_HANDLE;
 * missing access gives FS_E_ACCESS_DENIED (not a misuse: Windows code probes for it). */
FS_MUST_CHECK fs_err fs_handle_get(struct fs_handle_key key, const struct fs_object_ops *kind, uint32_t need,
                                   const char *api, struct fs_object **obj_out, uint32_t *granted);

/* Closes an OWNED handle. A BORROWED one is reported (CLOSE_BORROWED) and stays open: FS_OK,
 * as Windows' CloseHandle succeeds. A protected one is reported and fails. A pseudo-handle: FS_OK,
 * nothing happens. */
FS_MUST_CHECK fs_err fs_handle_close(struct fs_handle_key key, const struct fs_object_ops *kind, const char *api);
/* The same, but hands the handle's reference to the caller (*taken, OWNED handles only; NULL for a
 * borrowed one), so an owner can tear down what hangs off the object before letting it go. */
FS_MUST_CHECK fs_err fs_handle_close_take(struct fs_handle_key key, const struct fs_object_ops *kind,
                                          const char *api, struct fs_object **taken);

/* Notes in the handle history that `copy` was made from `source` (DuplicateHandle, DuplicateTokenEx). */
void fs_handle_note_duplicate(uintptr_t source, uintptr_t copy, const struct fs_object_ops *kind, const char *api);

FS_MUST_CHECK fs_err fs_handle_get_flags(struct fs_handle_key key, const struct fs_object_ops *kind, const char *api,
                                         uint32_t *flags);
FS_MUST_CHECK fs_err fs_handle_set_flags(struct fs_handle_key key, const struct fs_object_ops *kind, const char *api,
                                         uint32_t mask, uint32_t flags);

void fs_handle_counts(size_t *owned, size_t *lent);
/* Reports each live OWNED handle as a leak; returns how many. */
size_t fs_handle_report_leaks(void);
/* Writes one paragraph per live OWNED handle opened after event `since` to out; returns how many. */
size_t fs_handle_list_since(uint64_t since, FILE *out);
/* Drops every handle without reports (the objects lose the references the handles held). */
void fs_handle_reset(void);
/* In a forked child: the open handles are the parent's, inherited; they stay usable and are no longer
 * the child's leaks (doc/semantics.md §39). The caller ensures no other thread holds the table. */
void fs_handle_fork_child(void);
void fs_handle_set_reuse(int windows_style);

#endif
