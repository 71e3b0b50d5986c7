/* Builds, counts and dispatches misuse and leak reports (DESIGN.md, Misuse). */
#include "misuse.h"

#include "handles.h"
#include "htrace.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct kind_info {
    const char *name;
    const char *meaning;
};

static const struct kind_info kinds[FAKESSPI_MISUSE_KIND_COUNT] = {
#define KIND_ROW(name, meaning) {#name, meaning},
    FAKESSPI_MISUSE_KINDS(KIND_ROW)
#undef KIND_ROW
};

static atomic_size_t counts[FAKESSPI_MISUSE_KIND_COUNT];
static atomic_int policy = FAKESSPI_POLICY_REPORT;
static pthread_mutex_t callback_lock = PTHREAD_MUTEX_INITIALIZER;
static fakesspi_misuse_callback callback;
static void *callback_arg;
/* One writer at a time, so two threads' reports never interleave. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

const char *fs_misuse_name(fakesspi_misuse_kind kind)
{
    if ((unsigned)kind >= FAKESSPI_MISUSE_KIND_COUNT)
        return NULL;
    return kinds[kind].name;
}

size_t fs_misuse_count(fakesspi_misuse_kind kind)
{
    if ((unsigned)kind >= FAKESSPI_MISUSE_KIND_COUNT)
        return 0;
    return atomic_load(&counts[kind]);
}

void fs_misuse_set_policy(fakesspi_misuse_policy p) { atomic_store(&policy, (int)p); }

void fs_misuse_set_callback(fakesspi_misuse_callback cb, void *arg)
{
    pthread_mutex_lock(&callback_lock);
    callback = cb;
    callback_arg = arg;
    pthread_mutex_unlock(&callback_lock);
}

void fs_misuse_reset_counts(void)
{
    for (int i = 0; i < FAKESSPI_MISUSE_KIND_COUNT; i++)
        atomic_store(&counts[i], 0);
}

static void write_detail(FILE *out, const struct fs_misuse_detail *d, const struct fs_origin *misused)
{
    if (d && d->handle)
        fprintf(out, "  handle:      %#lx (%s, %s)\n", (unsigned long)d->handle,
                d->handle_kind ? d->handle_kind : "unknown kind", d->ownership ? d->ownership : "not live");
    if (d && d->owner)
        fprintf(out, "  owner:       %s %#lx\n", d->owner_kind ? d->owner_kind : "object", (unsigned long)d->owner);
    if (d && d->opened) {
        fprintf(out, "  handed out by ");
        fs_origin_print(out, d->opened, "  ");
    }
    if (d && d->closed) {
        fprintf(out, "  %s ", d->closed_label ? d->closed_label : "closed by");
        fs_origin_print(out, d->closed, "  ");
    }
    fprintf(out, "  misused by   ");
    fs_origin_print(out, misused, "  ");
    if (d && d->windows)
        fprintf(out, "  on Windows:  %s\n", d->windows);
    char *history = d && d->handle ? fs_handle_history(d->handle, 0, "    ") : NULL;
    if (history) {
        fprintf(out, "  history of %#lx (fakesspi_handle_history() adds the stacks):\n%s", (unsigned long)d->handle,
                history);
        free(history);
    }
}

void fs_misuse(fakesspi_misuse_kind kind, const char *api, const struct fs_misuse_detail *detail)
{
    if ((unsigned)kind >= FAKESSPI_MISUSE_KIND_COUNT)
        abort();
    atomic_fetch_add(&counts[kind], 1);

    pthread_mutex_lock(&callback_lock);
    fakesspi_misuse_callback cb = callback;
    void *cb_arg = callback_arg;
    pthread_mutex_unlock(&callback_lock);
    int p = atomic_load(&policy);
    /* Counting and the handle history are all that silent mode with no listener needs: skip the
     * costly backtrace and report. */
    struct fs_origin misused;
    int quiet = p == FAKESSPI_POLICY_SILENT && !cb;
    if (quiet)
        fs_origin_capture_bare(&misused, api);
    else
        fs_origin_capture(&misused, api);
    if (detail && detail->handle)
        fs_htrace_record(FS_HTRACE_MISUSED, 0, detail->handle, 0, (int)kind, &misused);
    if (quiet)
        return;

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (out) {
        fprintf(out, "fakesspi: MISUSE %s: %s: %s.\n", kinds[kind].name, api, kinds[kind].meaning);
        write_detail(out, detail, &misused);
        fclose(out);
    }

    if (cb)
        cb(kind, text ? text : kinds[kind].name, cb_arg);

    if (p != FAKESSPI_POLICY_SILENT && text) {
        pthread_mutex_lock(&write_lock);
        fputs(text, stderr);
        fflush(stderr);
        pthread_mutex_unlock(&write_lock);
    }
    free(text);
    if (p == FAKESSPI_POLICY_ABORT)
        abort();
}

void fs_leak(const char *what, const char *sentence, const struct fs_origin *origin)
{
    pthread_mutex_lock(&write_lock);
    fprintf(stderr, "fakesspi: LEAK %s: %s\n", what, sentence);
    if (origin) {
        fprintf(stderr, "  handed out by ");
        fs_origin_print(stderr, origin, "  ");
    }
    fflush(stderr);
    pthread_mutex_unlock(&write_lock);
}
