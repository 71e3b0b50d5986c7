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
    struct fs_origin origin;
    max_align_t data[]; /* what the caller gets */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct block *buckets[BUCKETS];
static size_t live;
static void *recent[RECENT_FREES];
static unsigned recent_next;

static const char *const free_names[FS_MEM_KIND_COUNT] = {
    [FS_MEM_LOCAL] = "LocalFree", [FS_MEM_SID] = "FreeSid", [FS_MEM_HEAP] = "HeapFree",
    [FS_MEM_CONTEXT_BUFFER] = "FreeContextBuffer"};
static const char *const alloc_names[FS_MEM_KIND_COUNT] = {
    [FS_MEM_LOCAL] = "LocalAlloc", [FS_MEM_SID] = "AllocateAndInitializeSid", [FS_MEM_HEAP] = "HeapAlloc",
    [FS_MEM_CONTEXT_BUFFER] = "an SSPI call"};

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

size_t fs_mem_live(void)
{
    pthread_mutex_lock(&lock);
    size_t n = live;
    pthread_mutex_unlock(&lock);
    return n;
}

size_t fs_mem_report_leaks(void)
{
    pthread_mutex_lock(&lock);
    size_t n = 0;
    for (unsigned k = 0; k < BUCKETS; k++)
        for (struct block *b = buckets[k]; b; b = b->next) {
            char sentence[200];
            snprintf(sentence, sizeof sentence, "%zu bytes from %s at %p were never freed with %s", b->size,
                     b->origin.api ? b->origin.api : alloc_names[b->kind], (void *)b->data, free_names[b->kind]);
            /* Leak reports take only the writer's lock, never this one's: safe to hold. */
            fs_leak("MEMORY", sentence, &b->origin);
            n++;
        }
    pthread_mutex_unlock(&lock);
    return n;
}

size_t fs_mem_list_since(uint64_t since, FILE *out)
{
    pthread_mutex_lock(&lock);
    size_t n = 0;
    for (unsigned k = 0; k < BUCKETS; k++)
        for (struct block *b = buckets[k]; b; b = b->next) {
            if (b->origin.seq <= since)
                continue;
            fprintf(out, "%zu bytes from %s at %p were never freed with %s\n  handed out by ", b->size,
                    b->origin.api ? b->origin.api : alloc_names[b->kind], (void *)b->data, free_names[b->kind]);
            fs_origin_print(out, &b->origin, "  ");
            n++;
        }
    pthread_mutex_unlock(&lock);
    return n;
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
    memset(recent, 0, sizeof recent);
    recent_next = 0;
    pthread_mutex_unlock(&lock);
}
