/* The client's TGT (krbtgt/REALM): made by the fake KDC's AS exchange with the Kerberos policy's lifetimes, kept in
 * the logon session's ticket cache, renewed past its end time until its renew-till (doc/semantics.md §62). */
#include "krb_tgt.h"

#include <nettle/memops.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "krb_cred.h"
#include "krb_kdc.h"
#include "krb_keys.h"
#include "krb_messages.h"
#include "security/domain_current.h"

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* The sessions and clients that have had a TGT from the AS exchange: a logon's TGT is made once, at its first look
 * or use, and a purge does not bring it back (doc/semantics.md §70). One list under one lock; an entry goes with its
 * session, all with a reset. Short of memory a session is not marked: its TGT may then be made again at a look. */
struct had_tgt {
    struct had_tgt *next;
    uint64_t logon_id;
    char client[];
};
static pthread_mutex_t had_lock = PTHREAD_MUTEX_INITIALIZER;
static struct had_tgt *had;
/* Whether the list has ever held an entry since the last reset, read without the lock: every logon session's end
 * asks to forget it, and a process that never made a TGT (NTLM only) then takes no lock shared by all threads. An
 * entry is added only for a session still alive, so its end, which comes later, sees the flag. */
static int had_any;

static int had_find(uint64_t logon_id, const char *client)
{
    for (const struct had_tgt *h = had; h; h = h->next)
        if (h->logon_id == logon_id && !strcmp(h->client, client))
            return 1;
    return 0;
}

