/* The client's ticket-granting ticket: what the fake KDC's AS exchange gives a credential, kept in the logon
 * session's ticket cache as krbtgt/REALM, renewed past its end time until its renew-till (doc/semantics.md §62). */
#ifndef FS_KERBEROS_KRB_TGT_H
#define FS_KERBEROS_KRB_TGT_H

#include <stdint.h>

#include "core/error.h"
#include "krb_ticket_cache.h"
#include "packages/package.h"
#include "security/domain.h"

/* The TGT of id's logon session for client (whose password the caller has checked): the session's while it lasts;
 * past its end time but before its renew-till, a renewed one (a new end, the same renew-till); else, or with none,
 * a new one from the AS exchange, unless id holds no password (a network or S4U logon's): FS_E_NO_CREDENTIALS.
 * What is made is kept in the session. Its session key, flags and times in *out (out->ticket NULL). */
FS_MUST_CHECK fs_err krb_tgt_get(const struct fs_domain *d, const struct fs_identity *id, const struct fs_user *client,
                                 char *realm, struct krb_cached_ticket *out);

/* AcquireCredentialsHandle's TimeStamp for an outbound credential of id: its session's TGT's end time, or, with no
 * TGT yet, the end time the TGT its first InitializeSecurityContext gets will have (doc/semantics.md §62).
 * FS_TIME_NEVER for a credential that names no account of the domain. */
uint64_t krb_tgt_expiry(const struct fs_identity *id);

/* The same, the TGT's DER Ticket appended to ticket: what a user-to-user server sends in its KERB-TGT-REPLY
 * (doc/semantics.md §66). */
FS_MUST_CHECK fs_err krb_tgt_get_ticket(const struct fs_domain *d, const struct fs_identity *id,
                                        const struct fs_user *client, char *realm, struct fs_writer *ticket,
                                        struct krb_cached_ticket *out);

/* The TGT a logon with a password holds from its start (doc/semantics.md §70): for id, a session's own user as its
 * default credential has it, the session's TGT is made now unless the session has had one from the AS exchange for
 * that user (a purged TGT does not come back until the next use). A network logon (id->network_logon) holds none. */
void krb_tgt_logon(const struct fs_identity *id);
/* Forgets which sessions have had a TGT: every one (all set; reset) or logon_id's (its session ended). */
void krb_tgt_forget_sessions(int all, uint64_t logon_id);

#endif
