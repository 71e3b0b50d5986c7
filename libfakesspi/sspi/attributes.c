/* Context attributes, with the failure Windows gives on the wrong side or before completion. */
#include "attributes.h"

#include <string.h>

#include "buffers.h"
#include "package_info.h"
#include "core/memtrack.h"
#include "security/domain_current.h"

static void put_time(TimeStamp *t, uint64_t v) { t->QuadPart = (LONGLONG)v; }

/* Two strings for one attribute: both, or neither (no half-made result reaches the caller). */
static fs_err two_strings(const char *a, const char *b, int wide, const char *api, void **out_a, void **out_b)
{
    *out_a = fs_context_string(a, wide, api);
    *out_b = fs_context_string(b, wide, api);
    if (*out_a && *out_b)
        return FS_OK;
    fs_mem_discard(*out_a, FS_MEM_CONTEXT_BUFFER, api);
    fs_mem_discard(*out_b, FS_MEM_CONTEXT_BUFFER, api);
    return FS_E_NOMEM;
}

/* The NetBIOS name of the domain that vouched for the client. */
static fs_err authority(char *out, size_t cap)
{
    const struct fs_domain *d = fs_domain_acquire();
    if (d)
        strncpy(out, d->netbios, cap - 1), out[cap - 1] = '\0';
    fs_domain_release();
    return d ? FS_OK : FS_E_DOMAIN_UNUSABLE;
}

typedef fs_err attribute_filler(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide,
                                const char *api);

static fs_err fill_sizes(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide, const char *api)
{
    (void)ctx, (void)wide, (void)api;
    SecPkgContext_Sizes *s = buf;
    s->cbMaxToken = pkg->max_token;
    s->cbMaxSignature = pkg->max_signature;
    s->cbBlockSize = pkg->block_size;
    s->cbSecurityTrailer = pkg->security_trailer;
    if (ctx->pkg->sizes && ctx->state)
        ctx->pkg->sizes(ctx->state, &s->cbMaxSignature, &s->cbSecurityTrailer);
    return FS_OK;
}

static fs_err fill_flags(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide, const char *api)
{
    (void)pkg, (void)wide, (void)api;
    ((SecPkgContext_Flags *)buf)->Flags = ctx->ret_flags;
    return FS_OK;
}

static fs_err fill_package_info(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide,
                                const char *api)
{
    (void)ctx;
    void *info = fs_package_info(pkg, wide, api);
    if (!info)
        return FS_E_NOMEM;
    ((SecPkgContext_PackageInfoA *)buf)->PackageInfo = info;
    return FS_OK;
}

static fs_err fill_negotiation_info(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide,
                                    const char *api)
{
    void *info = fs_package_info(pkg, wide, api);
    if (!info)
        return FS_E_NOMEM;
    SecPkgContext_NegotiationInfoA *n = buf;
    n->PackageInfo = info;
    n->NegotiationState = ctx->complete ? SECPKG_NEGOTIATION_COMPLETE : SECPKG_NEGOTIATION_IN_PROGRESS;
    return FS_OK;
}

static fs_err fill_names(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide, const char *api)
{
    (void)pkg;
    void *s = fs_context_string(ctx->client_name ? ctx->client_name : "", wide, api);
    if (!s)
        return FS_E_NOMEM;
    ((SecPkgContext_NamesA *)buf)->sUserName = s;
    return FS_OK;
}

/* Kerberos names the ticket's principals; other packages the client and the target. */
static fs_err fill_native_names(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide,
                                const char *api)
{
    (void)pkg;
    const char *client_name = NULL, *server_name = NULL;
    if (ctx->pkg->native_names)
        ctx->pkg->native_names(ctx->state, &client_name, &server_name);
    if (!client_name || !server_name) {
        client_name = ctx->client_name ? ctx->client_name : "";
        server_name = ctx->target ? ctx->target : "";
    }
    void *client, *server;
    fs_err err = two_strings(client_name, server_name, wide, api, &client, &server);
    if (err != FS_OK)
        return err;
    SecPkgContext_NativeNamesA *n = buf;
    n->sClientName = client;
    n->sServerName = server;
    return FS_OK;
}

static fs_err fill_credential_name(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide,
                                   const char *api)
{
    (void)pkg;
    void *s = fs_context_string(ctx->cred->name ? ctx->cred->name : "", wide, api);
    if (!s)
        return FS_E_NOMEM;
    SecPkgContext_CredentialNameA *n = buf;
    n->CredentialType = 1; /* SECPKG_CREDENTIAL_NAME_TYPE_LOGON... a user name */
    n->sCredentialName = s;
    return FS_OK;
}

static fs_err fill_authority(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide,
                             const char *api)
{
    (void)ctx, (void)pkg;
    char text[256];
    fs_err err = authority(text, sizeof text);
    void *s = err == FS_OK ? fs_context_string(text, wide, api) : NULL;
    if (!s)
        return err == FS_OK ? FS_E_NOMEM : err;
    ((SecPkgContext_AuthorityA *)buf)->sAuthorityName = s;
    return FS_OK;
}

