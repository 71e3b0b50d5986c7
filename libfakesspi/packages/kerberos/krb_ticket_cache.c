/* The initiator's service tickets, kept per logon session, client and service until their end time on the
 * virtual clock (doc/semantics.md §49): a hash table over a least-recently-used list, under one lock. Each
 * ticket is one block (its bytes, names and session key), wiped when it is forgotten. */
#include "krb_ticket_cache.h"

#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/utf.h"
#include "security/domain_current.h"

#define BUCKETS 256u /* a power of two */

struct entry {
    struct entry *older, *newer;    /* the recency list */
    struct entry *next_in_bucket;
    uint32_t hash;
    uint64_t logon_id;
    uint8_t key_check[16];          /* SHA-256 of the service key the ticket is encrypted in, cut to 16 bytes */
    const char *client, *canon, *sname, *srealm; /* srealm "": the domain's own realm */
    struct krb_cached_ticket t;     /* t.ticket points into this block */
    uint64_t keep_until;            /* the end time, or a renewable TGT's renew-till (doc/semantics.md §62) */
    size_t size;                    /* the whole block, for the wipe */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *buckets[BUCKETS];
static struct entry *oldest, *newest;
/* count changes under the lock; it is atomic so that the end of a logon session with no tickets (every NTLM
 * logon's) can see there is nothing to purge without taking the lock every thread shares. */
static atomic_size_t count;
static size_t limit = KRB_TICKET_CACHE_MAX;
static uint64_t serial; /* the domain every held ticket was made in */

/* The service as the acceptor matches SPNs: Windows' upper case (the domain's SPN index). 0 when it has none
 * (not UTF-8, too long): such a ticket is neither found nor kept. */
static int canonical(const char *service, char *out, size_t cap)
{
    size_t len;
    return fs_utf8_upcase(service, out, cap, &len) == FS_OK;
}

static void key_check_of(const struct krb_key *key, uint8_t out[16])
{
    uint8_t full[SHA256_DIGEST_SIZE], etype[4];
    for (int i = 0; i < 4; i++)
        etype[i] = (uint8_t)((uint32_t)key->etype >> (8 * i));
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, sizeof etype, etype);
    sha256_update(&h, key->len, key->bytes);
    sha256_digest(&h, sizeof full, full);
    memcpy(out, full, 16);
    explicit_bzero(full, sizeof full);
}

