/* The initiator's service-ticket cache: what a Windows client keeps in its logon session until the tickets
 * expire, so that a second handshake to a service reuses the first one's ticket (doc/semantics.md §49). */
#ifndef FS_KERBEROS_KRB_TICKET_CACHE_H
#define FS_KERBEROS_KRB_TICKET_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"
#include "krb_crypto.h"

/* The most tickets held at once, over every logon session; at the bound the least recently used one is
 * forgotten (its session key wiped) to make room: forgetting a ticket only costs the next handshake to its
 * service a new one. */
#define KRB_TICKET_CACHE_MAX 1024u

/* What a ticket is cached under, and what must still hold for it to be reused. */
struct krb_ticket_cache_key {
    uint64_t logon_id;                  /* the credential's logon session (fs_identity's) */
    uint64_t domain_serial;             /* the domain the ticket was made in (a reload forgets every ticket) */
    const char *client;                 /* the client's account, as the domain spells it */
    const char *service;                /* the SPN as the caller wrote it, without "@REALM": matched as the
                                         * acceptor matches SPNs, in Windows' upper case */
    const struct krb_key *service_key;  /* the service's key now: a ticket under another (older) key is not reused */
    int renewable;                      /* a TGT (doc/semantics.md §62): kept, and found by krb_ticket_cache_get, past
                                         * its end time until its renew-till, for the holder to renew; never listed
                                         * once ended */
    const char *server_realm;           /* the realm of a service ticket of a trusted domain (doc/semantics.md §76);
                                         * NULL: the domain's own */
};

/* A ticket as the cache holds it. */
struct krb_cached_ticket {
    const uint8_t *ticket;              /* the DER Ticket, as it goes into the AP-REQ */
    size_t ticket_len;
    struct krb_key session_key;
    uint32_t flags;                     /* TicketFlags */
    uint64_t authtime, starttime, endtime, renew_till;
};

/* On a hit (a ticket under k, started and not yet ended at now; with k->renewable, not past the renew-till of
 * a ticket kept renewable): 1, the ticket's bytes appended to ticket,
 * a copy of its session key and times in *out (out->ticket points into ticket's data), and *sname the name
 * the ticket was made for (into sname, cap bytes). On a miss 0, nothing written. */
int krb_ticket_cache_get(const struct krb_ticket_cache_key *k, uint64_t now, struct fs_writer *ticket,
                         struct krb_cached_ticket *out, char *sname, size_t cap);
/* Keeps a copy of t (its bytes and session key) under k, made for sname (the ticket's service principal as
 * written, without realm), replacing any ticket under the same key. Does nothing when memory is short: the
 * ticket was good, only the next handshake forges again. */
void krb_ticket_cache_put(const struct krb_ticket_cache_key *k, const char *sname, const struct krb_cached_ticket *t);

/* What the LSA's ticket-cache messages show of one ticket (KERB_TICKET_CACHE_INFO_EX and, for
 * KerbRetrieveEncodedTicketMessage, KERB_EXTERNAL_TICKET): lent for the visit only. */
struct krb_ticket_cache_entry {
    uint64_t logon_id;
    const char *client;                 /* "alice" */
    const char *server;                 /* "HTTP/server.example.test", as the ticket names it */
    const char *server_realm;           /* its realm when another domain's (doc/semantics.md §76); NULL: the domain's */
    const struct krb_cached_ticket *ticket;
};

/* Visits, oldest first, the live tickets of logon session logon_id (every session's when all is set),
 * dropping first those of an earlier domain and those whose end time has passed on the virtual clock.
 * Returns how many were visited; visit returning nonzero stops the walk. The cache's lock is held during
 * the walk: visit must not call back into the Kerberos package. */
size_t krb_ticket_cache_enumerate(uint64_t logon_id, int all,
                                  int (*visit)(const struct krb_ticket_cache_entry *e, void *arg), void *arg);
/* KerbPurgeTicketCacheMessage: forgets (wipes) the tickets of logon session logon_id (every session's when
 * all is set) whose service principal is server (matched as SPNs are; NULL: every one). Returns how many. */
size_t krb_ticket_cache_purge(uint64_t logon_id, int all, const char *server);

/* Forgets every ticket (fakesspi_reset) and restores the bound. */
void krb_ticket_cache_reset(void);
/* For tests: a smaller bound (0 restores KRB_TICKET_CACHE_MAX), and how many tickets are held. */
void krb_ticket_cache_set_limit(size_t entries);
size_t krb_ticket_cache_count(void);

#endif
