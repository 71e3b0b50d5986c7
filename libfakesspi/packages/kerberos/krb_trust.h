/* Kerberos across the domain file's trust (doc/semantics.md §76): which domain a realm or an SPN is in, and the
 * inter-realm keys the referral TGTs are encrypted in. */
#ifndef FS_KERBEROS_KRB_TRUST_H
#define FS_KERBEROS_KRB_TRUST_H

#include "krb_crypto.h"
#include "security/domain.h"

/* The inter-realm key's type: AES256, the strongest both Windows KDCs hold (doc/semantics.md §76). */
#define KRB_TRUST_ETYPE KRB_ETYPE_AES256

/* The domain whose realm is realm (case-insensitive): d itself or the domain of one of its trusts; NULL for another. */
const struct fs_domain *krb_domain_of_realm(const struct fs_domain *d, const char *realm);
/* For an SPN that no account of d holds: the trust with the domain that holds it (the SPN bare, or with that domain's
 * "@REALM"), the service in *service; NULL when no trusted domain holds it. */
const struct fs_trust *krb_trust_for_service(const struct fs_domain *d, const char *spn,
                                             const struct fs_user **service);
/* The inter-realm key krbtgt/TO@FROM of trust t (from and to its two domains): string-to-key of the trust password
 * with the principal's RFC 4120 default salt, "FROMkrbtgtTO" (doc/semantics.md §76). */
FS_MUST_CHECK fs_err krb_trust_key(const struct fs_domain *from, const struct fs_domain *to, const struct fs_trust *t,
                                   struct krb_key *out);

#endif
