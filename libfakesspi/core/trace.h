/* The one trace writer (FAKESSPI_TRACE=stderr|PATH, FAKESSPI_TRACE_FORMAT=text|json,
 * FAKESSPI_TRACE_LEVEL=1|2): one line per call, in call order. */
#ifndef FS_CORE_TRACE_H
#define FS_CORE_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "flagnames.h"

/* A line being built. Every function is a no-op when tracing is off (t->on == 0). */
struct fs_trace {
    int on;
    uint64_t number; /* the call's number (core/origin's sequence) */
    int json;
    int level;
    int fields;
    int outputs; /* 0: still in the arguments; 1: outputs begun, none written yet; 2: writing them */
    FILE *mem;
    char *text;
    size_t len;
    char notes[192]; /* what happened during the call: "MISUSE CLOSE_BORROWED", "FAULT alloc#3" */
};

/* Opens the destination (NULL or "" turns tracing off); a path that cannot be opened is named on
 * stderr and tracing stays off. The same destination as before stays open and goes on: one trace per
 * process, across fakesspi_reset(), each reset marked by a record naming `label` (a test's name, or
 * NULL). A process forked from the one that opened the file appends to it, its records carrying its pid. */
void fs_trace_configure(const char *destination, int json, int level, const char *label);

/* Starts the line of call `number` (from fs_origin_call_begin()). */
void fs_trace_begin(struct fs_trace *t, const char *function, uint64_t number);
/* Adds a note to the line of the calling thread's call in progress, if one is being traced. */
void fs_trace_note(const char *note);
/* A line of its own for something that is not a call (a reset, a clock move): "#N [T] text". */
void fs_trace_record(const char *text);
void fs_trace_handle(struct fs_trace *t, const char *key, uintptr_t value);      /* 0 prints NULL */
void fs_trace_sec_handle(struct fs_trace *t, const char *key, const void *handle); /* PCredHandle / PCtxtHandle */
void fs_trace_string(struct fs_trace *t, const char *key, const char *value);
void fs_trace_number(struct fs_trace *t, const char *key, uint64_t value);
void fs_trace_flags(struct fs_trace *t, const char *key, enum fs_names table, uint32_t value);
void fs_trace_value(struct fs_trace *t, const char *key, enum fs_names table, uint32_t value);
/* A SecBufferDesc: each buffer's type and size, and its bytes in hex at level 2. */
void fs_trace_buffers(struct fs_trace *t, const char *key, const void *desc);
/* Marks where the outputs start (once: a second call does nothing). */
void fs_trace_outputs(struct fs_trace *t);
/* Ends the line with the result (a status or BOOL/last-error rendering) and writes it. */
void fs_trace_end(struct fs_trace *t, const char *result);

#endif
