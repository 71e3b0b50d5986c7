/* MS-PAC: the privilege attribute certificate a KDC puts in every ticket (AD-IF-RELEVANT holding
 * AD-WIN2K-PAC, RFC 4120 7.5.4), with the client's user and group SIDs, its names, and the signatures
 * of the service's key and the KDC's (krbtgt) key. */
#ifndef FS_KERBEROS_PAC_H
#define FS_KERBEROS_PAC_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"
#include "krb_crypto.h"
#include "security/domain.h"

#define KRB_AD_WIN2K_PAC 128

/* PAC_INFO_BUFFER ulType values (MS-PAC 2.4) */
#define PAC_LOGON_INFO 1
#define PAC_SERVER_CHECKSUM 6
#define PAC_PRIVSVR_CHECKSUM 7
#define PAC_CLIENT_INFO 10
#define PAC_UPN_DNS_INFO 12
#define PAC_TICKET_CHECKSUM 16
#define PAC_FULL_CHECKSUM 19

/* KERB_NON_KERB_CKSUM_SALT (MS-KILE 3.1.5.9): the key usage of every PAC signature. */
#define KRB_USAGE_PAC_CHECKSUM 17

/* KERB_VALIDATION_INFO's UserFlags (MS-PAC 2.5) */
#define PAC_LOGON_EXTRA_SIDS 0x20
#define PAC_LOGON_RESOURCE_GROUPS 0x200 /* D: ResourceGroupDomainSid and ResourceGroupIds are set */
/* UPN_DNS_INFO's Flags (MS-PAC 2.10) */
#define PAC_UPN_CONSTRUCTED 0x1    /* U: the account has no userPrincipalName; the UPN is name@dns */
#define PAC_UPN_HAS_SAM_AND_SID 0x2 /* S: SamName and Sid follow */

#define KRB_PAC_MAX_BUFFERS 16
#define KRB_PAC_MAX_SIDS 1024       /* more groups or SIDs than this in one PAC is refused, not cut */

struct krb_pac_group {
    uint32_t rid;
    uint32_t attributes;            /* SE_GROUP_* */
};

struct krb_pac_sid {
    struct fs_sid sid;
    uint32_t attributes;
};

/* What KERB_VALIDATION_INFO says about the client (the fields a token needs). */
struct krb_pac_logon {
    uint64_t logon_time;            /* FILETIME */
    char *effective_name;           /* owned, UTF-8 */
    char *full_name;                /* owned */
    char *logon_server;             /* owned */
    char *logon_domain;             /* owned: NetBIOS name */
    struct fs_sid domain_sid;       /* LogonDomainId */
    uint32_t user_rid, primary_rid;
    uint32_t user_flags, uac;
    size_t ngroups;
    struct krb_pac_group *groups;   /* owned: GroupIds, RIDs in domain_sid */
    size_t nextra;
    struct krb_pac_sid *extra;      /* owned: ExtraSids */
    struct fs_sid resource_domain;  /* ResourceGroupDomainSid (count 0: none) */
    size_t nresource;
    struct krb_pac_group *resource; /* owned: ResourceGroupIds, RIDs in resource_domain */
};

/* The domain-local groups another domain's KDC adds to a cross-realm client's PAC (MS-KILE 3.3.5.7.3,
 * doc/semantics.md §76): RIDs in domain. */
struct krb_pac_resource {
    const struct fs_sid *domain;
    const uint32_t *rids;
    size_t n;
};

/* A PAC as parsed. */
struct krb_pac {
    size_t nbuffers;
    uint32_t types[KRB_PAC_MAX_BUFFERS];
    int has_logon;
    struct krb_pac_logon logon;
    int has_client;
    uint64_t client_id;             /* PAC_CLIENT_INFO: the ticket's authtime */
    char *client_name;              /* owned */
    int has_upn;
    uint32_t upn_flags;
    char *upn, *dns_domain, *sam_name; /* owned; sam_name NULL without the S flag */
    struct fs_sid upn_sid;
};

void krb_pac_free(struct krb_pac *p);

/* The PAC a KDC of domain d issues for u, logged on at authtime (a FILETIME of whole seconds): logon
 * information, client information, UPN and DNS information, and the four signature buffers of
 * cksum_type, zeros for now. NEW bytes appended to out. FS_E_NOT_SUPPORTED for more groups than a PAC
 * carries here. */
FS_MUST_CHECK fs_err krb_pac_build(const struct fs_domain *d, const struct fs_user *u, uint64_t authtime,
                                   int32_t cksum_type, struct fs_writer *out);
/* The same, with the server's signature of its own type (the ticket's key's: HMAC-MD5 for an RC4 service, MS-PAC
 * 2.8) and the KDC's three of the KDC key's. */
FS_MUST_CHECK fs_err krb_pac_build_for(const struct fs_domain *d, const struct fs_user *u, uint64_t authtime,
                                       int32_t server_cksum_type, int32_t kdc_cksum_type, struct fs_writer *out);
/* The same, with resource groups (NULL: none), as the KDC of the service's domain issues a cross-realm client's
 * service ticket (doc/semantics.md §76). */
FS_MUST_CHECK fs_err krb_pac_build_resource(const struct fs_domain *d, const struct fs_user *u, uint64_t authtime,
                                            int32_t server_cksum_type, int32_t kdc_cksum_type,
                                            const struct krb_pac_resource *resource, struct fs_writer *out);
/* Signs a PAC from krb_pac_build in place, in MS-PAC 2.8's order: the ticket signature over ticket (the
 * encoded EncTicketPart with the PAC's ad-data a single zero byte), the full PAC signature, the server's,
 * and the KDC's over the server's. */
FS_MUST_CHECK fs_err krb_pac_sign(uint8_t *pac, size_t len, const uint8_t *ticket, size_t ticket_len,
                                  const struct krb_key *server, const struct krb_key *kdc);
/* The checks an application server makes (MS-KILE 3.4.5.3): a well-formed PAC whose server signature
 * verifies under server. FS_E_INVALID_TOKEN when malformed, FS_E_MESSAGE_ALTERED when a signature does
 * not verify or is missing. */
FS_MUST_CHECK fs_err krb_pac_verify_server(const uint8_t *pac, size_t len, const struct krb_key *server);
/* What a KDC checks besides: the KDC signature over the server's, the full PAC signature and, with ticket
 * (as for krb_pac_sign), the ticket signature, all under kdc. */
FS_MUST_CHECK fs_err krb_pac_verify_kdc(const uint8_t *pac, size_t len, const uint8_t *ticket, size_t ticket_len,
                                        const struct krb_key *kdc);
/* The PAC an acceptor's context (the Kerberos package's state) kept from the ticket, whole, once its server
 * signature verified; NULL (and *len 0) for an initiator's context or a ticket without one. BORROWED from state. */
const uint8_t *krb_context_pac(const void *state, size_t *len);
/* Parses the buffers the emulation reads (logon, client and UPN information); others are listed in
 * types and skipped. FS_E_INVALID_TOKEN when malformed. */
FS_MUST_CHECK fs_err krb_pac_parse(const uint8_t *pac, size_t len, struct krb_pac *out);

#endif
