/* The fake KDC's issuing: a ticket with its PAC, as an Active Directory KDC makes it, and the lifetimes the
 * domain's Kerberos policy gives tickets (doc/semantics.md §62). */
#ifndef FS_KERBEROS_KRB_KDC_H
#define FS_KERBEROS_KRB_KDC_H

#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"
#include "krb_crypto.h"
#include "krb_ticket_cache.h"
#include "security/domain.h"

/* The KDC's own key: krbtgt's strongest (MS-PAC 2.8: it signs the PAC). */
#define KRB_KDC_ETYPE KRB_ETYPE_AES256

/* A ticket's times (FILETIMEs on the virtual clock, whole seconds). */
struct krb_times {
    uint64_t authtime, starttime, endtime, renew_till;
};

/* The domain's "Maximum lifetime for user ticket" and "Maximum lifetime for user ticket renewal" for client
 * (100 ns units): the [domain] keys or AD's defaults, 10 hours and 7 days; 4 hours each for a member of Protected
 * Users (MS-KILE 3.3.5.6, doc/semantics.md §57). */
uint64_t krb_max_ticket_age(const struct fs_domain *d, const struct fs_user *client);
uint64_t krb_max_renew_age(const struct fs_domain *d, const struct fs_user *client);

/* Now on the virtual clock, cut to whole seconds (KerberosTime has no fractions). */
uint64_t krb_now_seconds(void);

/* A new ticket for spn (a service, or krbtgt/REALM) in service_key, as the KDC would issue it to client: the usual
 * flags (FORWARDABLE unless a Protected User, RENEWABLE, PRE-AUTHENT, NAME-CANONICALIZE, OK-AS-DELEGATE to a service
 * trusted for delegation) with extra_flags, the times *times; the DER Ticket appended to ticket, its session key,
 * flags and times in *out (out->ticket left NULL). */
FS_MUST_CHECK fs_err krb_kdc_issue(const struct fs_domain *d, const struct fs_user *client, const char *spn,
                                   char *realm, const struct krb_key *service_key, uint32_t extra_flags,
                                   const struct krb_times *times, struct fs_writer *ticket,
                                   struct krb_cached_ticket *out);

/* The KDC of kdc's domain, given a referral TGT (the DER Ticket krbtgt/KDC-REALM@HOME-REALM, in trust_key), issues a
 * client of home's domain a ticket for spn, a service of kdc's domain in service_key (RFC 4120 3.3.3, MS-KILE
 * 3.3.5.7.5): its PAC is the client's home PAC with kdc's domain-local groups the client is a member of as resource
 * groups (MS-KILE 3.3.5.7.3); it ends no later than the referral (doc/semantics.md §76). FS_E_LOGON_DENIED for a
 * referral that does not open or names another client, FS_E_TIME_SKEW for an ended one. */
FS_MUST_CHECK fs_err krb_kdc_issue_cross(const struct fs_domain *home, const struct fs_domain *kdc,
                                         const struct fs_user *client, const char *spn, const uint8_t *referral,
                                         size_t referral_len, const struct krb_key *trust_key,
                                         const struct krb_key *service_key, const struct krb_times *times,
                                         struct fs_writer *ticket, struct krb_cached_ticket *out);

/* RFC 4120 3.3.3's ENC-TKT-IN-SKEY (user-to-user, doc/semantics.md §66): the ticket for spn encrypted in the session key
 * of server_tgt (the DER Ticket a KERB-TGT-REPLY carried), which must be a TGT of this KDC, not ended, whose client
 * owns spn; it ends no later than that TGT. The ticket appended to ticket, its session key and times in *out, the TGT's
 * session key in *tgt_key. FS_E_INVALID_TOKEN for a ticket that does not parse, FS_E_LOGON_DENIED for one the KDC did
 * not make, FS_E_TIME_SKEW for an ended one, FS_E_WRONG_PRINCIPAL for another account's. */
FS_MUST_CHECK fs_err krb_kdc_issue_u2u(const struct fs_domain *d, const struct fs_user *client, const char *spn,
                                       char *realm, const uint8_t *server_tgt, size_t tgt_len,
                                       const struct krb_times *times, struct fs_writer *ticket,
                                       struct krb_cached_ticket *out, struct krb_key *tgt_key);

#endif