static fs_err fill_lifespan(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide,
                            const char *api)
{
    (void)pkg, (void)wide, (void)api;
    SecPkgContext_Lifespan *l = buf;
    put_time(&l->tsStart, ctx->start);
    put_time(&l->tsExpiry, ctx->expiry);
    return FS_OK;
}

static fs_err fill_key_info(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide,
                            const char *api)
{
    (void)pkg;
    SecPkgContext_KeyInfoA *k = buf;
    struct fs_key_info info;
    ctx->pkg->key_info(ctx->state, &info);
    void *sig, *enc;
    fs_err err = two_strings(info.signature_name, info.encrypt_name, wide, api, &sig, &enc);
    if (err != FS_OK)
        return err;
    k->sSignatureAlgorithmName = sig;
    k->sEncryptAlgorithmName = enc;
    k->KeySize = info.key_bits;
    k->SignatureAlgorithm = info.signature_algorithm;
    k->EncryptAlgorithm = info.encrypt_algorithm;
    return FS_OK;
}

static fs_err fill_session_key(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide,
                               const char *api)
{
    (void)pkg, (void)wide;
    uint8_t key[64];
    size_t len = sizeof key;
    fs_err err = ctx->pkg->session_key(ctx->state, key, &len);
    if (err != FS_OK)
        return err;
    SecPkgContext_SessionKey *k = buf;
    k->SessionKey = fs_context_buffer(len, api);
    if (k->SessionKey) {
        memcpy(k->SessionKey, key, len);
        k->SessionKeyLength = (ULONG)len;
    }
    explicit_bzero(key, sizeof key);
    return k->SessionKey ? FS_OK : FS_E_NOMEM;
}

static fs_err fill_access_token(struct fs_context *ctx, const struct fs_package *pkg, void *buf, int wide,
                                const char *api)
{
    (void)pkg, (void)wide;
    if (!ctx->server || !ctx->token)
        return FS_E_NO_IMPERSONATION;
    uintptr_t value;
    fs_err err = fs_context_lend_token(ctx, &value, api);
    if (err == FS_OK)
        ((SecPkgContext_AccessToken *)buf)->AccessToken = (void *)value;
    return err;
}

/* Each attribute once: the structure's size (the A and W forms have the same layout), whether it describes
 * only an established context (before completion: SEC_E_UNSUPPORTED_FUNCTION, as Windows), and its filler.
 * SECPKG_ATTR_STREAM_SIZES is absent: none of NTLM, Kerberos or Negotiate is a stream package. */
static const struct attribute {
    ULONG attr;
    ULONG size;
    int established_only;
    attribute_filler *fill;
} attributes[] = {
    {SECPKG_ATTR_SIZES, sizeof(SecPkgContext_Sizes), 0, fill_sizes},
    {SECPKG_ATTR_FLAGS, sizeof(SecPkgContext_Flags), 0, fill_flags},
    {SECPKG_ATTR_PACKAGE_INFO, sizeof(SecPkgContext_PackageInfoA), 0, fill_package_info},
    {SECPKG_ATTR_NEGOTIATION_INFO, sizeof(SecPkgContext_NegotiationInfoA), 0, fill_negotiation_info},
    {SECPKG_ATTR_NAMES, sizeof(SecPkgContext_NamesA), 1, fill_names},
    {SECPKG_ATTR_NATIVE_NAMES, sizeof(SecPkgContext_NativeNamesA), 1, fill_native_names},
    {SECPKG_ATTR_CREDENTIAL_NAME, sizeof(SecPkgContext_CredentialNameA), 1, fill_credential_name},
    {SECPKG_ATTR_AUTHORITY, sizeof(SecPkgContext_AuthorityA), 1, fill_authority},
    {SECPKG_ATTR_LIFESPAN, sizeof(SecPkgContext_Lifespan), 1, fill_lifespan},
    {SECPKG_ATTR_KEY_INFO, sizeof(SecPkgContext_KeyInfoA), 1, fill_key_info},
    {SECPKG_ATTR_SESSION_KEY, sizeof(SecPkgContext_SessionKey), 1, fill_session_key},
    {SECPKG_ATTR_ACCESS_TOKEN, sizeof(SecPkgContext_AccessToken), 1, fill_access_token},
};

static const struct attribute *find_attribute(ULONG attr)
{
    for (size_t i = 0; i < sizeof attributes / sizeof attributes[0]; i++)
        if (attributes[i].attr == attr)
            return &attributes[i];
    return NULL;
}

ULONG fs_attribute_size(ULONG attr)
{
    const struct attribute *a = find_attribute(attr);
    return a ? a->size : 0;
}

fs_err fs_query_attribute(struct fs_context *ctx, ULONG attr, void *buf, int wide, const char *api)
{
    const struct attribute *a = find_attribute(attr);
    if (!a || (a->established_only && !ctx->complete))
        return FS_E_NOT_SUPPORTED;
    return a->fill(ctx, fs_package_effective(ctx->pkg, ctx->state), buf, wide, api);
}