/* FNV-1a over the session, the client and the canonical service. */
static uint32_t hash_of(uint64_t logon_id, const char *client, const char *canon)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 8; i++)
        h = (h ^ (uint8_t)(logon_id >> (8 * i))) * 16777619u;
    for (const char *p = client; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    h = (h ^ 0xffu) * 16777619u; /* a separator no UTF-8 name holds: "a"+"bc" is not "ab"+"c" */
    for (const char *p = canon; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return h;
}

static struct entry **slot_of(uint32_t hash, uint64_t logon_id, const char *client, const char *canon)
{
    struct entry **p = &buckets[hash & (BUCKETS - 1)];
    for (; *p; p = &(*p)->next_in_bucket)
        if ((*p)->hash == hash && (*p)->logon_id == logon_id && !strcmp((*p)->client, client) &&
            !strcmp((*p)->canon, canon))
            break;
    return p;
}

static void unlink_recency(struct entry *e)
{
    if (e->older)
        e->older->newer = e->newer;
    else
        oldest = e->newer;
    if (e->newer)
        e->newer->older = e->older;
    else
        newest = e->older;
    e->older = e->newer = NULL;
}

static void link_newest(struct entry *e)
{
    e->older = newest;
    e->newer = NULL;
    if (newest)
        newest->newer = e;
    else
        oldest = e;
    newest = e;
}

/* Takes e out of the table and the list, wipes its session key with the rest of its block, frees it. */
static void forget(struct entry *e)
{
    struct entry **p = slot_of(e->hash, e->logon_id, e->client, e->canon);
    *p = e->next_in_bucket;
    unlink_recency(e);
    count--;
    explicit_bzero(e, e->size);
    free(e);
}

static void forget_all(void)
{
    while (oldest)
        forget(oldest);
}

/* A ticket of another domain load than the one in use is no ticket of this domain (its keys, its PACs'
 * groups may have changed): a load forgets them all. */
static void follow_domain(uint64_t domain_serial)
{
    if (domain_serial != serial) {
        forget_all();
        serial = domain_serial;
    }
}

int krb_ticket_cache_get(const struct krb_ticket_cache_key *k, uint64_t now, struct fs_writer *ticket,
                         struct krb_cached_ticket *out, char *sname, size_t cap)
{
    char canon[1024];
    if (!canonical(k->service, canon, sizeof canon))
        return 0;
    uint8_t check[16];
    key_check_of(k->service_key, check);
    uint32_t hash = hash_of(k->logon_id, k->client, canon);
    pthread_mutex_lock(&lock);
    follow_domain(k->domain_serial);
    struct entry *e = *slot_of(hash, k->logon_id, k->client, canon);
    int hit = 0;
    if (e && (!memeql_sec(e->key_check, check, sizeof check) || now < e->t.starttime ||
              now >= (k->renewable ? e->keep_until : e->t.endtime))) {
        forget(e); /* the service's key changed, or the ticket is not valid now: a new one replaces it */
        e = NULL;
    }
    if (e) {
        size_t at = ticket->len;
        fs_write_bytes(ticket, e->t.ticket, e->t.ticket_len);
        if (!ticket->failed) {
            unlink_recency(e);
            link_newest(e);
            *out = e->t;
            out->ticket = ticket->data + at;
            size_t n = strlen(e->sname);
            n = n < cap ? n : cap - 1;
            memcpy(sname, e->sname, n);
            sname[n] = '\0';
            hit = 1;
        }
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void krb_ticket_cache_put(const struct krb_ticket_cache_key *k, const char *sname, const struct krb_cached_ticket *t)
{
    char canon[1024];
    if (!canonical(k->service, canon, sizeof canon))
        return;
    const char *srealm = k->server_realm ? k->server_realm : "";
    size_t client_len = strlen(k->client) + 1, canon_len = strlen(canon) + 1, sname_len = strlen(sname) + 1;
    size_t srealm_len = strlen(srealm) + 1;
    size_t size = sizeof(struct entry) + t->ticket_len + client_len + canon_len + sname_len + srealm_len;
    struct entry *e = fs_malloc(size);
    if (!e)
        return;
    memset(e, 0, sizeof *e);
    e->size = size;
    e->logon_id = k->logon_id;
    key_check_of(k->service_key, e->key_check);
    uint8_t *p = (uint8_t *)(e + 1);
    e->t = *t;
    e->t.ticket = memcpy(p, t->ticket, t->ticket_len);
    e->keep_until = k->renewable && t->renew_till > t->endtime ? t->renew_till : t->endtime;
    p += t->ticket_len;
    e->client = memcpy(p, k->client, client_len);
    p += client_len;
    e->canon = memcpy(p, canon, canon_len);
    p += canon_len;
    e->sname = memcpy(p, sname, sname_len);
    p += sname_len;
    e->srealm = memcpy(p, srealm, srealm_len);
    e->hash = hash_of(e->logon_id, e->client, e->canon);

    pthread_mutex_lock(&lock);
    follow_domain(k->domain_serial);
    struct entry *same = *slot_of(e->hash, e->logon_id, e->client, e->canon);
    if (same)
        forget(same); /* another thread's handshake cached one meanwhile: the newer replaces it */
    while (count >= limit && oldest)
        forget(oldest);
    struct entry **slot = &buckets[e->hash & (BUCKETS - 1)];
    e->next_in_bucket = *slot;
    *slot = e;
    link_newest(e);
    count++;
    pthread_mutex_unlock(&lock);
}

/* The domain in use now; read before the cache's lock is taken (handshakes take the domain's, then this one). */
static uint64_t domain_serial_now(void)
{
    const struct fs_domain *d = fs_domain_acquire();
    uint64_t domain_serial = d ? d->serial : 0;
    fs_domain_release();
    return domain_serial;
}

/* Under the lock: follows the domain in use, and drops tickets past their end time (a renewable TGT past its
 * renew-till). */
static void tidy(uint64_t domain_serial, uint64_t now)
{
    follow_domain(domain_serial);
    for (struct entry *e = oldest, *next; e; e = next) {
        next = e->newer;
        if (now >= e->keep_until)
            forget(e);
    }
}

size_t krb_ticket_cache_enumerate(uint64_t logon_id, int all,
                                  int (*visit)(const struct krb_ticket_cache_entry *e, void *arg), void *arg)
{
    size_t n = 0;
    uint64_t domain_serial = domain_serial_now(), now = fs_clock_now();
    pthread_mutex_lock(&lock);
    tidy(domain_serial, now);
    for (struct entry *e = oldest; e; e = e->newer) {
        if ((!all && e->logon_id != logon_id) || now >= e->t.endtime)
            continue; /* an ended TGT waiting for its renewal is not listed */
        struct krb_ticket_cache_entry view = {e->logon_id, e->client, e->sname, *e->srealm ? e->srealm : NULL, &e->t};
        n++;
        if (visit(&view, arg))
            break;
    }
    pthread_mutex_unlock(&lock);
    return n;
}

size_t krb_ticket_cache_purge(uint64_t logon_id, int all, const char *server)
{
    char canon[1024];
    if (server && !canonical(server, canon, sizeof canon))
        return 0;
    if (atomic_load_explicit(&count, memory_order_relaxed) == 0)
        return 0;
    size_t n = 0;
    uint64_t domain_serial = domain_serial_now(), now = fs_clock_now();
    pthread_mutex_lock(&lock);
    tidy(domain_serial, now);
    for (struct entry *e = oldest, *next; e; e = next) {
        next = e->newer;
        if ((all || e->logon_id == logon_id) && (!server || !strcmp(e->canon, canon))) {
            forget(e);
            n++;
        }
    }
    pthread_mutex_unlock(&lock);
    return n;
}

void krb_ticket_cache_reset(void)
{
    pthread_mutex_lock(&lock);
    forget_all();
    serial = 0;
    limit = KRB_TICKET_CACHE_MAX;
    pthread_mutex_unlock(&lock);
}

void krb_ticket_cache_set_limit(size_t entries)
{
    pthread_mutex_lock(&lock);
    limit = entries ? entries : KRB_TICKET_CACHE_MAX;
    while (count > limit)
        forget(oldest);
    pthread_mutex_unlock(&lock);
}

size_t krb_ticket_cache_count(void)
{
    pthread_mutex_lock(&lock);
    size_t n = count;
    pthread_mutex_unlock(&lock);
    return n;
}
