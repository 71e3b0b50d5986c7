/* Kerberos delegation on the package's behalf (doc/semantics.md §54): the acceptor's side (what it keeps in the
 * client's network-logon session) and the side of a credential of that session (what the KDC would grant it). */
#ifndef FS_KERBEROS_KRB_DELEGATION_H
#define FS_KERBEROS_KRB_DELEGATION_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "krb_cred.h"
#include "krb_messages.h"
#include "packages/package.h"
#include "security/domain.h"
#include "security/token.h"

/* The client a credential of a network logon's session (id->network_logon) speaks for toward target: its user when
 * the session holds a forwarded TGT, or S4U2Proxy's evidence the KDC honours for target (constrained delegation,
 * protocol transition); FS_E_NO_CREDENTIALS otherwise. *out is the domain's. */
FS_MUST_CHECK fs_err krb_delegated_client(const struct fs_domain *d, const struct fs_identity *id, const char *target,
                                          const struct fs_user **out);

/* Opens the KRB-CRED of an authenticator checksum that set GSS_C_DELEG_FLAG: FS_E_INVALID_TOKEN when it does not
 * open or parse, FS_E_LOGON_DENIED when it forwards another client's or realm's TGT. Free *c with krb_cred_free on
 * success. */
FS_MUST_CHECK fs_err krb_open_delegation(const struct krb_ticket *t, const struct krb_authenticator *a,
                                         struct krb_cred *c);
/* Keeps the forwarded TGT of c in the logon session of peer (the accepted context's NEW token). */
void krb_keep_delegation(const struct fs_domain *d, const struct krb_cred *c, const struct fs_token *peer);
/* Keeps the client's ticket of the AP-REQ (ap_req, len; r and t as parsed and opened) in peer's session when the
 * service has a msDS-AllowedToDelegateTo: S4U2Proxy's evidence. */
void krb_keep_evidence(const struct fs_domain *d, const struct krb_ap_req *r, const uint8_t *ap_req, size_t len,
                       const struct krb_ticket *t, const struct fs_token *peer);

#endif
