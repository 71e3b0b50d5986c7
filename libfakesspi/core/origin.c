/* Captures and prints origins; backtraces are symbolized only when a report is written. */
#include "origin.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static atomic_uint_fast64_t last_call;
static atomic_int backtraces_on = 1;
/* Logical thread numbers are handed out per reset generation, so a reset renumbers every thread. */
static atomic_uint generation = 1;
static atomic_uint next_thread = 1;
static _Thread_local uint64_t current_call;
static _Thread_local uint32_t thread_generation, thread_number;

void fs_origin_set_backtraces(int enabled) { atomic_store(&backtraces_on, enabled ? 1 : 0); }

void fs_origin_reset(void)
{
    atomic_store(&last_call, 0);
    atomic_store(&next_thread, 1);
    atomic_fetch_add(&generation, 1);
}

uint64_t fs_origin_call_begin(void) { return current_call = atomic_fetch_add(&last_call, 1) + 1; }

void fs_origin_call_end(void) { current_call = 0; }

uint64_t fs_origin_last_event(void) { return atomic_load(&last_call); }

uint32_t fs_logical_thread(void)
{
    unsigned g = atomic_load(&generation);
    if (thread_generation != g) {
        thread_generation = g;
        thread_number = atomic_fetch_add(&next_thread, 1);
    }
    return thread_number;
}

uint32_t fs_thread_id(void)
{
    static _Thread_local uint32_t tid;
    if (tid == 0)
        tid = (uint32_t)syscall(SYS_gettid);
    return tid;
}

void fs_origin_capture_bare(struct fs_origin *o, const char *api)
{
    o->api = api;
    /* Outside a call (a context dying on another thread's last reference, say): the latest call. */
    o->seq = current_call ? current_call : atomic_load(&last_call);
    o->thread = fs_logical_thread();
    o->nframes = 0;
}

void fs_origin_capture(struct fs_origin *o, const char *api)
{
    fs_origin_capture_bare(o, api);
    if (atomic_load_explicit(&backtraces_on, memory_order_relaxed)) {
        int n = backtrace(o->frames, FS_ORIGIN_FRAMES);
        o->nframes = n > 0 ? n : 0;
    }
}

void fs_origin_print(FILE *out, const struct fs_origin *o, const char *indent)
{
    fprintf(out, "%s (call #%llu, thread [%u])\n", o->api ? o->api : "?", (unsigned long long)o->seq, o->thread);
    fs_origin_print_frames(out, o, indent);
}

void fs_origin_print_frames(FILE *out, const struct fs_origin *o, const char *indent)
{
    if (o->nframes <= 0)
        return;
    /* The frames inside libfakesspi say nothing to a user: start at the caller's code. When the
     * library is linked statically every frame shares one object, and all are shown. */
    int first = 1;
    Dl_info self, frame;
    if (dladdr((void *)fs_origin_print, &self)) {
        while (first < o->nframes && dladdr(o->frames[first], &frame) && frame.dli_fbase == self.dli_fbase)
            first++;
        if (first == o->nframes)
            first = 1;
    }
    char **symbols = backtrace_symbols(o->frames, o->nframes);
    for (int i = first; i < o->nframes; i++)
        fprintf(out, "%s  #%d %s\n", indent, i - first, symbols ? symbols[i] : "?");
    free(symbols);
}
