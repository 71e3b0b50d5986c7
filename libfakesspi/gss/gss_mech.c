/* The table from mechanism OID to SSPI package, and the token framing each mechanism's OID appears in
 * (doc/semantics.md §64). */
#include "gss_mech.h"

#include <string.h>

static gss_OID_desc krb5 = {9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
static gss_OID_desc ms_krb5_oid = {9, (void *)"\x2a\x86\x48\x82\xf7\x12\x01\x02\x02"};
static gss_OID_desc spnego = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};
static gss_OID_desc ntlmssp_oid = {10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};

const struct fs_gss_mech fs_gss_mechs[] = {
    /* MIT's Kerberos V5 (RFC 1964, RFC 4121) */
    {&krb5, &fs_kerberos_package, "Kerberos"},
    /* Microsoft's Kerberos OID (1.2.840.48018.1.2.2), which Windows' SPNEGO offers first; MIT registers its
     * Kerberos mechanism under it too ("mskrb") */
    {&ms_krb5_oid, &fs_kerberos_package, "Kerberos (Microsoft's OID)"},
    /* SPNEGO (RFC 4178), MIT's built-in mechanism */
    {&spnego, &fs_negotiate_package, "SPNEGO"},
    /* NTLMSSP (1.3.6.1.4.1.311.2.2.10), gss-ntlmssp's */
    {&ntlmssp_oid, &fs_ntlm_package, "NTLMSSP"},
};
const size_t fs_gss_mech_count = sizeof fs_gss_mechs / sizeof fs_gss_mechs[0];
const struct fs_gss_mech *const fs_gss_mech_krb5 = &fs_gss_mechs[0];
const struct fs_gss_mech *const fs_gss_mech_spnego = &fs_gss_mechs[2];
static const struct fs_gss_mech *const ms_krb5 = &fs_gss_mechs[1];
static const struct fs_gss_mech *const ntlmssp = &fs_gss_mechs[3];

static int oid_is(const gss_OID_desc *a, const void *elements, size_t len)
{
    return a->length == len && !memcmp(a->elements, elements, len);
}

const struct fs_gss_mech *fs_gss_mech_by_oid(gss_const_OID oid)
{
    if (!oid)
        return NULL;
    for (size_t i = 0; i < fs_gss_mech_count; i++)
        if (oid_is(fs_gss_mechs[i].oid, oid->elements, oid->length))
            return &fs_gss_mechs[i];
    return NULL;
}

const struct fs_gss_mech *fs_gss_mech_of_package(const struct fs_package *pkg)
{
    return pkg == &fs_ntlm_package ? ntlmssp : pkg == &fs_kerberos_package ? fs_gss_mech_krb5 : NULL;
}

/* The offset of the OID's contents in an RFC 2743 3.1 framing ([APPLICATION 0] with a definite length, then the
 * OID's tag and length), and the OID's length; 0 when the token has no such framing. */
static size_t framed_oid(const uint8_t *t, size_t len, size_t *oid_len)
{
    if (len < 2 || t[0] != 0x60)
        return 0;
    size_t at = 2;
    if (t[1] & 0x80) {
        size_t n = t[1] & 0x7f;
        if (n == 0 || n > 4)
            return 0;
        at += n;
    }
    if (len < at + 2 || t[at] != 0x06 || t[at + 1] & 0x80 || len < at + 2 + t[at + 1])
        return 0;
    *oid_len = t[at + 1];
    return at + 2;
}

const struct fs_gss_mech *fs_gss_mech_of_token(const uint8_t *token, size_t len)
{
    if (!token)
        return NULL;
    if (len >= 8 && !memcmp(token, "NTLMSSP", 8))
        return ntlmssp;
    if (len && token[0] == 0x6e)
        return fs_gss_mech_krb5; /* [APPLICATION 14]: an AP-REQ without framing (DCE style) */
    size_t oid_len = 0, at = framed_oid(token, len, &oid_len);
    if (!at)
        return NULL;
    for (size_t i = 0; i < fs_gss_mech_count; i++)
        if (oid_is(fs_gss_mechs[i].oid, token + at, oid_len))
            return &fs_gss_mechs[i];
    return NULL;
}

void fs_gss_mech_frame(const struct fs_gss_mech *m, uint8_t *token, size_t len)
{
    size_t oid_len = 0, at = token && m == ms_krb5 ? framed_oid(token, len, &oid_len) : 0;
    if (at && oid_is(fs_gss_mech_krb5->oid, token + at, oid_len))
        memcpy(token + at, m->oid->elements, oid_len); /* both OIDs are 9 bytes: the framing keeps its length */
}

int fs_gss_mech_owns_oid(gss_const_OID oid)
{
    for (size_t i = 0; i < fs_gss_mech_count; i++)
        if (oid == fs_gss_mechs[i].oid)
            return 1;
    return 0;
}
