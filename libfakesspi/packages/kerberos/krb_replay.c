/* The acceptor's replay cache: every authenticator seen within the skew window, whatever the traffic.
 * Entries leave on time (twice the skew after they came), oldest first; memory is bounded by
 * KRB_REPLAY_MAX, and at that bound new logons are refused rather than anything forgotten (doc/semantics.md §33). */
#include "krb_replay.h"

#include <nettle/sha2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

struct seen {
    uint8_t digest[16]; /* SHA-256 of client, service, ctime and cusec, cut to 16 bytes */
    uint64_t came;      /* the virtual clock when it was accepted */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct seen *fifo;     /* a ring in arrival order */
static size_t cap, head, count;
static uint32_t *table;       /* open addressing: ring position + 1 (from head's base), 0 for empty */
static size_t table_cap;
static size_t limit = KRB_REPLAY_MAX;

static void digest_of(const char *client, const char *server, uint64_t ctime, uint32_t cusec, uint8_t out[16])
{
    struct sha256_ctx h;
    uint8_t full[SHA256_DIGEST_SIZE], times[12];
    for (int i = 0; i < 8; i++)
        times[i] = (uint8_t)(ctime >> (8 * i));
    for (int i = 0; i < 4; i++)
        times[8 + i] = (uint8_t)(cusec >> (8 * i));
    sha256_init(&h);
    sha256_update(&h, strlen(client) + 1, (const uint8_t *)client); /* with the NUL: "a|bc" is not "ab|c" */
    sha256_update(&h, strlen(server) + 1, (const uint8_t *)server);
    sha256_update(&h, sizeof times, times);
    sha256_digest(&h, sizeof full, full);
    memcpy(out, full, 16);
}

static size_t slot_of(const uint8_t digest[16])
{
    uint64_t h;
    memcpy(&h, digest, sizeof h);
    return (size_t)h & (table_cap - 1);
}

/* The table slot that holds digest, or the empty slot where it would go. */
static uint32_t *find(const uint8_t digest[16])
{
    for (size_t i = slot_of(digest);; i = (i + 1) & (table_cap - 1)) {
        uint32_t v = table[i];
        if (!v || !memcmp(fifo[(v - 1) % cap].digest, digest, 16))
            return &table[i];
    }
}

static void forget_oldest(void)
{
    uint32_t *hole = find(fifo[head].digest);
    *hole = 0;
    /* Backward-shift deletion keeps every later entry of the run reachable. */
    size_t mask = table_cap - 1, h = (size_t)(hole - table);
    for (size_t i = (h + 1) & mask; table[i]; i = (i + 1) & mask) {
        size_t home = slot_of(fifo[(table[i] - 1) % cap].digest);
        if (((i - home) & mask) >= ((i - h) & mask)) {
            table[h] = table[i];
            table[i] = 0;
            h = i;
        }
    }
    head = (head + 1) % cap;
    count--;
}

/* Twice the room, the ring laid out from 0 again and the table rebuilt. */
static int grow(void)
{
    size_t ncap = cap ? 2 * cap : 1024;
    struct seen *nfifo = fs_malloc(ncap * sizeof *nfifo);
    uint32_t *ntable = fs_calloc(2 * ncap, sizeof *ntable);
    if (!nfifo || !ntable) {
        free(nfifo);
        free(ntable);
        return -1;
    }
    for (size_t i = 0; i < count; i++)
        nfifo[i] = fifo[(head + i) % cap];
    free(fifo);
    free(table);
    fifo = nfifo;
    table = ntable;
    cap = ncap;
    table_cap = 2 * ncap;
    head = 0;
    for (size_t i = 0; i < count; i++)
        *find(fifo[i].digest) = (uint32_t)(i + 1);
    return 0;
}

void krb_replay_reset(void)
{
    pthread_mutex_lock(&lock);
    free(fifo);
    free(table);
    fifo = NULL;
    table = NULL;
    cap = head = count = table_cap = 0;
    limit = KRB_REPLAY_MAX;
    pthread_mutex_unlock(&lock);
}

void krb_replay_set_limit(size_t entries)
{
    pthread_mutex_lock(&lock);
    limit = entries ? entries : KRB_REPLAY_MAX;
    pthread_mutex_unlock(&lock);
}

size_t krb_replay_count(void)
{
    pthread_mutex_lock(&lock);
    size_t n = count;
    pthread_mutex_unlock(&lock);
    return n;
}

fs_err krb_replay_check(const char *client, const char *server, uint64_t ctime, uint32_t cusec, uint64_t now)
{
    uint8_t digest[16];
    digest_of(client, server, ctime, cusec, digest);
    pthread_mutex_lock(&lock);
    /* An authenticator that came more than twice the skew ago fails the skew check now, whatever its
     * ctime said (it was within the skew when it came): it can go. A clock moved back keeps everything. */
    while (count && now > fifo[head].came && now - fifo[head].came > 2 * KRB_MAX_SKEW)
        forget_oldest();
    fs_err err = FS_OK;
    if (count && *find(digest))
        err = FS_E_LOGON_DENIED; /* KRB_AP_ERR_REPEAT */
    else if (count >= limit)
        err = FS_E_NOMEM; /* full within the window: refuse, as an acceptor out of resources does */
    else if (count == cap && grow())
        err = FS_E_NOMEM;
    if (err == FS_OK) {
        size_t at = (head + count) % cap;
        fifo[at] = (struct seen){.came = now};
        memcpy(fifo[at].digest, digest, 16);
        /* Positions are kept relative to the ring's start, so that they survive head moving on. */
        *find(digest) = (uint32_t)(at + 1);
        count++;
    }
    pthread_mutex_unlock(&lock);
    return err;
}
