/* The emulated KDC's choice of encryption types. */
#include "krb_etypes.h"

#include "krb_crypto.h"
#include "security/enctypes.h"

uint32_t krb_account_enctypes(const struct fs_user *u)
{
    return u && u->supported_enctypes ? u->supported_enctypes : FS_ENCTYPES_DEFAULT;
}

uint32_t krb_client_enctypes(const struct fs_user *client)
{
    uint32_t asked = client && client->supported_enctypes ? client->supported_enctypes : FS_ENCTYPES_KNOWN;
    /* A member of Protected Users uses AES only, whatever its account lists (MS-KILE 3.3.5.6, doc/semantics.md §57). */
    return client && client->protected_user ? asked & (FS_ENCTYPE_AES128 | FS_ENCTYPE_AES256) : asked;
}

int32_t krb_strongest_etype(uint32_t bits)
{
    if (bits & FS_ENCTYPE_AES256)
        return KRB_ETYPE_AES256;
    if (bits & FS_ENCTYPE_AES128)
        return KRB_ETYPE_AES128;
    if (bits & FS_ENCTYPE_RC4)
        return KRB_ETYPE_RC4;
    return 0;
}

fs_err krb_choose_etypes(const struct fs_user *client, const struct fs_user *service, int32_t *ticket_etype,
                         int32_t *session_etype)
{
    uint32_t theirs = krb_account_enctypes(service);
    int32_t session = krb_strongest_etype(theirs & krb_client_enctypes(client));
    if (!session)
        return FS_E_KDC_UNKNOWN_ETYPE; /* KDC_ERR_ETYPE_NOSUPP */
    *ticket_etype = krb_strongest_etype(theirs);
    *session_etype = session;
    return FS_OK;
}
