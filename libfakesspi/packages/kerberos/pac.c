/* Building, signing, verifying and reading MS-PAC PACs: the PACTYPE header and its buffers, the
 * KERB_VALIDATION_INFO in NDR (ndr.c), PAC_CLIENT_INFO, UPN_DNS_INFO and the PAC_SIGNATURE_DATA of
 * each key. */
#include "pac.h"

#include <nettle/memops.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/utf.h"
#include "ndr.h"
#include "security/wellknown.h"
#include "winnt.h"

#define HEADER_SIZE 8
#define INFO_SIZE 16
#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

#define GROUP_ATTRIBUTES (SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED)
/* What AD's default password policy gives: the password may change after a day and never expires. */
#define ONE_DAY (86400ull * FS_FILETIME_PER_SECOND)
#define USER_NORMAL_ACCOUNT 0x10
#define USER_DONT_EXPIRE_PASSWORD 0x200

void krb_pac_free(struct krb_pac *p)
{
    free(p->logon.effective_name);
    free(p->logon.full_name);
    free(p->logon.logon_server);
    free(p->logon.logon_domain);
    free(p->logon.groups);
    free(p->logon.extra);
    free(p->logon.resource);
    free(p->client_name);
    free(p->upn);
    free(p->dns_domain);
    free(p->sam_name);
    memset(p, 0, sizeof *p);
}

/* ---- building ---- */

/* UTF-8 as NEW UTF-16 units (lenient: the domain's names are valid UTF-8). */
static uint16_t *to_units(const char *s, size_t *units)
{
    fs_utf8_to_utf16(s, strlen(s), NULL, 0, units, 0);
    uint16_t *u = fs_malloc(*units * 2 + 2);
    if (u)
        fs_utf8_to_utf16(s, strlen(s), u, *units + 1, units, 0);
    return u;
}

struct text {
    uint16_t *units;
    size_t n;
};

/* A PAC's strings are counted in bytes in 16 bits (RPC_UNICODE_STRING, MS-PAC 2.10's offsets): a longer one
 * would be cut, not carried. The domain's limits keep its names far below this (doc/semantics.md §30). */
#define PAC_STRING_MAX_UNITS 0x7fff

static fs_err texts_from(struct text *t, const char *const *s, size_t n)
{
    fs_err err = FS_OK;
    for (size_t i = 0; i < n; i++) {
        if (!(t[i].units = to_units(s[i] ? s[i] : "", &t[i].n)))
            err = FS_E_NOMEM;
        else if (t[i].n > PAC_STRING_MAX_UNITS && err == FS_OK)
            err = FS_E_NOT_SUPPORTED;
    }
    return err;
}

static void texts_free(struct text *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(t[i].units);
}

/* The groups of u as a KDC splits them: RIDs of the domain in GroupIds (the primary group first), every
 * other SID (BUILTIN's aliases, which a member server's own SAM would add, and the asserted identity)
 * in ExtraSids. */
static fs_err split_groups(const struct fs_domain *d, const struct fs_user *u, struct krb_pac_logon *l)
{
    struct fs_sid *all = NULL;
    size_t n = 0;
    fs_err err = fs_domain_expand_groups(d, u->groups, u->ngroups, &all, &n);
    if (err != FS_OK)
        return err;
    if (n + 2 > KRB_PAC_MAX_SIDS) {
        free(all);
        return FS_E_NOT_SUPPORTED;
    }
    l->groups = fs_calloc(n + 1, sizeof *l->groups);
    l->extra = fs_calloc(n + 1, sizeof *l->extra);
    if (!l->groups || !l->extra) {
        free(all);
        return FS_E_NOMEM;
    }
    l->groups[l->ngroups++] = (struct krb_pac_group){u->primary_group_rid, GROUP_ATTRIBUTES};
    for (size_t i = 0; i < n; i++) {
        uint32_t rid;
        if (fs_sid_is_in_domain(&all[i], &d->sid, &rid)) {
            if (rid != u->primary_group_rid)
                l->groups[l->ngroups++] = (struct krb_pac_group){rid, GROUP_ATTRIBUTES};
        } else {
            l->extra[l->nextra++] = (struct krb_pac_sid){all[i], GROUP_ATTRIBUTES | SE_GROUP_RESOURCE};
        }
    }
    free(all);
    fs_sid_parse_known(FS_SID_AUTHORITY_ASSERTED, &l->extra[l->nextra].sid);
    l->extra[l->nextra++].attributes = GROUP_ATTRIBUTES;
    return FS_OK;
}

