/* A service ticket handed out whole, as LsaCallAuthenticationPackage's KerbRetrieveEncodedTicketMessage hands
 * it (doc/semantics.md §51): from the logon session's ticket cache (§49), or made as InitializeSecurityContext
 * makes it. */
#ifndef FS_KERBEROS_KRB_RETRIEVE_H
#define FS_KERBEROS_KRB_RETRIEVE_H

#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"
#include "krb_ticket_cache.h"
#include "packages/package.h"

/* How: */
#define KRB_RETRIEVE_FRESH 0x1       /* never the cached ticket: a new one */
#define KRB_RETRIEVE_CACHED_ONLY 0x2 /* only the cached ticket: FS_E_NO_CACHED_TICKET without one */
#define KRB_RETRIEVE_KEEP 0x4        /* a new ticket is kept in the session's cache */

struct krb_retrieved {
    struct fs_writer ticket;      /* the DER Ticket */
    struct krb_cached_ticket t;   /* its session key, flags and times (t.ticket is not set) */
    char client[256];             /* "alice" */
    char service[512];            /* the SPN the ticket names, without "@REALM" */
    char realm[256];              /* "EXAMPLE.TEST" */
    char server_realm[256];       /* the service's realm: the realm's, or a trusted domain's (doc/semantics.md §76) */
};

/* The ticket of id's logon session and principal for target (an SPN, "@REALM" optional; of a trusted domain, through
 * the referral, doc/semantics.md §76):
 * FS_E_NO_TRUST_SAM_ACCOUNT for a name no account of the domain registers (what the KDC's answer becomes),
 * FS_E_LOGON_DENIED for a wrong password, FS_E_NO_CACHED_TICKET.
 * On success free *out with krb_retrieved_free, which wipes the session key. */
FS_MUST_CHECK fs_err krb_retrieve_ticket(const struct fs_identity *id, const char *target, unsigned how,
                                         struct krb_retrieved *out);
/* The session's TGT, krbtgt/REALM (doc/semantics.md §70): the one held, else one made (or renewed) as the first
 * InitializeSecurityContext gets it (doc/semantics.md §62); with KRB_RETRIEVE_CACHED_ONLY only a TGT held and not ended
 * (FS_E_NO_CACHED_TICKET). Its session key's bytes are zero. FS_E_NO_CREDENTIALS for a session that has none and no
 * password to get one (a network logon's). */
FS_MUST_CHECK fs_err krb_retrieve_tgt(const struct fs_identity *id, unsigned how, struct krb_retrieved *out);
void krb_retrieved_free(struct krb_retrieved *r);

#endif
