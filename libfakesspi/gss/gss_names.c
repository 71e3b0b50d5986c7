/* GSSAPI names of the Kerberos mechanism: import (RFC 2743 4), and the account a name stands for. */
#include "gss_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf.h"
#include "packages/kerberos/krb_keys.h"
#include "security/domain_current.h"

gss_OID_desc fs_gss_krb5_oid = {9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
gss_OID_desc fs_gss_krb5_name_type = {10, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x01"};
/* RFC 2743 4.1 to 4.7: the standard name types. */
static const gss_OID_desc nt_user_name = {10, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x01"};
static const gss_OID_desc nt_hostbased = {6, (void *)"\x2b\x06\x01\x05\x06\x02"};
static const gss_OID_desc nt_hostbased_v1 = {10, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04"};
static const gss_OID_desc nt_export_name = {6, (void *)"\x2b\x06\x01\x05\x06\x04"};

const gss_OID_desc *const fs_gss_name_types[] = {&nt_user_name, &nt_hostbased_v1, &nt_hostbased,
                                                 &fs_gss_krb5_name_type, &nt_export_name};
const size_t fs_gss_name_type_count = sizeof fs_gss_name_types / sizeof fs_gss_name_types[0];

static int oid_is(const gss_OID a, const gss_OID_desc *b)
{
    return a && a->length == b->length && !memcmp(a->elements, b->elements, b->length);
}

fs_err fs_gss_name_new(const char *principal, struct fs_gss_name **out)
{
    struct fs_gss_name *n = fs_calloc(1, sizeof *n);
    if (!n || !(n->principal = fs_strdup(principal))) {
        free(n);
        return FS_E_NOMEM;
    }
    *out = n;
    return FS_OK;
}

void fs_gss_name_free(struct fs_gss_name *name)
{
    if (name) {
        free(name->principal);
        free(name->pac);
    }
    free(name);
}

fs_err fs_gss_name_set_pac(struct fs_gss_name *name, const uint8_t *pac, size_t len)
{
    uint8_t *copy = len ? malloc(len) : NULL;
    if (len && !copy)
        return FS_E_NOMEM;
    if (len)
        memcpy(copy, pac, len);
    free(name->pac);
    name->pac = copy;
    name->pac_len = len;
    return FS_OK;
}

fs_err fs_gss_name_copy(const struct fs_gss_name *src, struct fs_gss_name **out)
{
    struct fs_gss_name *n;
    fs_err err = fs_gss_name_new(src->principal, &n);
    if (err == FS_OK && src->pac && (err = fs_gss_name_set_pac(n, src->pac, src->pac_len)) != FS_OK)
        fs_gss_name_free(n);
    if (err == FS_OK)
        *out = n;
    return err;
}

/* ---- the PAC's buffers as name attributes (RFC 6680; doc/semantics.md §50) ---- */

#define MSPAC_PREFIX "urn:mspac:"
#define MSPAC_WHOLE UINT32_MAX /* "urn:mspac:" alone: the whole PAC */

/* The PAC buffer types MIT's mechanism names (MS-PAC 2.4); any other is "urn:mspac:<type>". */
static const struct {
    uint32_t type;
    const char *name;
} mspac_names[] = {
    {MSPAC_WHOLE, MSPAC_PREFIX},
    {1, MSPAC_PREFIX "logon-info"},
    {2, MSPAC_PREFIX "credentials-info"},
    {6, MSPAC_PREFIX "server-checksum"},
    {7, MSPAC_PREFIX "privsvr-checksum"},
    {10, MSPAC_PREFIX "client-info"},
    {11, MSPAC_PREFIX "delegation-info"},
    {12, MSPAC_PREFIX "upn-dns-info"},
};

static uint32_t le32(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* MS-PAC 2.3: cBuffers and Version, then cBuffers PAC_INFO_BUFFERs of ulType, cbBufferSize and an 8-byte Offset.
 * The number of buffers whose entries fit (the acceptor verified the PAC, so all of them). */
static size_t pac_count(const uint8_t *pac, size_t len)
{
    if (len < 8)
        return 0;
    size_t n = le32(pac);
    return n <= (len - 8) / 16 ? n : (len - 8) / 16;
}

/* Buffer i's type and bytes; 0 when its bytes lie outside the PAC. */
static int pac_buffer(const uint8_t *pac, size_t len, size_t i, uint32_t *type, const uint8_t **bytes, size_t *size)
{
    const uint8_t *e = pac + 8 + 16 * i;
    uint64_t offset = le32(e + 8) | (uint64_t)le32(e + 12) << 32;
    *type = le32(e);
    *size = le32(e + 4);
    if (offset > len || *size > len - offset)
        return 0;
    *bytes = pac + offset;
    return 1;
}

static fs_err add_attribute(char *text, gss_buffer_set_t *set)
{
    OM_uint32 minor;
    gss_buffer_desc b = {strlen(text), text}; /* the mechglue copies it */
    return gss_add_buffer_set_member(&minor, &b, set) == GSS_S_COMPLETE ? FS_OK : FS_E_NOMEM;
}

fs_err fs_gss_name_attributes(const struct fs_gss_name *name, gss_buffer_set_t *out)
{
    *out = GSS_C_NO_BUFFER_SET;
    if (!name->pac)
        return FS_OK;
    OM_uint32 minor;
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    /* Made with the mechglue's own calls, as the caller frees it with gss_release_buffer_set. */
    if (gss_create_empty_buffer_set(&minor, &set) != GSS_S_COMPLETE)
        return FS_E_NOMEM;
    char whole[] = MSPAC_PREFIX;
    fs_err err = add_attribute(whole, &set);
    for (size_t i = 0, n = pac_count(name->pac, name->pac_len); err == FS_OK && i < n; i++) {
        uint32_t type = le32(name->pac + 8 + 16 * i);
        char text[32];
        snprintf(text, sizeof text, MSPAC_PREFIX "%u", (unsigned)type);
        for (size_t k = 1; k < sizeof mspac_names / sizeof mspac_names[0]; k++)
            if (mspac_names[k].type == type)
                snprintf(text, sizeof text, "%s", mspac_names[k].name);
        err = add_attribute(text, &set);
    }
    if (err != FS_OK) {
        gss_release_buffer_set(&minor, &set);
        return err;
    }
    *out = set;
    return FS_OK;
}

/* The PAC buffer type an attribute names: one of MIT's names (any case), or "urn:mspac:" and a type in
 * decimal digits, not 0. 0 when it names none. */
static int attribute_type(const gss_buffer_t attr, uint32_t *type)
{
    const char *text = attr->value;
    const size_t prefix = strlen(MSPAC_PREFIX);
    for (size_t k = 0; k < sizeof mspac_names / sizeof mspac_names[0]; k++) {
        if (attr->length == strlen(mspac_names[k].name) && !fs_ascii_ncasecmp(text, mspac_names[k].name, attr->length)) {
            *type = mspac_names[k].type;
            return 1;
        }
    }
    if (attr->length <= prefix || attr->length > prefix + 10 || fs_ascii_ncasecmp(text, MSPAC_PREFIX, prefix))
        return 0;
    uint64_t n = 0;
    for (size_t i = prefix; i < attr->length; i++) {
        if (text[i] < '0' || text[i] > '9')
            return 0;
        n = n * 10 + (uint64_t)(text[i] - '0');
    }
    if (!n || n >= MSPAC_WHOLE)
        return 0;
    *type = (uint32_t)n;
    return 1;
}

fs_err fs_gss_name_attribute(const struct fs_gss_name *name, const gss_buffer_t attr, const uint8_t **value,
                             size_t *len)
{
    uint32_t type;
    if (!name->pac || !attr || (attr->length && !attr->value) || !attribute_type(attr, &type))
        return FS_E_NOT_SUPPORTED;
    if (type == MSPAC_WHOLE) {
        *value = name->pac;
        *len = name->pac_len;
        return FS_OK;
    }
    for (size_t i = 0, n = pac_count(name->pac, name->pac_len); i < n; i++) {
        uint32_t t;
        if (pac_buffer(name->pac, name->pac_len, i, &t, value, len) && t == type)
            return FS_OK;
    }
    return FS_E_NOT_SUPPORTED;
}

/* RFC 2743 3.2: 04 01, the mechanism OID's DER length (2 bytes) and DER, the name's length (4 bytes), the name. */
static fs_err export_name_text(const uint8_t *p, size_t len, const uint8_t **name, size_t *name_len)
{
    const size_t oid_der = 2 + fs_gss_krb5_oid.length;
    if (len < 4 + oid_der + 4 || p[0] != 0x04 || p[1] != 0x01 || ((size_t)p[2] << 8 | p[3]) != oid_der ||
        p[4] != 0x06 || p[5] != fs_gss_krb5_oid.length || memcmp(p + 6, fs_gss_krb5_oid.elements, fs_gss_krb5_oid.length))
        return FS_E_INVALID_DATA;
    const uint8_t *q = p + 4 + oid_der;
    size_t n = (size_t)q[0] << 24 | (size_t)q[1] << 16 | (size_t)q[2] << 8 | q[3];
    if (n != len - (4 + oid_der + 4))
        return FS_E_INVALID_DATA;
    *name = q + 4;
    *name_len = n;
    return FS_OK;
}

fs_err fs_gss_name_import(const gss_buffer_t text, const gss_OID type, struct fs_gss_name **out)
{
    if (!text || (text->length && !text->value))
        return FS_E_INVALID_DATA;
    const uint8_t *bytes = text->value;
    size_t len = text->length;
    int hostbased = oid_is(type, &nt_hostbased) || oid_is(type, &nt_hostbased_v1);
    if (oid_is(type, &nt_export_name)) {
        fs_err err = export_name_text(text->value, text->length, &bytes, &len);
        if (err != FS_OK)
            return err;
    } else if (!hostbased && type && !oid_is(type, &nt_user_name) && !oid_is(type, &fs_gss_krb5_name_type)) {
        return FS_E_NOT_SUPPORTED;
    }
    /* A name may end in one NUL: MIT's gss-server counts the C string's terminator in the buffer, and MIT's own
     * mechanism reads the text as a C string (doc/semantics.md §50). A NUL anywhere else names nothing. */
    if (len && !bytes[len - 1])
        len--;
    if (!len || memchr(bytes, '\0', len))
        return FS_E_INVALID_DATA;
    char *s = fs_strndup((const char *)bytes, len);
    if (!s)
        return FS_E_NOMEM;
    if (hostbased) {
        /* "service@host" is the principal "service/host" (RFC 4120 6.2.1); a service without a host is not
         * one the fake domain can name. */
        char *at = strchr(s, '@');
        if (!at || at == s || !at[1]) {
            free(s);
            return FS_E_INVALID_DATA;
        }
        *at = '/';
    }
    struct fs_gss_name *n = fs_calloc(1, sizeof *n);
    if (!n) {
        free(s);
        return FS_E_NOMEM;
    }
    n->principal = s;
    *out = n;
    return FS_OK;
}

const struct fs_user *fs_gss_name_account(const struct fs_domain *d, const char *principal)
{
    if (strchr(principal, '/'))
        return krb_find_service(d, principal);
    const char *slash = strchr(principal, '\\');
    if (slash) {
        /* An NTLM user's "EXAMPLE\\alice", as gss-ntlmssp's names are written: the domain's NetBIOS name only. */
        size_t n = (size_t)(slash - principal);
        if (n != strlen(d->netbios) || fs_ascii_ncasecmp(principal, d->netbios, n))
            return NULL;
        return fs_domain_find_user(d, slash + 1);
    }
    char name[FS_DOMAIN_KEY_MAX];
    const char *at = strchr(principal, '@');
    size_t len = at ? (size_t)(at - principal) : strlen(principal);
    if (len >= sizeof name)
        return NULL;
    if (at) {
        char realm[256];
        krb_realm(d, realm, sizeof realm);
        if (fs_ascii_casecmp(at + 1, realm))
            return NULL; /* another realm: the fake domain trusts none */
    }
    memcpy(name, principal, len);
    name[len] = '\0';
    return fs_domain_find_user(d, name);
}

fs_err fs_gss_name_canonical(const char *principal, char **out)
{
    if (strchr(principal, '@') || strchr(principal, '\\')) /* a realm already, or an NTLM user's "EXAMPLE\\bob" */
        return (*out = fs_strdup(principal)) ? FS_OK : FS_E_NOMEM;
    const struct fs_domain *d = fs_domain_acquire();
    char realm[256] = "";
    if (d)
        krb_realm(d, realm, sizeof realm);
    fs_domain_release();
    if (!d)
        return FS_E_DOMAIN_UNUSABLE;
    size_t len = strlen(principal) + 1 + strlen(realm) + 1;
    char *s = fs_calloc(1, len);
    if (!s)
        return FS_E_NOMEM;
    snprintf(s, len, "%s@%s", principal, realm);
    *out = s;
    return FS_OK;
}
