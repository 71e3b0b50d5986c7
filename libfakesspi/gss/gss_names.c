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
    if (name)
        free(name->principal);
    free(name);
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
    if (strchr(principal, '@'))
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
