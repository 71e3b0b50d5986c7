/* The handle-history ring. Its memory comes from libc, not fs_malloc: the diagnostics must not take
 * part in allocation-failure walks, nor change what a fault numbered alloc#N hits. */
#include "htrace.h"
#include "cacheline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "names.h"

struct event {
    uint8_t what;
    const char *kind; /* the kind's name, from its ops table; NULL for misuse events */
    int16_t misuse;
    uintptr_t value;
    uintptr_t related;
    struct fs_origin where;
};

/* The lock and what it guards, written at every handle event of every thread: on lines of their own
 * (core/cacheline.h). */
static FS_OWN_LINES(pthread_mutex_t lock; struct event *ring; size_t recorded;) history = {PTHREAD_MUTEX_INITIALIZER, NULL, 0};
static size_t capacity = FS_HTRACE_DEFAULT_EVENTS;
/* history.recorded: ever, since the last reset; the ring holds the last `capacity` of them */
/* Whether a history is kept at all, read without the lock: with FAKESSPI_HTRACE_EVENTS=0 opening and closing
 * a handle takes no lock of the history's. */
static atomic_bool keeping = 1;

void fs_htrace_record(enum fs_htrace_what what, const char *kind, uintptr_t value, uintptr_t related, int misuse,
                      const struct fs_origin *where)
{
    if (!atomic_load_explicit(&keeping, memory_order_relaxed))
        return;
    pthread_mutex_lock(&history.lock);
    if (!history.ring && capacity)
        history.ring = calloc(capacity, sizeof *history.ring); /* on failure the history stays empty: it is only a diagnostic */
    if (history.ring) {
        history.ring[history.recorded % capacity] = (struct event){(uint8_t)what, kind, (int16_t)misuse, value, related,
                                                   *where};
        history.recorded++;
    }
    pthread_mutex_unlock(&history.lock);
}

static void describe(FILE *out, const struct event *e, uintptr_t value)
{
    const char *kind = e->kind ? e->kind : "unknown";
    switch ((enum fs_htrace_what)e->what) {
    case FS_HTRACE_OPENED:
        fprintf(out, "opened %s handle %#lx (OWNED)", kind, (unsigned long)e->value);
        break;
    case FS_HTRACE_LENT:
        if (e->value == value)
            fprintf(out, "lent %s handle %#lx by its owner %#lx (BORROWED)", kind, (unsigned long)e->value,
                    (unsigned long)e->related);
        else
            fprintf(out, "%#lx lent its %s handle %#lx (BORROWED)", (unsigned long)e->related, kind,
                    (unsigned long)e->value);
        break;
    case FS_HTRACE_DUPLICATED:
        if (e->value == value)
            fprintf(out, "%s handle %#lx duplicated from %#lx", kind, (unsigned long)e->value,
                    (unsigned long)e->related);
        else
            fprintf(out, "%#lx duplicated into %s handle %#lx", (unsigned long)e->related, kind,
                    (unsigned long)e->value);
        break;
    case FS_HTRACE_CLOSED:
        fprintf(out, "closed %s handle %#lx", kind, (unsigned long)e->value);
        break;
    case FS_HTRACE_REVOKED:
        fprintf(out, "revoked %s handle %#lx: its owner %#lx was deleted", kind, (unsigned long)e->value,
                (unsigned long)e->related);
        break;
    case FS_HTRACE_MISUSED: {
        const char *name = fs_misuse_name((fakesspi_misuse_kind)e->misuse);
        fprintf(out, "MISUSE %s of %#lx", name ? name : "?", (unsigned long)e->value);
        break;
    }
    }
}

size_t fs_htrace_print(uintptr_t value, FILE *out, int with_stacks, const char *indent)
{
    size_t written = 0;
    pthread_mutex_lock(&history.lock);
    if (history.ring) {
        size_t first = history.recorded > capacity ? history.recorded - capacity : 0;
        if (first)
            fprintf(out, "%s(the %zu oldest events have left the ring of %zu; FAKESSPI_HTRACE_EVENTS keeps more)\n",
                    indent, first, capacity);
        for (size_t i = first; i < history.recorded; i++) {
            const struct event *e = &history.ring[i % capacity];
            if (e->value != value && !(e->related == value && e->what != FS_HTRACE_REVOKED &&
                                       e->what != FS_HTRACE_MISUSED))
                continue;
            fprintf(out, "%scall #%llu, thread [%u], %s: ", indent, (unsigned long long)e->where.seq, e->where.thread,
                    e->where.api ? e->where.api : "?");
            describe(out, e, value);
            fputc('\n', out);
            if (with_stacks)
                fs_origin_print_frames(out, &e->where, indent);
            written++;
        }
    }
    pthread_mutex_unlock(&history.lock);
    return written;
}

void fs_htrace_reset(size_t new_capacity)
{
    pthread_mutex_lock(&history.lock);
    free(history.ring);
    history.ring = NULL;
    history.recorded = 0;
    capacity = new_capacity;
    atomic_store_explicit(&keeping, new_capacity != 0, memory_order_relaxed);
    pthread_mutex_unlock(&history.lock);
}

char *fs_htrace_history(uintptr_t value, int with_stacks, const char *indent)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    size_t n = fs_htrace_print(value, out, with_stacks, indent);
    fclose(out);
    if (!n) {
        free(text);
        return NULL;
    }
    return text;
}