/* KERB_VALIDATION_INFO (MS-PAC 2.5) behind a top-level unique pointer, fields in their order, then the
 * deferred pointees in the order their pointers came. */
static fs_err put_logon_info(const struct fs_domain *d, const struct fs_user *u, uint64_t authtime,
                             const struct krb_pac_resource *res, struct fs_writer *out)
{
    size_t nres = res ? res->n : 0;
    struct krb_pac_logon l = {0};
    fs_err err = split_groups(d, u, &l);
    enum { EFFECTIVE, FULL, SCRIPT, PROFILE, HOME, DRIVE, SERVER, DOMAIN, NTEXT };
    const char *strings[NTEXT] = {u->name, u->display, "", "", "", "", d->computer, d->netbios};
    struct text t[NTEXT] = {{0}};
    if (err == FS_OK)
        err = texts_from(t, strings, NTEXT);
    if (err != FS_OK) {
        texts_free(t, NTEXT);
        free(l.groups);
        free(l.extra);
        return err;
    }
    struct ndr_writer n;
    ndr_writer_init(&n);
    ndr_put_pointer(&n, 1);
    ndr_put_filetime(&n, authtime);                     /* LogonTime */
    ndr_put_filetime(&n, (uint64_t)FS_TIME_NEVER);      /* LogoffTime */
    ndr_put_filetime(&n, (uint64_t)FS_TIME_NEVER);      /* KickOffTime */
    ndr_put_filetime(&n, authtime);                     /* PasswordLastSet */
    ndr_put_filetime(&n, authtime + ONE_DAY);           /* PasswordCanChange */
    ndr_put_filetime(&n, (uint64_t)FS_TIME_NEVER);      /* PasswordMustChange */
    for (int i = EFFECTIVE; i <= DRIVE; i++)
        ndr_put_string_header(&n, t[i].n);
    ndr_put_u16(&n, 0);                                 /* LogonCount */
    ndr_put_u16(&n, 0);                                 /* BadPasswordCount */
    ndr_put_u32(&n, u->rid);                            /* UserId */
    ndr_put_u32(&n, u->primary_group_rid);              /* PrimaryGroupId */
    ndr_put_u32(&n, (uint32_t)l.ngroups);
    ndr_put_pointer(&n, 1);                             /* GroupIds */
    ndr_put_u32(&n, (l.nextra ? PAC_LOGON_EXTRA_SIDS : 0) | (nres ? PAC_LOGON_RESOURCE_GROUPS : 0)); /* UserFlags */
    fs_write_zeros(&n.w, 16);                           /* UserSessionKey */
    ndr_put_string_header(&n, t[SERVER].n);
    ndr_put_string_header(&n, t[DOMAIN].n);
    ndr_put_pointer(&n, 1);                             /* LogonDomainId */
    ndr_put_u32(&n, 0);                                 /* Reserved1 */
    ndr_put_u32(&n, 0);
    ndr_put_u32(&n, USER_NORMAL_ACCOUNT | USER_DONT_EXPIRE_PASSWORD); /* UserAccountControl */
    ndr_put_u32(&n, 0);                                 /* SubAuthStatus */
    ndr_put_filetime(&n, 0);                            /* LastSuccessfulILogon */
    ndr_put_filetime(&n, 0);                            /* LastFailedILogon */
    ndr_put_u32(&n, 0);                                 /* FailedILogonCount */
    ndr_put_u32(&n, 0);                                 /* Reserved3 */
    ndr_put_u32(&n, (uint32_t)l.nextra);                /* SidCount */
    ndr_put_pointer(&n, l.nextra != 0);                 /* ExtraSids */
    /* The resource domain's domain-local groups, when its KDC adds them: resource SID compression, Windows' default
     * (MS-KILE 3.3.5.7.3, doc/semantics.md §76). */
    ndr_put_pointer(&n, nres != 0);                     /* ResourceGroupDomainSid */
    ndr_put_u32(&n, (uint32_t)nres);                    /* ResourceGroupCount */
    ndr_put_pointer(&n, nres != 0);                     /* ResourceGroupIds */

    for (int i = EFFECTIVE; i <= DRIVE; i++)
        ndr_put_string_units(&n, t[i].units, t[i].n);
    ndr_put_u32(&n, (uint32_t)l.ngroups);
    for (size_t i = 0; i < l.ngroups; i++) {
        ndr_put_u32(&n, l.groups[i].rid);
        ndr_put_u32(&n, l.groups[i].attributes);
    }
    ndr_put_string_units(&n, t[SERVER].units, t[SERVER].n);
    ndr_put_string_units(&n, t[DOMAIN].units, t[DOMAIN].n);
    ndr_put_sid(&n, &d->sid);
    if (l.nextra) {
        ndr_put_u32(&n, (uint32_t)l.nextra);
        for (size_t i = 0; i < l.nextra; i++) {
            ndr_put_pointer(&n, 1);
            ndr_put_u32(&n, l.extra[i].attributes);
        }
        for (size_t i = 0; i < l.nextra; i++)
            ndr_put_sid(&n, &l.extra[i].sid);
    }
    if (nres) {
        ndr_put_sid(&n, res->domain);
        ndr_put_u32(&n, (uint32_t)nres);
        for (size_t i = 0; i < nres; i++) {
            ndr_put_u32(&n, res->rids[i]);
            ndr_put_u32(&n, GROUP_ATTRIBUTES | SE_GROUP_RESOURCE);
        }
    }
    ndr_serialize(&n, out);
    ndr_writer_free(&n);
    texts_free(t, NTEXT);
    free(l.groups);
    free(l.extra);
    return out->failed ? FS_E_NOMEM : FS_OK;
}

