/* Long-term keys of the fake domain's principals, as a KDC holds them, and the realm's name. */
#ifndef FS_KERBEROS_KRB_KEYS_H
#define FS_KERBEROS_KRB_KEYS_H

#include <stddef.h>

#include "core/error.h"
#include "krb_crypto.h"
#include "security/domain.h"

/* The key version number every long-term key carries: the domain has no password history. */
#define KRB_KVNO 2

/* The realm: the domain's DNS name in capitals ("EXAMPLE.TEST"). */
void krb_realm(const struct fs_domain *d, char *out, size_t cap);
/* The service account a ticket for name is encrypted to: the account that registers the SPN
 * ("HTTP/server.example.test", matched case-insensitively, with or without "@REALM"), or a service
 * account named directly ("svc_server@EXAMPLE.TEST"); NULL if none. Accounts without SPNs are not
 * services: a ticket to a plain user needs user-to-user Kerberos, which is not emulated. */
const struct fs_user *krb_find_service(const struct fs_domain *d, const char *name);
/* The salt Active Directory gives the account's keys (MS-KILE 3.1.1.2): the realm and the name for a user
 * ("EXAMPLE.TESTalice"); for a computer account, whose name ends in "$", the realm, "host", the name in lower
 * case without the "$", "." and the realm in lower case ("EXAMPLE.TESThostserver.example.test"). */
void krb_account_salt(const struct fs_domain *d, const char *name, char *out, size_t cap);
/* u's long-term key of etype: RFC 3962 string-to-key of its password with Active Directory's salt
 * (krb_account_salt). Cached per (etype, salt, password): PBKDF2
 * is the most expensive step of a handshake and depends only on the principal. */
FS_MUST_CHECK fs_err krb_user_key(const struct fs_domain *d, const struct fs_user *u, int32_t etype, struct krb_key *out);
/* The KDC's key (MS-PAC 2.8: it signs the PAC): the krbtgt account's, or, in a domain without one, a key of
 * the domain's own (string-to-key of "krbtgt:" and the domain SID), so that every domain can issue PACs. */
FS_MUST_CHECK fs_err krb_kdc_key(const struct fs_domain *d, int32_t etype, struct krb_key *out);
/* Forgets the cached keys (fakesspi_reset). */
void krb_keys_reset(void);

#endif
