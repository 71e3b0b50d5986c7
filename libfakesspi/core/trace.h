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
    int json;
    int level;
    int fields;
    int outputs; /* 0: still in the arguments; 1: outputs begun, none written yet; 2: writing them */
    FILE *mem;
    char *text;
    size_t len;
};

/* Opens the destination (NULL or "" turns tracing off); a path that cannot be opened is named on
 * stderr and tracing stays off. Restarts the sequence numbers. */
void fs_trace_configure(const char *destination, int json, int level);

void fs_trace_begin(struct fs_trace *t, const char *function);
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