/* PAC_CLIENT_INFO (MS-PAC 2.7): the ticket's authtime and the client's name without the realm. */
static fs_err put_client_info(const struct fs_user *u, uint64_t authtime, struct fs_writer *out)
{
    const char *strings[1] = {u->name};
    struct text name = {0};
    fs_err err = texts_from(&name, strings, 1);
    if (err == FS_OK) {
        fs_write_u64le(out, authtime);
        fs_write_u16le(out, (uint16_t)(2 * name.n));
        for (size_t i = 0; i < name.n; i++)
            fs_write_u16le(out, name.units[i]);
    }
    texts_free(&name, 1);
    return err != FS_OK ? err : out->failed ? FS_E_NOMEM : FS_OK;
}

/* UPN_DNS_INFO (MS-PAC 2.10) with the S extension (SamName and Sid, as domain controllers send since
 * 2021): the UPN (or name@dns, flagged U, when the account has none) and the realm. */
static fs_err put_upn_dns_info(const struct fs_domain *d, const struct fs_user *u, const char *realm,
                               struct fs_writer *out)
{
    /* The domain gives an account without an explicit UPN name@dns; the KDC flags that one as constructed. */
    char constructed[FS_DOMAIN_KEY_MAX + 512];
    size_t len = strlen(u->name), dns_len = strlen(d->dns);
    if (len + dns_len + 2 > sizeof constructed)
        return FS_E_NOT_SUPPORTED;
    memcpy(constructed, u->name, len);
    constructed[len] = '@';
    memcpy(constructed + len + 1, d->dns, dns_len + 1);
    const char *upn = u->upn ? u->upn : constructed;
    uint32_t flags = (fs_ascii_casecmp(upn, constructed) ? 0 : PAC_UPN_CONSTRUCTED) | PAC_UPN_HAS_SAM_AND_SID;
    const char *strings[3] = {upn, realm, u->name};
    struct text t[3] = {{0}};
    fs_err err = texts_from(t, strings, 3);
    if (err != FS_OK) {
        texts_free(t, 3);
        return err;
    }
    size_t sid_len = fs_sid_length(&u->sid);
    size_t at = 24, off[4];
    for (int i = 0; i < 3; i++) {
        off[i] = at;
        at = ALIGN8(at + 2 * t[i].n);
    }
    off[3] = at;
    if (off[3] > 0xffff) { /* the offsets are 16 bits too */
        texts_free(t, 3);
        return FS_E_NOT_SUPPORTED;
    }
    size_t start = out->len;
    fs_write_u16le(out, (uint16_t)(2 * t[0].n));
    fs_write_u16le(out, (uint16_t)off[0]);
    fs_write_u16le(out, (uint16_t)(2 * t[1].n));
    fs_write_u16le(out, (uint16_t)off[1]);
    fs_write_u32le(out, flags);
    fs_write_u16le(out, (uint16_t)(2 * t[2].n));
    fs_write_u16le(out, (uint16_t)off[2]);
    fs_write_u16le(out, (uint16_t)sid_len);
    fs_write_u16le(out, (uint16_t)off[3]);
    for (int i = 0; i < 3; i++) {
        fs_write_zeros(out, start + off[i] - out->len);
        for (size_t k = 0; k < t[i].n; k++)
            fs_write_u16le(out, t[i].units[k]);
    }
    fs_write_zeros(out, start + off[3] - out->len);
    fs_write_bytes(out, &u->sid, sid_len);
    texts_free(t, 3);
    return out->failed ? FS_E_NOMEM : FS_OK;
}

