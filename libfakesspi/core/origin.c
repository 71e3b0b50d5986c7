/* Captures and prints origins; backtraces are symbolized only when a report is written. */
#include "origin.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static atomic_uint_fast64_t next_seq = 1;
static atomic_int backtraces_on = 1;

void fs_origin_set_backtraces(int enabled) { atomic_store(&backtraces_on, enabled ? 1 : 0); }

void fs_origin_reset(void) { atomic_store(&next_seq, 1); }

uint64_t fs_origin_last_event(void) { return atomic_load(&next_seq) - 1; }

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
    o->seq = atomic_fetch_add(&next_seq, 1);
    o->thread = fs_thread_id();
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
    fprintf(out, "%s (event #%llu, thread %u)\n", o->api ? o->api : "?", (unsigned long long)o->seq,
            o->thread);
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
