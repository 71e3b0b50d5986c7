/* Handle history, as WinDbg's !htrace keeps it: a bounded ring of what happened to each handle value
 * (opened, lent, duplicated, closed, revoked, misused), each with its origin and stack. */
#ifndef FS_CORE_HTRACE_H
#define FS_CORE_HTRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "origin.h"

enum fs_htrace_what {
    FS_HTRACE_OPENED = 1,   /* value: the new OWNED handle */
    FS_HTRACE_LENT,         /* value: the BORROWED handle; related: its owner */
    FS_HTRACE_DUPLICATED,   /* value: the new handle; related: the source */
    FS_HTRACE_CLOSED,
    FS_HTRACE_REVOKED,      /* a BORROWED handle retired because its owner went */
    FS_HTRACE_MISUSED       /* misuse: one of fakesspi_misuse_kind */
};

#define FS_HTRACE_DEFAULT_EVENTS 4096u

/* Records one event; `kind` is the handle kind's name (STATIC), `misuse` a fakesspi_misuse_kind (MISUSED only). */
void fs_htrace_record(enum fs_htrace_what what, const char *kind, uintptr_t value, uintptr_t related, int misuse,
                      const struct fs_origin *where);

/* Writes, oldest first, every event that names value (as the handle or as the related one); with
 * stacks, each event's backtrace too. Returns how many were written. */
size_t fs_htrace_print(uintptr_t value, FILE *out, int with_stacks, const char *indent);

/* NEW string (free()): the value's history, oldest first, each line prefixed by indent; NULL when the
 * ring holds nothing about it. */
char *fs_htrace_history(uintptr_t value, int with_stacks, const char *indent);

/* Forgets every event and keeps `capacity` from now on (0 turns the history off). */
void fs_htrace_reset(size_t capacity);

#endif