fs_err krb_pac_build(const struct fs_domain *d, const struct fs_user *u, uint64_t authtime, int32_t cksum_type,
                     struct fs_writer *out)
{
    return krb_pac_build_for(d, u, authtime, cksum_type, cksum_type, out);
}

/* The signature's length for a checksum type: HMAC-MD5's 16 bytes, or the AES types' 12. */
static size_t signature_length(int32_t cksum_type) { return cksum_type == KRB_CKSUM_HMAC_MD5 ? 16 : KRB_HMAC_LEN; }

fs_err krb_pac_build_for(const struct fs_domain *d, const struct fs_user *u, uint64_t authtime,
                         int32_t server_cksum_type, int32_t kdc_cksum_type, struct fs_writer *out)
{
    return krb_pac_build_resource(d, u, authtime, server_cksum_type, kdc_cksum_type, NULL, out);
}

fs_err krb_pac_build_resource(const struct fs_domain *d, const struct fs_user *u, uint64_t authtime,
                              int32_t server_cksum_type, int32_t kdc_cksum_type, const struct krb_pac_resource *resource,
                              struct fs_writer *out)
{
    static const uint32_t order[] = {PAC_LOGON_INFO,       PAC_CLIENT_INFO,     PAC_UPN_DNS_INFO, PAC_SERVER_CHECKSUM,
                                     PAC_PRIVSVR_CHECKSUM, PAC_TICKET_CHECKSUM, PAC_FULL_CHECKSUM};
    enum { N = sizeof order / sizeof order[0] };
    char realm[256];
    size_t i = 0;
    for (; d->dns[i] && i + 1 < sizeof realm; i++)
        realm[i] = (char)(d->dns[i] >= 'a' && d->dns[i] <= 'z' ? d->dns[i] - 32 : d->dns[i]);
    realm[i] = '\0';
    struct fs_writer body[N];
    fs_err err = FS_OK;
    for (size_t b = 0; b < N; b++)
        fs_writer_init(&body[b]);
    err = put_logon_info(d, u, authtime, resource, &body[0]);
    if (err == FS_OK)
        err = put_client_info(u, authtime, &body[1]);
    if (err == FS_OK)
        err = put_upn_dns_info(d, u, realm, &body[2]);
    for (size_t b = 3; err == FS_OK && b < N; b++) {
        int32_t type = order[b] == PAC_SERVER_CHECKSUM ? server_cksum_type : kdc_cksum_type;
        fs_write_u32le(&body[b], (uint32_t)type);
        fs_write_zeros(&body[b], signature_length(type));
    }
    if (err == FS_OK) {
        size_t at = ALIGN8(HEADER_SIZE + INFO_SIZE * N), start = out->len;
        fs_write_u32le(out, N);    /* cBuffers */
        fs_write_u32le(out, 0);    /* Version */
        for (size_t b = 0; b < N; b++) {
            fs_write_u32le(out, order[b]);
            fs_write_u32le(out, (uint32_t)body[b].len);
            fs_write_u64le(out, at);
            at = ALIGN8(at + body[b].len);
        }
        for (size_t b = 0; b < N; b++) {
            if (body[b].failed)
                out->failed = 1;
            else
                fs_write_bytes(out, body[b].data, body[b].len);
            fs_write_zeros(out, ALIGN8(out->len - start) - (out->len - start));
        }
        if (out->failed)
            err = FS_E_NOMEM;
    }
    for (size_t b = 0; b < N; b++)
        fs_writer_free(&body[b]);
    return err;
}

/* ---- the layout, read back ---- */

struct buffer {
    uint32_t type;
    size_t offset, size;
};

struct layout {
    size_t n;
    struct buffer b[KRB_PAC_MAX_BUFFERS];
};

/* PACTYPE and its PAC_INFO_BUFFERs (MS-PAC 2.3, 2.4): every buffer 8-aligned, after the header and
 * inside the PAC; a signature type at most once. */
