/* A pointer-keyed registry of caller-owned blocks, plus a ring of recent frees for DOUBLE_FREE. */
#include "core/alloc.h"
#include "memtrack.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misuse.h"
#include "origin.h"

#define BUCKETS 4096u
#define RECENT_FREES 1024u

struct block {
    struct block *next;
    enum fs_mem_kind kind;
    size_t size;
    uint64_t serial;   /* 1, 2, ... in the order blocks were handed out since the last reset */
    int inherited;     /* live when the process forked: the parent's, not this process's leak */
    struct fs_origin origin;
    max_align_t data[]; /* what the caller gets */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct block *buckets[BUCKETS];
static size_t live;
static uint64_t serial;
static void *recent[RECENT_FREES];
static unsigned recent_next;

static const char *const free_names[FS_MEM_KIND_COUNT] = {
    [FS_MEM_LOCAL] = "LocalFree", [FS_MEM_SID] = "FreeSid", [FS_MEM_HEAP] = "HeapFree",
    [FS_MEM_CONTEXT_BUFFER] = "FreeContextBuffer", [FS_MEM_LSA] = "LsaFreeMemory",
    [FS_MEM_LSA_RETURN] = "LsaFreeReturnBuffer"};
static const char *const alloc_names[FS_MEM_KIND_COUNT] = {
    [FS_MEM_LOCAL] = "LocalAlloc", [FS_MEM_SID] = "AllocateAndInitializeSid", [FS_MEM_HEAP] = "HeapAlloc",
    [FS_MEM_CONTEXT_BUFFER] = "an SSPI call", [FS_MEM_LSA] = "an LSA policy call",
    [FS_MEM_LSA_RETURN] = "an LSA authentication call"};

static unsigned bucket_of(const void *p)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return (unsigned)(x >> 40) % BUCKETS;
}

static void forget_recent(const void *p)
{
    for (unsigned i = 0; i < RECENT_FREES; i++)
        if (recent[i] == p)
            recent[i] = NULL;
}

void *fs_mem_alloc(enum fs_mem_kind kind, size_t size, int zero, const char *api)
{
    if (size > SIZE_MAX - sizeof(struct block))
        return NULL;
    struct block *b = zero ? fs_calloc(1, sizeof *b + size) : fs_malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->kind = kind;
    b->size = size;
    fs_origin_capture(&b->origin, api);
    pthread_mutex_lock(&lock);
    unsigned k = bucket_of(b->data);
    b->next = buckets[k];
    buckets[k] = b;
    b->serial = ++serial;
    b->inherited = 0;
    live++;
    forget_recent(b->data);
    pthread_mutex_unlock(&lock);
    return b->data;
}

fs_err fs_mem_free(void *ptr, enum fs_mem_kind kind, const char *api)
{
    pthread_mutex_lock(&lock);
    struct block **link = &buckets[bucket_of(ptr)];
    while (*link && (void *)(*link)->data != ptr)
        link = &(*link)->next;
    struct block *b = *link;
    int was_recent = 0;
    if (b) {
        *link = b->next;
        live--;
        recent[recent_next++ % RECENT_FREES] = ptr;
    } else {
        for (unsigned i = 0; i < RECENT_FREES; i++)
            if (recent[i] == ptr)
                was_recent = 1;
    }
    pthread_mutex_unlock(&lock);

    if (!b) {
        struct fs_misuse_detail d = {.windows = "the heap is corrupted or the process ends with a heap error"};
        fs_misuse(was_recent ? FAKESSPI_MISUSE_DOUBLE_FREE : FAKESSPI_MISUSE_FOREIGN_FREE, api, &d);
        return FS_E_INVALID_HANDLE;
    }
    if (b->kind != kind) {
        char windows[200];
        snprintf(windows, sizeof windows, "this block came from %s and must be freed with %s",
                 alloc_names[b->kind], free_names[b->kind]);
        struct fs_misuse_detail d = {.opened = &b->origin, .windows = windows};
        fs_misuse(FAKESSPI_MISUSE_WRONG_FREE, api, &d);
    }
    free(b);
    return FS_OK;
}

void fs_mem_discard(void *ptr, enum fs_mem_kind kind, const char *api)
{
    if (ptr && fs_mem_free(ptr, kind, api) != FS_OK)
        return; /* cannot happen for our own live block; memtrack would have reported it */
}

size_t fs_mem_live(void)
{
    pthread_mutex_lock(&lock);
    size_t n = live;
    pthread_mutex_unlock(&lock);
    return n;
}

static int by_serial(const void *a, const void *b)
{
    uint64_t x = (*(struct block *const *)a)->serial, y = (*(struct block *const *)b)->serial;
    return x < y ? -1 : x > y;
}

/* The live blocks of this process handed out after call `since` (all when all), oldest first; the caller
 * holds the lock. Reports name a block by its serial and its origin, never by its address, so two runs of
 * one program write the same text (doc/semantics.md §39). NULL with *n 0 when there are none or no memory. */
static struct block **collect_locked(uint64_t since, int all, size_t *n)
{
    *n = 0;
    /* Plain calloc: an armed allocation fault must not turn a leak report into "no leaks". */
    struct block **list = live ? calloc(live, sizeof *list) : NULL;
    for (unsigned k = 0; list && k < BUCKETS; k++)
        for (struct block *b = buckets[k]; b; b = b->next)
            if (!b->inherited && (all || b->origin.seq > since))
                list[(*n)++] = b;
    if (*n > 1)
        qsort(list, *n, sizeof *list, by_serial);
    return list;
}

static void describe(const struct block *b, char *sentence, size_t size)
{
    snprintf(sentence, size, "%zu bytes from %s (block #%llu) were never freed with %s", b->size,
             b->origin.api ? b->origin.api : alloc_names[b->kind], (unsigned long long)b->serial,
             free_names[b->kind]);
}

size_t fs_mem_report_leaks(void)
{
    pthread_mutex_lock(&lock);
    size_t n;
    struct block **list = collect_locked(0, 1, &n);
    for (size_t i = 0; i < n; i++) {
        char sentence[200];
        describe(list[i], sentence, sizeof sentence);
        /* Leak reports take only the writer's lock, never this one's: safe to hold. */
        fs_leak("MEMORY", sentence, &list[i]->origin);
    }
    pthread_mutex_unlock(&lock);
    free(list);
    return n;
}

size_t fs_mem_list_since(uint64_t since, FILE *out)
{
    pthread_mutex_lock(&lock);
    size_t n;
    struct block **list = collect_locked(since, 0, &n);
    for (size_t i = 0; i < n; i++) {
        char sentence[200];
        describe(list[i], sentence, sizeof sentence);
        fprintf(out, "%s\n  handed out by ", sentence);
        fs_origin_print(out, &list[i]->origin, "  ");
    }
    pthread_mutex_unlock(&lock);
    free(list);
    return n;
}

void fs_mem_fork_child(void)
{
    pthread_mutex_lock(&lock);
    for (unsigned k = 0; k < BUCKETS; k++)
        for (struct block *b = buckets[k]; b; b = b->next)
            b->inherited = 1;
    pthread_mutex_unlock(&lock);
}

void fs_mem_reset(void)
{
    pthread_mutex_lock(&lock);
    for (unsigned k = 0; k < BUCKETS; k++) {
        struct block *b = buckets[k];
        while (b) {
            struct block *next = b->next;
            free(b);
            b = next;
        }
        buckets[k] = NULL;
    }
    live = 0;
    serial = 0;
    memset(recent, 0, sizeof recent);
    recent_next = 0;
    pthread_mutex_unlock(&lock);
}
