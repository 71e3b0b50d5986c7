/* The one handle table: tokens, credentials and contexts, generation-tagged, with tombstones. */
#ifndef FS_CORE_HANDLES_H
#define FS_CORE_HANDLES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "error.h"
#include "object.h"

enum fs_handle_kind {
    FS_HANDLE_TOKEN = 1,
    FS_HANDLE_CREDENTIAL,
    FS_HANDLE_CONTEXT,
    FS_HANDLE_KIND_COUNT
};

enum fs_handle_ownership {
    FS_HANDLE_OWNED = 1,   /* the caller must close it; it holds a reference */
    FS_HANDLE_BORROWED     /* lent by an owner; valid exactly while the owner lives; no reference */
};

#define FS_HANDLE_FLAG_INHERIT 0x1u
#define FS_HANDLE_FLAG_PROTECT_FROM_CLOSE 0x2u

/* Describes an object in reports ("token for EXAMPLE\alice, impersonation"). Registered by
 * the layer that owns the kind, so core never needs to know what a token is. */
typedef void (*fs_handle_describer)(const struct fs_object *obj, char *buf, size_t size);
void fs_handle_set_describer(enum fs_handle_kind kind, fs_handle_describer fn);

/* Issues a new OWNED handle; the handle takes its own new reference on obj. */
fs_err fs_handle_open(enum fs_handle_kind kind, struct fs_object *obj, uint32_t access, const char *api,
                      uintptr_t *value_out);

/* Issues a BORROWED handle lent by owner (a handle value, for reports); holds no reference.
 * The owner must call fs_handle_revoke() before it lets go of obj. */
fs_err fs_handle_lend(enum fs_handle_kind kind, struct fs_object *obj, uint32_t access, const char *api,
                      uintptr_t owner, const char *owner_kind, uintptr_t *value_out);
void fs_handle_revoke(uintptr_t value, const char *api);

/* Looks a handle up; on success *obj_out is a NEW reference the caller must unref.
 * A bad value is reported as misuse (kind by kind) and gives FS_E_INVALID_HANDLE. */
fs_err fs_handle_get(uintptr_t value, enum fs_handle_kind kind, const char *api, struct fs_object **obj_out,
                     uint32_t *access_out);

/* Closes an OWNED handle. A BORROWED one is reported (CLOSE_BORROWED) and stays open: FS_OK,
 * as Windows' CloseHandle succeeds. A protected one is reported and fails. */
fs_err fs_handle_close(uintptr_t value, enum fs_handle_kind kind, const char *api);
/* The same, but hands the handle's reference to the caller (*taken, OWNED handles only; NULL for a
 * borrowed one), so an owner can tear down what hangs off the object before letting it go. */
fs_err fs_handle_close_take(uintptr_t value, enum fs_handle_kind kind, const char *api, struct fs_object **taken);

/* Notes in the handle history that `copy` was made from `source` (DuplicateHandle, DuplicateTokenEx). */
void fs_handle_note_duplicate(uintptr_t source, uintptr_t copy, enum fs_handle_kind kind, const char *api);
/* NEW string (free()): the value's history, oldest first, each line prefixed by indent; NULL when the
 * ring holds nothing about it. */
char *fs_handle_history(uintptr_t value, int with_stacks, const char *indent);

fs_err fs_handle_get_flags(uintptr_t value, enum fs_handle_kind kind, const char *api, uint32_t *flags);
fs_err fs_handle_set_flags(uintptr_t value, enum fs_handle_kind kind, const char *api, uint32_t mask,
                           uint32_t flags);

void fs_handle_counts(size_t *owned, size_t *lent);
/* Reports each live OWNED handle as a leak; returns how many. */
size_t fs_handle_report_leaks(void);
/* Writes one paragraph per live OWNED handle opened after event `since` to out; returns how many. */
size_t fs_handle_list_since(uint64_t since, FILE *out);
/* Drops every handle without reports (the objects lose the references the handles held). */
void fs_handle_reset(void);
void fs_handle_set_reuse(int windows_style);

const char *fs_handle_kind_name(enum fs_handle_kind kind);

#endif