static fs_err read_layout(const uint8_t *pac, size_t len, struct layout *l)
{
    struct fs_reader r;
    fs_reader_init(&r, pac, len);
    uint32_t count = fs_read_u32le(&r), version = fs_read_u32le(&r);
    if (r.failed || version != 0 || count == 0 || count > KRB_PAC_MAX_BUFFERS)
        return FS_E_INVALID_TOKEN;
    size_t header_end = HEADER_SIZE + INFO_SIZE * (size_t)count;
    l->n = count;
    for (size_t i = 0; i < count; i++) {
        struct buffer *b = &l->b[i];
        b->type = fs_read_u32le(&r);
        b->size = fs_read_u32le(&r);
        uint64_t offset = fs_read_u64le(&r);
        if (r.failed || offset % 8 || offset < header_end || offset > len || b->size > len - offset)
            return FS_E_INVALID_TOKEN;
        b->offset = (size_t)offset;
        for (size_t j = 0; j < i; j++)
            if (l->b[j].type == b->type && (b->type == PAC_SERVER_CHECKSUM || b->type == PAC_PRIVSVR_CHECKSUM ||
                                             b->type == PAC_TICKET_CHECKSUM || b->type == PAC_FULL_CHECKSUM ||
                                             b->type == PAC_LOGON_INFO || b->type == PAC_CLIENT_INFO))
                return FS_E_INVALID_TOKEN;
    }
    return FS_OK;
}

static const struct buffer *find(const struct layout *l, uint32_t type)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->b[i].type == type)
            return &l->b[i];
    return NULL;
}

/* ---- signatures ---- */

