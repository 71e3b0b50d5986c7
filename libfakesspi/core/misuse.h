/* The one door for misuse and leak reports: counts, callback, policy. */
#ifndef FS_CORE_MISUSE_H
#define FS_CORE_MISUSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "fakesspi.h"
#include "origin.h"

/* What a report knows about the handle involved; any field may be 0/NULL. */
struct fs_misuse_detail {
    uintptr_t handle;
    const char *handle_kind;   /* "token", "credential", "context" */
    const char *ownership;     /* "OWNED", "BORROWED" */
    uintptr_t owner;           /* the lending object's handle, for BORROWED */
    const char *owner_kind;
    const struct fs_origin *opened;
    const struct fs_origin *closed;
    const char *closed_label;  /* "closed by", "revoked when its owner was deleted by" */
    const char *windows;       /* what Windows does here, one sentence */
};

void fs_misuse(fakesspi_misuse_kind kind, const char *api, const struct fs_misuse_detail *detail);

/* Leak reports: "fakesspi: LEAK <what>: <sentence>" then the origin. */
void fs_leak(const char *what, const char *sentence, const struct fs_origin *origin);

const char *fs_misuse_name(fakesspi_misuse_kind kind);
size_t fs_misuse_count(fakesspi_misuse_kind kind);

void fs_misuse_set_policy(fakesspi_misuse_policy policy);
void fs_misuse_set_callback(fakesspi_misuse_callback cb, void *arg);
/* Zeroes the counters; keeps policy and callback (the caller resets those from config). */
void fs_misuse_reset_counts(void);

#endif