/* Marks (logon_id, client); returns whether it was marked before. */
static int had_mark(uint64_t logon_id, const char *client)
{
    pthread_mutex_lock(&had_lock);
    int before = had_find(logon_id, client);
    struct had_tgt *h = before ? NULL : fs_malloc(sizeof *h + strlen(client) + 1);
    if (h) {
        h->logon_id = logon_id;
        memcpy(h->client, client, strlen(client) + 1);
        h->next = had;
        had = h;
        __atomic_store_n(&had_any, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&had_lock);
    return before;
}

void krb_tgt_forget_sessions(int all, uint64_t logon_id)
{
    if (!all && !__atomic_load_n(&had_any, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&had_lock);
    for (struct had_tgt **p = &had; *p;) {
        struct had_tgt *h = *p;
        if (all || h->logon_id == logon_id) {
            *p = h->next;
            free(h);
        } else {
            p = &h->next;
        }
    }
    if (all)
        __atomic_store_n(&had_any, 0, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&had_lock);
}

/* What the KDC gives: an AS exchange's TGT (INITIAL, a new renew-till) or, for a renewal, a TGS exchange's (RFC
 * 4120 3.3.3: the same authtime and renew-till, a new end no later than the renew-till, and no INITIAL flag). */
static struct krb_times tgt_times(const struct fs_domain *d, const struct fs_user *client,
                                  const struct krb_cached_ticket *renewed, uint64_t now)
{
    struct krb_times t = {now, now, 0, now + krb_max_renew_age(d, client)};
    if (renewed) {
        t.authtime = renewed->authtime;
        t.renew_till = renewed->renew_till;
    }
    t.endtime = min_u64(now + krb_max_ticket_age(d, client), t.renew_till);
    return t;
}

fs_err krb_tgt_get(const struct fs_domain *d, const struct fs_identity *id, const struct fs_user *client,
                   char *realm, struct krb_cached_ticket *out)
{
    char tgs[300], sname[300];
    snprintf(tgs, sizeof tgs, "krbtgt/%s", realm);
    struct krb_key kdc_key;
    fs_err err = krb_kdc_key(d, KRB_KDC_ETYPE, &kdc_key);
    if (err != FS_OK)
        return err;
    struct krb_ticket_cache_key key = {id->logon_id, d->serial, client->name, tgs, &kdc_key, 1, NULL};
    uint64_t now = krb_now_seconds();
    struct krb_cached_ticket held = {0};
    struct fs_writer ticket;
    fs_writer_init(&ticket);
    int found = krb_ticket_cache_get(&key, fs_clock_now(), &ticket, &held, sname, sizeof sname);
    if (found && fs_clock_now() < held.endtime) {
        *out = held;
        out->ticket = NULL;
        out->ticket_len = 0;
    } else if (!found && (id->network_logon || id->s4u_logon)) {
        err = FS_E_NO_CREDENTIALS; /* no password to ask the KDC with (doc/semantics.md §62) */
    } else {
        /* Ended but renewable: renewed; none (never made, purged, past its renew-till): a new one. */
        struct krb_times times = tgt_times(d, client, found ? &held : NULL, now);
        uint32_t flags = found ? (held.flags & KRB_TKT_FORWARDED) : KRB_TKT_INITIAL;
        struct fs_writer made;
        fs_writer_init(&made);
        err = krb_kdc_issue(d, client, tgs, realm, &kdc_key, flags, &times, &made, out);
        if (err == FS_OK && id->logon_id)
            (void)had_mark(id->logon_id, client->name);
        if (err == FS_OK) {
            out->ticket = made.data;
            out->ticket_len = made.len;
            krb_ticket_cache_put(&key, tgs, out);
            out->ticket = NULL;
            out->ticket_len = 0;
        }
        if (made.data)
            explicit_bzero(made.data, made.len);
        fs_writer_free(&made);
    }
    fs_writer_free(&ticket);
    explicit_bzero(&held, sizeof held);
    explicit_bzero(&kdc_key, sizeof kdc_key);
    return err;
}

uint64_t krb_tgt_expiry(const struct fs_identity *id)
{
    uint64_t expiry = (uint64_t)FS_TIME_NEVER;
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *client = d && id->user ? fs_domain_find_user(d, id->user) : NULL;
    if (id->domain && *id->domain && d && !fs_domain_is_named(d, id->domain))
        client = NULL; /* another realm's name: no KDC of ours will give it a TGT */
    if (client) {
        char realm[256], tgs[300], sname[300];
        krb_realm(d, realm, sizeof realm);
        snprintf(tgs, sizeof tgs, "krbtgt/%s", realm);
        struct krb_key kdc_key;
        if (krb_kdc_key(d, KRB_KDC_ETYPE, &kdc_key) == FS_OK) {
            struct krb_ticket_cache_key key = {id->logon_id, d->serial, client->name, tgs, &kdc_key, 1, NULL};
            struct krb_cached_ticket held = {0};
            struct fs_writer ticket;
            fs_writer_init(&ticket);
            int found = krb_ticket_cache_get(&key, fs_clock_now(), &ticket, &held, sname, sizeof sname);
            if (found && fs_clock_now() < held.endtime)
                expiry = held.endtime;
            else /* the TGT the next use gets: renewed, or new */
                expiry = tgt_times(d, client, found ? &held : NULL, krb_now_seconds()).endtime;
            fs_writer_free(&ticket);
            explicit_bzero(&held, sizeof held);
            explicit_bzero(&kdc_key, sizeof kdc_key);
        }
    }
    fs_domain_release();
    return expiry;
}

fs_err krb_tgt_get_ticket(const struct fs_domain *d, const struct fs_identity *id, const struct fs_user *client,
                          char *realm, struct fs_writer *ticket, struct krb_cached_ticket *out)
{
    fs_err err = krb_tgt_get(d, id, client, realm, out);
    if (err != FS_OK)
        return err;
    char tgs[300], sname[300];
    snprintf(tgs, sizeof tgs, "krbtgt/%s", realm);
    struct krb_key kdc_key;
    err = krb_kdc_key(d, KRB_KDC_ETYPE, &kdc_key);
    struct krb_ticket_cache_key key = {id->logon_id, d->serial, client->name, tgs, &kdc_key, 1, NULL};
    struct krb_cached_ticket held = {0};
    /* krb_tgt_get has just kept it (or found it): short of memory, the cache may not hold it. */
    if (err == FS_OK && !krb_ticket_cache_get(&key, fs_clock_now(), ticket, &held, sname, sizeof sname))
        err = FS_E_NOMEM;
    if (err == FS_OK && ticket->failed)
        err = FS_E_NOMEM;
    explicit_bzero(&held, sizeof held);
    explicit_bzero(&kdc_key, sizeof kdc_key);
    if (err != FS_OK)
        explicit_bzero(out, sizeof *out);
    return err;
}

void krb_tgt_logon(const struct fs_identity *id)
{
    if (id->network_logon || id->s4u_logon || !id->logon_id || !id->user)
        return;
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *client = d ? fs_domain_find_user(d, id->user) : NULL;
    pthread_mutex_lock(&had_lock);
    int before = client && had_find(id->logon_id, client->name);
    pthread_mutex_unlock(&had_lock);
    if (client && !before) {
        char realm[256];
        krb_realm(d, realm, sizeof realm);
        struct krb_cached_ticket tgt;
        /* A session whose account can no longer log on (disabled, locked out) gets none; nothing to report here. */
        if (krb_tgt_get(d, id, client, realm, &tgt) == FS_OK)
            explicit_bzero(&tgt, sizeof tgt);
    }
    fs_domain_release();
}