/* The SignatureType of a signature buffer of at least four bytes. */
static int32_t signature_type(const uint8_t *pac, const struct buffer *b)
{
    const uint8_t *p = pac + b->offset;
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* The buffer's Signature field's length, by its type; 0 for a buffer too short for it. */
static size_t signature_field(const uint8_t *pac, const struct buffer *b)
{
    if (!b || b->size < 4)
        return 0;
    size_t n = signature_length(signature_type(pac, b));
    return b->size >= 4 + n ? n : 0;
}

/* A signature buffer of the key's checksum type with room for its HMAC. */
static int signature_fits(const uint8_t *pac, const struct buffer *b, const struct krb_key *key)
{
    return signature_field(pac, b) && signature_type(pac, b) == krb_checksum_type(key->etype);
}

static void zero_signature(uint8_t *copy, const struct buffer *b)
{
    size_t n = signature_field(copy, b); /* the Signature field only: an RODCIdentifier after it stays */
    if (n)
        memset(copy + b->offset + 4, 0, n);
}

static void checksum_over(const struct krb_key *key, const uint8_t *data, size_t len, uint8_t *out)
{
    krb_checksum(key, KRB_USAGE_PAC_CHECKSUM, &data, &len, 1, out);
}

/* The PAC with the named signatures zeroed, as a NEW copy. */
static uint8_t *zeroed_copy(const uint8_t *pac, size_t len, const struct layout *l, const uint32_t *types, size_t n)
{
    uint8_t *copy = fs_malloc(len);
    if (!copy)
        return NULL;
    memcpy(copy, pac, len);
    for (size_t i = 0; i < n; i++)
        zero_signature(copy, find(l, types[i]));
    return copy;
}

static const uint32_t server_and_kdc[] = {PAC_SERVER_CHECKSUM, PAC_PRIVSVR_CHECKSUM};
static const uint32_t all_three[] = {PAC_SERVER_CHECKSUM, PAC_PRIVSVR_CHECKSUM, PAC_FULL_CHECKSUM};

fs_err krb_pac_sign(uint8_t *pac, size_t len, const uint8_t *ticket, size_t ticket_len, const struct krb_key *server,
                    const struct krb_key *kdc)
{
    struct layout l;
    fs_err err = read_layout(pac, len, &l);
    if (err != FS_OK)
        return err;
    const struct buffer *srv = find(&l, PAC_SERVER_CHECKSUM), *priv = find(&l, PAC_PRIVSVR_CHECKSUM);
    const struct buffer *tkt = find(&l, PAC_TICKET_CHECKSUM), *full = find(&l, PAC_FULL_CHECKSUM);
    if (!signature_fits(pac, srv, server) || !signature_fits(pac, priv, kdc) || !signature_fits(pac, tkt, kdc) ||
        !signature_fits(pac, full, kdc))
        return FS_E_INVALID_TOKEN;
    /* MS-PAC 2.8: the ticket signature first (it does not cover the PAC), then the full PAC signature with
     * the server's, the KDC's and its own zero, then the server's over the PAC with the server's and the
     * KDC's zero, and last the KDC's over the server's. */
    checksum_over(kdc, ticket, ticket_len, pac + tkt->offset + 4);
    uint8_t *copy = zeroed_copy(pac, len, &l, all_three, 3);
    if (!copy)
        return FS_E_NOMEM;
    checksum_over(kdc, copy, len, pac + full->offset + 4);
    memcpy(copy + full->offset + 4, pac + full->offset + 4, krb_checksum_size(kdc->etype));
    checksum_over(server, copy, len, pac + srv->offset + 4);
    free(copy);
    checksum_over(kdc, pac + srv->offset + 4, krb_checksum_size(server->etype), pac + priv->offset + 4);
    return FS_OK;
}

/* Does the signature in buffer b verify under key over data? */
static int verifies(const uint8_t *pac, const struct buffer *b, const struct krb_key *key, const uint8_t *data,
                    size_t len)
{
    if (!signature_fits(pac, b, key)) /* a read-only DC's RODCIdentifier may follow the signature (MS-PAC 2.8) */
        return 0;
    uint8_t mac[KRB_CHECKSUM_MAX];
    checksum_over(key, data, len, mac);
    return memeql_sec(mac, pac + b->offset + 4, krb_checksum_size(key->etype));
}

fs_err krb_pac_verify_server(const uint8_t *pac, size_t len, const struct krb_key *server)
{
    struct layout l;
    fs_err err = read_layout(pac, len, &l);
    if (err != FS_OK)
        return err;
    const struct buffer *srv = find(&l, PAC_SERVER_CHECKSUM);
    if (!srv || !find(&l, PAC_PRIVSVR_CHECKSUM))
        return FS_E_MESSAGE_ALTERED; /* an unsigned PAC is no PAC a KDC issued */
    uint8_t *copy = zeroed_copy(pac, len, &l, server_and_kdc, 2);
    if (!copy)
        return FS_E_NOMEM;
    int ok = verifies(pac, srv, server, copy, len);
    free(copy);
    return ok ? FS_OK : FS_E_MESSAGE_ALTERED;
}

fs_err krb_pac_verify_kdc(const uint8_t *pac, size_t len, const uint8_t *ticket, size_t ticket_len,
                          const struct krb_key *kdc)
{
    struct layout l;
    fs_err err = read_layout(pac, len, &l);
    if (err != FS_OK)
        return err;
    const struct buffer *srv = find(&l, PAC_SERVER_CHECKSUM), *priv = find(&l, PAC_PRIVSVR_CHECKSUM);
    const struct buffer *full = find(&l, PAC_FULL_CHECKSUM), *tkt = find(&l, PAC_TICKET_CHECKSUM);
    /* The KDC signs the server's Signature field, as krb_pac_sign does: not an RODCIdentifier after it. */
    size_t srv_len = signature_field(pac, srv);
    if (!srv_len || !verifies(pac, priv, kdc, pac + srv->offset + 4, srv_len))
        return FS_E_MESSAGE_ALTERED;
    uint8_t *copy = zeroed_copy(pac, len, &l, all_three, 3);
    if (!copy)
        return FS_E_NOMEM;
    int ok = verifies(pac, full, kdc, copy, len) && (!ticket || verifies(pac, tkt, kdc, ticket, ticket_len));
    free(copy);
    return ok ? FS_OK : FS_E_MESSAGE_ALTERED;
}

/* ---- reading ---- */

/* A conformant array of GROUP_MEMBERSHIP (GroupIds, ResourceGroupIds): its count, then RID and attributes of each, into
 * a NEW array in *out. */
static void read_group_ids(struct ndr_reader *n, uint32_t count, struct krb_pac_group **out, size_t *nout, int *nomem)
{
    if (ndr_get_u32(n) != count)
        n->r.failed = 1;
    *out = fs_calloc(count + 1, sizeof **out);
    *nomem = !*out;
    for (uint32_t i = 0; !*nomem && i < count && !n->r.failed; i++) {
        (*out)[i].rid = ndr_get_u32(n);
        (*out)[i].attributes = ndr_get_u32(n);
    }
    *nout = *nomem ? 0 : count;
}

static fs_err read_logon_info(const uint8_t *p, size_t len, struct krb_pac_logon *l)
{
    struct ndr_reader n;
    if (ndr_deserialize(p, len, &n) != FS_OK)
        return FS_E_INVALID_TOKEN;
    if (!ndr_get_u32(&n))
        return FS_E_INVALID_TOKEN; /* the top-level pointer */
    l->logon_time = ndr_get_filetime(&n);
    for (int i = 0; i < 5; i++)
        (void)ndr_get_filetime(&n); /* LogoffTime .. PasswordMustChange */
    struct ndr_string s[8];
    for (int i = 0; i < 6; i++)
        ndr_get_string_header(&n, &s[i]);
    (void)ndr_get_u16(&n);
    (void)ndr_get_u16(&n);
    l->user_rid = ndr_get_u32(&n);
    l->primary_rid = ndr_get_u32(&n);
    uint32_t group_count = ndr_get_u32(&n), groups_ptr = ndr_get_u32(&n);
    l->user_flags = ndr_get_u32(&n);
    uint8_t session_key[16];
    fs_read_bytes(&n.r, session_key, sizeof session_key);
    ndr_get_string_header(&n, &s[6]);
    ndr_get_string_header(&n, &s[7]);
    uint32_t domain_ptr = ndr_get_u32(&n);
    (void)ndr_get_u32(&n);
    (void)ndr_get_u32(&n);
    l->uac = ndr_get_u32(&n);
    (void)ndr_get_u32(&n);
    (void)ndr_get_filetime(&n);
    (void)ndr_get_filetime(&n);
    (void)ndr_get_u32(&n);
    (void)ndr_get_u32(&n);
    uint32_t sid_count = ndr_get_u32(&n), extra_ptr = ndr_get_u32(&n);
    uint32_t resource_domain_ptr = ndr_get_u32(&n), resource_count = ndr_get_u32(&n);
    uint32_t resource_ptr = ndr_get_u32(&n);
    if (n.r.failed || group_count > KRB_PAC_MAX_SIDS || sid_count > KRB_PAC_MAX_SIDS ||
        resource_count > KRB_PAC_MAX_SIDS || !domain_ptr || (group_count && !groups_ptr) || (sid_count && !extra_ptr))
        return FS_E_INVALID_TOKEN;

    int nomem = 0;
    char *names[8] = {0};
    for (int i = 0; i < 6 && !nomem; i++)
        names[i] = ndr_get_string_units(&n, &s[i], &nomem);
    if (groups_ptr && !nomem)
        read_group_ids(&n, group_count, &l->groups, &l->ngroups, &nomem);
    for (int i = 6; i < 8 && !nomem; i++)
        names[i] = ndr_get_string_units(&n, &s[i], &nomem);
    ndr_get_sid(&n, &l->domain_sid);
    if (extra_ptr && !nomem) {
        if (ndr_get_u32(&n) != sid_count)
            n.r.failed = 1;
        l->extra = fs_calloc(sid_count + 1, sizeof *l->extra);
        nomem = !l->extra;
        uint32_t *pointers = nomem ? NULL : fs_calloc(sid_count + 1, sizeof *pointers);
        nomem = nomem || !pointers;
        for (uint32_t i = 0; !nomem && i < sid_count && !n.r.failed; i++) {
            pointers[i] = ndr_get_u32(&n);
            l->extra[i].attributes = ndr_get_u32(&n);
        }
        for (uint32_t i = 0; !nomem && i < sid_count && !n.r.failed; i++) {
            if (!pointers[i])
                n.r.failed = 1; /* a SID-less entry means nothing */
            else
                ndr_get_sid(&n, &l->extra[i].sid);
        }
        free(pointers);
        l->nextra = sid_count;
    }
    if (l->domain_sid.count >= FS_SID_MAX_SUB)
        n.r.failed = 1; /* no room for the user's and the groups' RIDs */
    if (resource_domain_ptr)
        ndr_get_sid(&n, &l->resource_domain);
    if (l->resource_domain.count >= FS_SID_MAX_SUB || (resource_count && !resource_domain_ptr))
        n.r.failed = 1; /* no room for the RIDs, or RIDs of no domain */
    if (resource_ptr && !nomem && !n.r.failed)
        read_group_ids(&n, resource_count, &l->resource, &l->nresource, &nomem);
    l->effective_name = names[0];
    l->full_name = names[1];
    for (int i = 2; i < 6; i++)
        free(names[i]);
    l->logon_server = names[6];
    l->logon_domain = names[7];
    if (nomem)
        return FS_E_NOMEM;
    return n.r.failed ? FS_E_INVALID_TOKEN : FS_OK;
}

/* UTF-16LE bytes at p (byte count n, even) as NEW UTF-8. */
static char *utf8_of(const uint8_t *p, size_t n, int *nomem)
{
    /* through the NDR reader's converter, as a counted array with its three counts in front */
    struct ndr_reader r;
    struct ndr_string s = {(uint16_t)n, (uint16_t)n, 1};
    uint8_t *framed = fs_malloc(12 + n);
    if (!framed) {
        *nomem = 1;
        return NULL;
    }
    uint32_t counts[3] = {(uint32_t)(n / 2), 0, (uint32_t)(n / 2)};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 4; k++)
            framed[4 * i + k] = (uint8_t)(counts[i] >> (8 * k));
    memcpy(framed + 12, p, n);
    fs_reader_init(&r.r, framed, 12 + n);
    char *text = ndr_get_string_units(&r, &s, nomem);
    free(framed);
    return text;
}

