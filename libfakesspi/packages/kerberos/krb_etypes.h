/* Which encryption types the emulated KDC uses for a ticket: the service account's supported types
 * (msDS-SupportedEncryptionTypes) and the client's, strongest first, as Active Directory chooses
 * (doc/semantics.md §53). */
#ifndef FS_KERBEROS_KRB_ETYPES_H
#define FS_KERBEROS_KRB_ETYPES_H

#include <stdint.h>

#include "core/error.h"
#include "security/domain.h"

/* The etypes an account supports, as msDS-SupportedEncryptionTypes bits (security/enctypes.h): its own, or
 * the default when the domain file says nothing. */
uint32_t krb_account_enctypes(const struct fs_user *u);
/* The etypes a client asks the KDC for: every emulated one, or its account's supported_enctypes when the
 * domain file gives them (standing for the client machine's policy); AES only for a member of Protected Users. */
uint32_t krb_client_enctypes(const struct fs_user *client);
/* The strongest etype among the bits (AES256, AES128, then RC4); 0 for none. */
int32_t krb_strongest_etype(uint32_t bits);
/* The ticket's etype (the service's strongest key) and its session key's (the strongest the service and
 * the client share); FS_E_KDC_UNKNOWN_ETYPE when they share none. */
FS_MUST_CHECK fs_err krb_choose_etypes(const struct fs_user *client, const struct fs_user *service,
                                       int32_t *ticket_etype, int32_t *session_etype);

#endif
