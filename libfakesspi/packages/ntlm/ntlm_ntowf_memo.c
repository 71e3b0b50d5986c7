/* A few NTOWFv2 HMAC states per thread. A handshake's client and acceptor each start from NTOWFv2, an HMAC of
 * the NT hash that is the same for every handshake of an account whose names are spelled the same; making it
 * and keying an HMAC with it is a tenth of a handshake's MD5 work. Per thread, so that threads share no lock
 * and no cache line; keyed by the NT hash itself, so that a changed password or another domain can never meet
 * a stale entry and nothing needs to be told when they change (doc/semantics.md §39). */
#include "ntlm_ntowf_memo.h"

#include <pthread.h>
#include <string.h>

#include "ntlm_crypto.h"

enum { MEMO_ENTRIES = 4, MEMO_NAME_MAX = 64 };

struct memo_entry {
    int used;
    uint8_t nt_hash[16];
    char user[MEMO_NAME_MAX];
    char domain[MEMO_NAME_MAX];
    struct hmac_md5_ctx keyed;
};

struct memo {
    struct memo_entry entries[MEMO_ENTRIES];
    unsigned next; /* the entry the next miss replaces: round robin */
};

static _Thread_local struct memo memo;
static _Thread_local int memo_registered;
static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;

/* The thread's copies die with it, wiped; a later destructor that logs on registers the memo afresh. */
static void wipe_memo(void *m)
{
    explicit_bzero(m, sizeof memo);
    memo_registered = 0;
}
static void make_memo_key(void) { pthread_key_create(&memo_key, wipe_memo); }

static int fits(const char *s) { return strnlen(s, MEMO_NAME_MAX) < MEMO_NAME_MAX; }

fs_err ntlm_ntowfv2_keyed(const uint8_t nt_hash[16], const char *user, const char *domain, struct hmac_md5_ctx *out)
{
    for (unsigned i = 0; i < MEMO_ENTRIES; i++) {
        const struct memo_entry *e = &memo.entries[i];
        if (e->used && !memcmp(e->nt_hash, nt_hash, 16) && !strcmp(e->user, user) && !strcmp(e->domain, domain)) {
            *out = e->keyed;
            return FS_OK;
        }
    }
    uint8_t v2[16];
    fs_err err = ntlm_ntowfv2(nt_hash, user, domain, v2);
    if (err != FS_OK)
        return err;
    hmac_md5_set_key(out, 16, v2);
    explicit_bzero(v2, sizeof v2);
    if (!fits(user) || !fits(domain))
        return FS_OK; /* names this long are rare: made each time, not remembered */
    if (!memo_registered) {
        pthread_once(&memo_once, make_memo_key);
        memo_registered = pthread_setspecific(memo_key, &memo) == 0;
    }
    struct memo_entry *e = &memo.entries[memo.next];
    memo.next = (memo.next + 1) % MEMO_ENTRIES;
    e->used = 1;
    memcpy(e->nt_hash, nt_hash, 16);
    strcpy(e->user, user);
    strcpy(e->domain, domain);
    e->keyed = *out;
    return FS_OK;
}