static fs_err read_client_info(const uint8_t *p, size_t len, struct krb_pac *out)
{
    struct fs_reader r;
    fs_reader_init(&r, p, len);
    out->client_id = fs_read_u64le(&r);
    uint16_t n = fs_read_u16le(&r);
    const uint8_t *name = fs_reader_slice(&r, 10, n);
    if (r.failed || !name || (n & 1))
        return FS_E_INVALID_TOKEN;
    int nomem = 0;
    out->client_name = utf8_of(name, n, &nomem);
    return out->client_name ? FS_OK : nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
}

static fs_err read_upn_dns_info(const uint8_t *p, size_t len, struct krb_pac *out)
{
    struct fs_reader r;
    fs_reader_init(&r, p, len);
    uint16_t upn_len = fs_read_u16le(&r), upn_off = fs_read_u16le(&r);
    uint16_t dns_len = fs_read_u16le(&r), dns_off = fs_read_u16le(&r);
    out->upn_flags = fs_read_u32le(&r);
    const uint8_t *upn = fs_reader_slice(&r, upn_off, upn_len), *dns = fs_reader_slice(&r, dns_off, dns_len);
    if (r.failed || (upn_len & 1) || (dns_len & 1))
        return FS_E_INVALID_TOKEN;
    int nomem = 0;
    out->upn = utf8_of(upn, upn_len, &nomem);
    out->dns_domain = out->upn ? utf8_of(dns, dns_len, &nomem) : NULL;
    if (!out->dns_domain)
        return nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
    if (!(out->upn_flags & PAC_UPN_HAS_SAM_AND_SID))
        return FS_OK;
    uint16_t sam_len = fs_read_u16le(&r), sam_off = fs_read_u16le(&r);
    uint16_t sid_len = fs_read_u16le(&r), sid_off = fs_read_u16le(&r);
    const uint8_t *sam = fs_reader_slice(&r, sam_off, sam_len), *sid = fs_reader_slice(&r, sid_off, sid_len);
    if (r.failed || (sam_len & 1) || sid_len < 8 || sid_len > sizeof out->upn_sid || !fs_sid_is_valid(sid) ||
        sid_len != 8 + 4u * sid[1])
        return FS_E_INVALID_TOKEN;
    memcpy(&out->upn_sid, sid, sid_len);
    out->sam_name = utf8_of(sam, sam_len, &nomem);
    return out->sam_name ? FS_OK : nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
}

fs_err krb_pac_parse(const uint8_t *pac, size_t len, struct krb_pac *out)
{
    memset(out, 0, sizeof *out);
    struct layout l;
    fs_err err = read_layout(pac, len, &l);
    for (size_t i = 0; err == FS_OK && i < l.n; i++) {
        const struct buffer *b = &l.b[i];
        out->types[out->nbuffers++] = b->type;
        if (b->type == PAC_LOGON_INFO) {
            err = read_logon_info(pac + b->offset, b->size, &out->logon);
            out->has_logon = err == FS_OK;
        } else if (b->type == PAC_CLIENT_INFO) {
            err = read_client_info(pac + b->offset, b->size, out);
            out->has_client = err == FS_OK;
        } else if (b->type == PAC_UPN_DNS_INFO && !out->has_upn) {
            err = read_upn_dns_info(pac + b->offset, b->size, out);
            out->has_upn = err == FS_OK;
        }
    }
    if (err != FS_OK)
        krb_pac_free(out);
    return err;
}
