/* Encoding and decoding of the RFC 4120 messages an AP exchange carries. Every reader is strict DER
 * through packages/der.c; every encrypted part goes through krb_crypto. */
#include "krb_messages.h"

#include <nettle/memops.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "pac.h"

#define KRB_PVNO 5
#define KRB_MSG_AP_REQ 14
#define KRB_MSG_AP_REP 15
#define KRB_MSG_TGT_REQ 16 /* KRB_TGT_REQ and KRB_TGT_REP (draft-swift-win2k-krb-user2user 3) */
#define KRB_MSG_TGT_REP 17

void krb_principal_free(struct krb_principal *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->parts[i]);
    memset(p, 0, sizeof *p);
}

fs_err krb_principal_from_text(const char *text, int32_t type, struct krb_principal *out)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    const char *start = text;
    for (;;) {
        const char *slash = strchr(start, '/');
        size_t len = slash ? (size_t)(slash - start) : strlen(start);
        if (!len || out->n == KRB_MAX_NAME_PARTS) {
            krb_principal_free(out);
            return FS_E_TARGET_UNKNOWN;
        }
        if (!(out->parts[out->n] = fs_strndup(start, len))) {
            krb_principal_free(out);
            return FS_E_NOMEM;
        }
        out->n++;
        if (!slash)
            return FS_OK;
        start = slash + 1;
    }
}

size_t krb_principal_format(const struct krb_principal *p, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (size_t i = 0; i < p->n; i++) {
        size_t part = strlen(p->parts[i]);
        if (len + part + 2 > cap)
            break;
        if (i)
            buf[len++] = '/';
        memcpy(buf + len, p->parts[i], part + 1);
        len += part;
    }
    return len;
}

int krb_principal_equal(const struct krb_principal *a, const struct krb_principal *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->parts[i], b->parts[i]))
            return 0;
    return 1;
}

void krb_ticket_free(struct krb_ticket *t)
{
    free(t->crealm);
    krb_principal_free(&t->cname);
    free(t->pac);
    explicit_bzero(t, sizeof *t);
}

void krb_authenticator_free(struct krb_authenticator *a)
{
    free(a->crealm);
    if (a->deleg)
        explicit_bzero(a->deleg, a->deleg_len); /* the forwarded TGT's session key */
    free(a->deleg);
    krb_principal_free(&a->cname);
    explicit_bzero(a, sizeof *a);
}

void krb_ap_req_free(struct krb_ap_req *r)
{
    free(r->realm);
    krb_principal_free(&r->sname);
    memset(r, 0, sizeof *r);
}

/* ---- writers ---- */

static void put_principal(struct fs_writer *w, const struct krb_principal *p)
{
    size_t seq = der_open(w, DER_SEQUENCE);
    der_put_ctx_int(w, 0, p->type);
    size_t f1 = der_open(w, DER_CTX(1));
    size_t names = der_open(w, DER_SEQUENCE);
    for (size_t i = 0; i < p->n; i++)
        der_put_string(w, p->parts[i]);
    der_close(w, names);
    der_close(w, f1);
    der_close(w, seq);
}

static void put_key(struct fs_writer *w, const struct krb_key *k)
{
    size_t seq = der_open(w, DER_SEQUENCE);
    der_put_ctx_int(w, 0, k->etype);
    der_put_ctx_octets(w, 1, k->bytes, k->len);
    der_close(w, seq);
}

/* EncryptedData: the plaintext encrypted in key with usage. */
static fs_err put_encrypted(struct fs_writer *w, const struct krb_key *key, uint32_t usage, int has_kvno,
                            uint32_t kvno, const struct fs_writer *plain)
{
    if (plain->failed)
        return FS_E_NOMEM;
    size_t cipher_len = plain->len + krb_enc_overhead(key->etype);
    uint8_t *cipher = fs_malloc(cipher_len);
    if (!cipher)
        return FS_E_NOMEM;
    fs_err err = krb_encrypt(key, usage, plain->data, plain->len, cipher);
    if (err == FS_OK) {
        size_t seq = der_open(w, DER_SEQUENCE);
        der_put_ctx_int(w, 0, key->etype);
        if (has_kvno)
            der_put_ctx_int(w, 1, kvno);
        der_put_ctx_octets(w, 2, cipher, cipher_len);
        der_close(w, seq);
    }
    free(cipher);
    return err != FS_OK ? err : w->failed ? FS_E_NOMEM : FS_OK;
}

/* AuthorizationData { AD-IF-RELEVANT { AD-WIN2K-PAC pac } }; with placeholder the AD-WIN2K-PAC element's
 * ad-data is a single zero byte instead of the PAC (MS-PAC 2.8.2, as MIT's KDC reads it too). */
static void put_pac(struct fs_writer *w, const uint8_t *pac, size_t len, int placeholder)
{
    static const uint8_t zero = 0;
    struct fs_writer inner;
    fs_writer_init(&inner);
    size_t ad = der_open(&inner, DER_SEQUENCE);
    size_t elem = der_open(&inner, DER_SEQUENCE);
    der_put_ctx_int(&inner, 0, KRB_AD_WIN2K_PAC);
    if (placeholder)
        der_put_ctx_octets(&inner, 1, &zero, 1);
    else
        der_put_ctx_octets(&inner, 1, pac, len);
    der_close(&inner, elem);
    der_close(&inner, ad);
    size_t outer = der_open(w, DER_SEQUENCE);
    size_t relevant = der_open(w, DER_SEQUENCE);
    der_put_ctx_int(w, 0, KRB_AD_IF_RELEVANT);
    if (inner.failed)
        w->failed = 1;
    else
        der_put_ctx_octets(w, 1, inner.data, inner.len);
    der_close(w, relevant);
    der_close(w, outer);
    fs_writer_free(&inner);
}

fs_err krb_encode_enc_ticket(const struct krb_ticket *t, int pac_placeholder, struct fs_writer *enc)
{
    size_t app = der_open(enc, DER_APP(3));
    size_t seq = der_open(enc, DER_SEQUENCE);
    size_t f0 = der_open(enc, DER_CTX(0));
    der_put_flags(enc, t->flags);
    der_close(enc, f0);
    size_t f1 = der_open(enc, DER_CTX(1));
    put_key(enc, &t->session_key);
    der_close(enc, f1);
    der_put_ctx_string(enc, 2, t->crealm);
    size_t f3 = der_open(enc, DER_CTX(3));
    put_principal(enc, &t->cname);
    der_close(enc, f3);
    size_t f4 = der_open(enc, DER_CTX(4)); /* transited: nothing, one realm */
    size_t tr = der_open(enc, DER_SEQUENCE);
    der_put_ctx_int(enc, 0, 1); /* DOMAIN-X500-COMPRESS */
    der_put_ctx_octets(enc, 1, NULL, 0);
    der_close(enc, tr);
    der_close(enc, f4);
    der_put_ctx_time(enc, 5, t->authtime);
    der_put_ctx_time(enc, 6, t->starttime);
    der_put_ctx_time(enc, 7, t->endtime);
    der_put_ctx_time(enc, 8, t->renew_till);
    if (t->pac) {
        size_t f10 = der_open(enc, DER_CTX(10));
        put_pac(enc, t->pac, t->pac_len, pac_placeholder);
        der_close(enc, f10);
    }
    der_close(enc, seq);
    der_close(enc, app);
    return enc->failed ? FS_E_NOMEM : FS_OK;
}

fs_err krb_build_ticket(const struct krb_ticket *t, const char *realm, const struct krb_principal *sname,
                        const struct krb_key *service_key, uint32_t kvno, struct fs_writer *out)
{
    struct fs_writer enc;
    fs_writer_init(&enc);
    fs_err encoded = krb_encode_enc_ticket(t, 0, &enc);

    size_t tapp = der_open(out, DER_APP(1));
    size_t tseq = der_open(out, DER_SEQUENCE);
    der_put_ctx_int(out, 0, KRB_PVNO);
    der_put_ctx_string(out, 1, realm);
    size_t s2 = der_open(out, DER_CTX(2));
    put_principal(out, sname);
    der_close(out, s2);
    size_t s3 = der_open(out, DER_CTX(3));
    fs_err err = put_encrypted(out, service_key, KRB_USAGE_TICKET, 1, kvno, &enc);
    if (encoded != FS_OK)
        err = encoded;
    der_close(out, s3);
    der_close(out, tseq);
    der_close(out, tapp);
    if (enc.data)
        explicit_bzero(enc.data, enc.len);
    fs_writer_free(&enc);
    return err != FS_OK ? err : out->failed ? FS_E_NOMEM : FS_OK;
}

fs_err krb_build_authenticator(const struct krb_authenticator *a, const struct krb_key *session_key,
                               struct fs_writer *out)
{
    struct fs_writer enc;
    fs_writer_init(&enc);
    size_t app = der_open(&enc, DER_APP(2));
    size_t seq = der_open(&enc, DER_SEQUENCE);
    der_put_ctx_int(&enc, 0, KRB_PVNO);
    der_put_ctx_string(&enc, 1, a->crealm);
    size_t f2 = der_open(&enc, DER_CTX(2));
    put_principal(&enc, &a->cname);
    der_close(&enc, f2);
    if (a->has_gss_checksum) {
        /* Lgth (16), Bnd, Flags, and with delegation DlgOpt (1), Dlgth and Deleg: little-endian, as RFC 4121
         * 4.1.1 lays them out. */
        struct fs_writer ck;
        fs_writer_init(&ck);
        fs_write_u32le(&ck, 16);
        fs_write_bytes(&ck, a->bindings_hash, 16);
        fs_write_u32le(&ck, a->gss_flags);
        if ((a->gss_flags & GSS_C_DELEG_FLAG) && a->deleg) {
            fs_write_u16le(&ck, 1);
            fs_write_u16le(&ck, (uint16_t)a->deleg_len);
            fs_write_bytes(&ck, a->deleg, a->deleg_len);
        }
        size_t f3 = der_open(&enc, DER_CTX(3));
        size_t cs = der_open(&enc, DER_SEQUENCE);
        der_put_ctx_int(&enc, 0, KRB_CKSUM_GSSAPI);
        if (ck.failed || a->deleg_len > UINT16_MAX)
            enc.failed = 1;
        else
            der_put_ctx_octets(&enc, 1, ck.data, ck.len);
        der_close(&enc, cs);
        der_close(&enc, f3);
        if (ck.data)
            explicit_bzero(ck.data, ck.len);
        fs_writer_free(&ck);
    }
    der_put_ctx_int(&enc, 4, a->cusec);
    der_put_ctx_time(&enc, 5, a->ctime);
    if (a->has_subkey) {
        size_t f6 = der_open(&enc, DER_CTX(6));
        put_key(&enc, &a->subkey);
        der_close(&enc, f6);
    }
    if (a->has_seq)
        der_put_ctx_int(&enc, 7, a->seq);
    der_close(&enc, seq);
    der_close(&enc, app);
    fs_err err = put_encrypted(out, session_key, KRB_USAGE_AUTHENTICATOR, 0, 0, &enc);
    if (enc.data)
        explicit_bzero(enc.data, enc.len);
    fs_writer_free(&enc);
    return err;
}

void krb_build_ap_req(uint32_t ap_options, const uint8_t *ticket, size_t ticket_len, const uint8_t *auth,
                      size_t auth_len, struct fs_writer *out)
{
    size_t app = der_open(out, DER_APP(14));
    size_t seq = der_open(out, DER_SEQUENCE);
    der_put_ctx_int(out, 0, KRB_PVNO);
    der_put_ctx_int(out, 1, KRB_MSG_AP_REQ);
    size_t f2 = der_open(out, DER_CTX(2));
    der_put_flags(out, ap_options);
    der_close(out, f2);
    size_t f3 = der_open(out, DER_CTX(3));
    der_put_raw(out, ticket, ticket_len);
    der_close(out, f3);
    size_t f4 = der_open(out, DER_CTX(4));
    der_put_raw(out, auth, auth_len);
    der_close(out, f4);
    der_close(out, seq);
    der_close(out, app);
}

fs_err krb_build_ap_rep(const struct krb_ap_rep_part *p, const struct krb_key *session_key, struct fs_writer *out)
{
    struct fs_writer enc;
    fs_writer_init(&enc);
    size_t app = der_open(&enc, DER_APP(27));
    size_t seq = der_open(&enc, DER_SEQUENCE);
    der_put_ctx_time(&enc, 0, p->ctime);
    der_put_ctx_int(&enc, 1, p->cusec);
    if (p->has_subkey) {
        size_t f2 = der_open(&enc, DER_CTX(2));
        put_key(&enc, &p->subkey);
        der_close(&enc, f2);
    }
    if (p->has_seq)
        der_put_ctx_int(&enc, 3, p->seq);
    der_close(&enc, seq);
    der_close(&enc, app);

    size_t rapp = der_open(out, DER_APP(15));
    size_t rseq = der_open(out, DER_SEQUENCE);
    der_put_ctx_int(out, 0, KRB_PVNO);
    der_put_ctx_int(out, 1, KRB_MSG_AP_REP);
    size_t f2 = der_open(out, DER_CTX(2));
    fs_err err = put_encrypted(out, session_key, KRB_USAGE_AP_REP, 0, 0, &enc);
    der_close(out, f2);
    der_close(out, rseq);
    der_close(out, rapp);
    if (enc.data)
        explicit_bzero(enc.data, enc.len);
    fs_writer_free(&enc);
    return err != FS_OK ? err : out->failed ? FS_E_NOMEM : FS_OK;
}

/* ---- readers ---- */

/* Why a read failed: the input, or memory. */
static fs_err read_failure(const struct der *d) { return d->err->nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN; }

static int64_t expect_int(struct der *d, unsigned n, int64_t want)
{
    struct der at = *d;
    int64_t v = der_read_ctx_int(d, n);
    if (der_ok(d) && v != want)
        der_fail(&at, "unexpected protocol version or message type");
    return v;
}

fs_err krb_parse_principal(struct der *d, struct krb_principal *out)
{
    memset(out, 0, sizeof *out);
    struct der seq = der_enter(d, DER_SEQUENCE);
    int64_t type = der_read_ctx_int(&seq, 0);
    struct der f1 = der_enter(&seq, DER_CTX(1));
    struct der names = der_enter(&f1, DER_SEQUENCE);
    der_expect_end(&f1);
    der_expect_end(&seq);
    if (type < INT32_MIN || type > INT32_MAX)
        der_fail(d, "name-type out of range");
    out->type = (int32_t)type;
    while (der_ok(d) && names.len) {
        if (out->n == KRB_MAX_NAME_PARTS) {
            der_fail(&names, "principal name with too many components");
            break;
        }
        char *part = der_read_string(&names);
        if (!part)
            break;
        out->parts[out->n++] = part;
    }
    if (der_ok(d) && !out->n)
        der_fail(d, "principal name with no components");
    if (!der_ok(d)) {
        krb_principal_free(out);
        return read_failure(d);
    }
    return FS_OK;
}

fs_err krb_parse_encrypted_data(struct der *d, int32_t *etype, uint32_t *kvno, int *has_kvno, struct der *cipher)
{
    struct der seq = der_enter(d, DER_SEQUENCE);
    int64_t e = der_read_ctx_int(&seq, 0);
    *has_kvno = der_peek(&seq, DER_CTX(1));
    *kvno = *has_kvno ? der_read_ctx_uint32(&seq, 1) : 0;
    struct der f2 = der_enter(&seq, DER_CTX(2));
    *cipher = der_read_octets(&f2);
    der_expect_end(&f2);
    der_expect_end(&seq);
    if (e < INT32_MIN || e > INT32_MAX)
        der_fail(d, "etype out of range");
    *etype = (int32_t)e;
    return der_ok(d) ? FS_OK : FS_E_INVALID_TOKEN;
}

/* KERB-TGT-REQUEST and KERB-TGT-REPLY (draft-swift-win2k-krb-user2user 3, doc/semantics.md §66). */
void krb_build_tgt_request(const struct krb_principal *sname, const char *realm, struct fs_writer *out)
{
    size_t seq = der_open(out, DER_SEQUENCE);
    der_put_ctx_int(out, 0, KRB_PVNO);
    der_put_ctx_int(out, 1, KRB_MSG_TGT_REQ);
    if (sname) {
        size_t f2 = der_open(out, DER_CTX(2));
        put_principal(out, sname);
        der_close(out, f2);
    }
    if (realm)
        der_put_ctx_string(out, 3, realm);
    der_close(out, seq);
}

fs_err krb_parse_tgt_request(const uint8_t *in, size_t len, struct krb_tgt_request *out, struct der_error *err)
{
    memset(out, 0, sizeof *out);
    struct der d;
    der_init(&d, in, len, err);
    struct der seq = der_enter(&d, DER_SEQUENCE);
    der_expect_end(&d);
    expect_int(&seq, 0, KRB_PVNO);
    expect_int(&seq, 1, KRB_MSG_TGT_REQ);
    struct der f2;
    fs_err e = FS_OK;
    if (der_ok(&d) && der_enter_optional(&seq, DER_CTX(2), &f2)) {
        e = krb_parse_principal(&f2, &out->sname);
        out->has_sname = e == FS_OK;
        der_expect_end(&f2);
    }
    if (e == FS_OK && der_ok(&d) && der_peek(&seq, DER_CTX(3)))
        out->realm = der_read_ctx_string(&seq, 3);
    der_expect_end(&seq);
    if (e != FS_OK || !der_ok(&d)) {
        krb_tgt_request_free(out);
        return e == FS_E_NOMEM || err->nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
    }
    return FS_OK;
}

void krb_tgt_request_free(struct krb_tgt_request *r)
{
    if (r->has_sname)
        krb_principal_free(&r->sname);
    free(r->realm);
    memset(r, 0, sizeof *r);
}

void krb_build_tgt_reply(const uint8_t *ticket, size_t ticket_len, struct fs_writer *out)
{
    size_t seq = der_open(out, DER_SEQUENCE);
    der_put_ctx_int(out, 0, KRB_PVNO);
    der_put_ctx_int(out, 1, KRB_MSG_TGT_REP);
    der_put_ctx_raw(out, 2, ticket, ticket_len);
    der_close(out, seq);
}

fs_err krb_parse_tgt_reply(const uint8_t *in, size_t len, const uint8_t **ticket, size_t *ticket_len,
                           struct der_error *err)
{
    struct der d;
    der_init(&d, in, len, err);
    struct der seq = der_enter(&d, DER_SEQUENCE);
    der_expect_end(&d);
    expect_int(&seq, 0, KRB_PVNO);
    expect_int(&seq, 1, KRB_MSG_TGT_REP);
    struct der f2 = der_enter(&seq, DER_CTX(2));
    struct der raw = der_take_raw(&f2, DER_APP(1));
    der_expect_end(&f2);
    der_expect_end(&seq);
    if (!der_ok(&d))
        return read_failure(&d);
    *ticket = raw.p;
    *ticket_len = raw.len;
    return FS_OK;
}

fs_err krb_parse_ap_req(const uint8_t *in, size_t len, struct krb_ap_req *out, struct der_error *err)
{
    memset(out, 0, sizeof *out);
    struct der d;
    der_init(&d, in, len, err);
    struct der app = der_enter(&d, DER_APP(14));
    der_expect_end(&d);
    struct der seq = der_enter(&app, DER_SEQUENCE);
    der_expect_end(&app);
    expect_int(&seq, 0, KRB_PVNO);
    expect_int(&seq, 1, KRB_MSG_AP_REQ);
    struct der f2 = der_enter(&seq, DER_CTX(2));
    out->ap_options = der_read_flags(&f2);
    der_expect_end(&f2);

    struct der f3 = der_enter(&seq, DER_CTX(3));
    struct der tapp = der_enter(&f3, DER_APP(1));
    der_expect_end(&f3);
    struct der tseq = der_enter(&tapp, DER_SEQUENCE);
    der_expect_end(&tapp);
    expect_int(&tseq, 0, KRB_PVNO);
    out->realm = der_read_ctx_string(&tseq, 1);
    struct der s2 = der_enter(&tseq, DER_CTX(2));
    fs_err e = der_ok(&d) ? krb_parse_principal(&s2, &out->sname) : FS_E_INVALID_TOKEN;
    der_expect_end(&s2);
    struct der s3 = der_enter(&tseq, DER_CTX(3));
    struct der cipher = {0};
    int has_kvno;
    if (e == FS_OK)
        e = krb_parse_encrypted_data(&s3, &out->ticket_etype, &out->ticket_kvno, &has_kvno, &cipher);
    der_expect_end(&s3);
    der_expect_end(&tseq);
    out->ticket_cipher = cipher.p;
    out->ticket_cipher_len = cipher.len;

    struct der f4 = der_enter(&seq, DER_CTX(4));
    uint32_t unused_kvno;
    if (e == FS_OK)
        e = krb_parse_encrypted_data(&f4, &out->auth_etype, &unused_kvno, &has_kvno, &cipher);
    der_expect_end(&f4);
    der_expect_end(&seq);
    out->auth_cipher = cipher.p;
    out->auth_cipher_len = cipher.len;
    if (e != FS_OK || !der_ok(&d) || !out->realm) {
        krb_ap_req_free(out);
        return e == FS_E_NOMEM || err->nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
    }
    return FS_OK;
}

/* Decrypts a ciphertext view into a NEW buffer. */
static fs_err open_cipher(const struct krb_key *key, int32_t etype, uint32_t usage, const uint8_t *cipher,
                          size_t len, uint8_t **plain, size_t *plain_len)
{
    if (etype != key->etype)
        return FS_E_MESSAGE_ALTERED; /* encrypted in a key we do not have */
    size_t overhead = krb_enc_overhead(etype);
    if (len < overhead + 1)
        return FS_E_INVALID_TOKEN;
    *plain_len = len - overhead;
    *plain = fs_malloc(*plain_len);
    if (!*plain)
        return FS_E_NOMEM;
    fs_err err = krb_decrypt(key, usage, cipher, len, *plain);
    if (err != FS_OK) {
        free(*plain);
        *plain = NULL;
    }
    return err;
}

static void close_plain(uint8_t *plain, size_t len)
{
    if (plain)
        explicit_bzero(plain, len);
    free(plain);
}

static void read_key(struct der *d, struct krb_key *k)
{
    struct der seq = der_enter(d, DER_SEQUENCE);
    int64_t etype = der_read_ctx_int(&seq, 0);
    struct der f1 = der_enter(&seq, DER_CTX(1));
    struct der bytes = der_read_octets(&f1);
    der_expect_end(&f1);
    der_expect_end(&seq);
    if (!der_ok(d))
        return;
    if (!krb_etype_supported((int32_t)etype) || bytes.len != krb_key_length((int32_t)etype)) {
        der_fail(d, "unsupported key type or length");
        return;
    }
    k->etype = (int32_t)etype;
    k->len = bytes.len;
    memcpy(k->bytes, bytes.p, bytes.len);
}

/* AuthorizationData: finds the first PAC inside AD-IF-RELEVANT; every other type is skipped. */
static void read_authorization(struct der *d, struct krb_ticket *t)
{
    struct der outer = der_enter(d, DER_SEQUENCE);
    while (der_ok(d) && outer.len) {
        struct der elem = der_enter(&outer, DER_SEQUENCE);
        int64_t type = der_read_ctx_int(&elem, 0);
        struct der f1 = der_enter(&elem, DER_CTX(1));
        struct der data = der_read_octets(&f1);
        der_expect_end(&f1);
        der_expect_end(&elem);
        if (!der_ok(d))
            break;
        if (type == KRB_AD_IF_RELEVANT) {
            struct der inner = {data.p, data.len, d->origin, d->err};
            read_authorization(&inner, t);
            der_expect_end(&inner);
        } else if (type == KRB_AD_WIN2K_PAC && !t->pac && data.len) {
            if (!(t->pac = fs_malloc(data.len))) {
                d->err->nomem = 1;
                der_fail(d, "out of memory");
                break;
            }
            memcpy(t->pac, data.p, data.len);
            t->pac_len = data.len;
        }
    }
}

static fs_err parse_enc_ticket(const uint8_t *p, size_t len, struct krb_ticket *t)
{
    struct der_error err;
    struct der d;
    der_init(&d, p, len, &err);
    struct der app = der_enter(&d, DER_APP(3));
    der_expect_end(&d);
    struct der seq = der_enter(&app, DER_SEQUENCE);
    der_expect_end(&app);
    struct der f0 = der_enter(&seq, DER_CTX(0));
    t->flags = der_read_flags(&f0);
    der_expect_end(&f0);
    struct der f1 = der_enter(&seq, DER_CTX(1));
    read_key(&f1, &t->session_key);
    der_expect_end(&f1);
    t->crealm = der_read_ctx_string(&seq, 2);
    struct der f3 = der_enter(&seq, DER_CTX(3));
    fs_err e = der_ok(&d) ? krb_parse_principal(&f3, &t->cname) : FS_E_INVALID_TOKEN;
    struct der f4 = der_enter(&seq, DER_CTX(4));
    (void)f4; /* transited: one realm, nothing to check */
    t->authtime = der_read_ctx_time(&seq, 5);
    t->starttime = der_peek(&seq, DER_CTX(6)) ? der_read_ctx_time(&seq, 6) : t->authtime;
    t->endtime = der_read_ctx_time(&seq, 7);
    if (der_peek(&seq, DER_CTX(8)))
        t->renew_till = der_read_ctx_time(&seq, 8);
    struct der skip;
    (void)der_enter_optional(&seq, DER_CTX(9), &skip); /* caddr: addresses are not checked */
    struct der f10;
    if (der_enter_optional(&seq, DER_CTX(10), &f10)) {
        read_authorization(&f10, t);
        der_expect_end(&f10);
    }
    der_expect_end(&seq);
    if (e != FS_OK || !der_ok(&d) || !t->crealm) {
        krb_ticket_free(t);
        return e == FS_E_NOMEM || err.nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
    }
    return FS_OK;
}

fs_err krb_open_ticket(const struct krb_ap_req *r, const struct krb_key *service_key, struct krb_ticket *out)
{
    memset(out, 0, sizeof *out);
    uint8_t *plain;
    size_t n;
    fs_err err = open_cipher(service_key, r->ticket_etype, KRB_USAGE_TICKET, r->ticket_cipher, r->ticket_cipher_len,
                             &plain, &n);
    if (err != FS_OK)
        return err;
    err = parse_enc_ticket(plain, n, out);
    close_plain(plain, n);
    return err;
}

/* RFC 4121 4.1.1: with GSS_C_DELEG_FLAG, DlgOpt 1 and Dlgth bytes of KRB-CRED follow the flags (anything after
 * them is Exts, not read). A checksum of 24 bytes that sets the flag delegates nothing: the flag is dropped, as
 * MIT's acceptor drops it. */
static void read_deleg(struct der *d, struct der bytes, struct krb_authenticator *a)
{
    if (!(a->gss_flags & GSS_C_DELEG_FLAG))
        return;
    if (bytes.len == 24) {
        a->gss_flags &= ~(uint32_t)GSS_C_DELEG_FLAG;
        return;
    }
    size_t dlgth = bytes.len >= 28 ? (size_t)bytes.p[26] | (size_t)bytes.p[27] << 8 : 0;
    if (bytes.len < 28 || bytes.p[24] != 1 || bytes.p[25] != 0 || !dlgth || dlgth > bytes.len - 28) {
        der_fail(d, "GSS-API checksum with a malformed delegation");
        return;
    }
    if (!(a->deleg = fs_malloc(dlgth))) {
        d->err->nomem = 1;
        der_fail(d, "out of memory");
        return;
    }
    memcpy(a->deleg, bytes.p + 28, dlgth);
    a->deleg_len = dlgth;
}

static fs_err parse_authenticator(const uint8_t *p, size_t len, struct krb_authenticator *a)
{
    struct der_error err;
    struct der d;
    der_init(&d, p, len, &err);
    struct der app = der_enter(&d, DER_APP(2));
    der_expect_end(&d);
    struct der seq = der_enter(&app, DER_SEQUENCE);
    der_expect_end(&app);
    expect_int(&seq, 0, KRB_PVNO);
    a->crealm = der_read_ctx_string(&seq, 1);
    struct der f2 = der_enter(&seq, DER_CTX(2));
    fs_err e = der_ok(&d) ? krb_parse_principal(&f2, &a->cname) : FS_E_INVALID_TOKEN;
    struct der f3;
    if (der_enter_optional(&seq, DER_CTX(3), &f3)) {
        struct der cs = der_enter(&f3, DER_SEQUENCE);
        int64_t type = der_read_ctx_int(&cs, 0);
        struct der c1 = der_enter(&cs, DER_CTX(1));
        struct der bytes = der_read_octets(&c1);
        if (der_ok(&d) && type == KRB_CKSUM_GSSAPI) {
            uint32_t lgth = bytes.len >= 4 ? (uint32_t)bytes.p[0] | (uint32_t)bytes.p[1] << 8 |
                                                 (uint32_t)bytes.p[2] << 16 | (uint32_t)bytes.p[3] << 24
                                           : 0;
            if (bytes.len < 24 || lgth != 16) {
                der_fail(&c1, "GSS-API checksum is not 24 bytes with Lgth 16");
            } else {
                a->has_gss_checksum = 1;
                memcpy(a->bindings_hash, bytes.p + 4, 16);
                a->gss_flags = (uint32_t)bytes.p[20] | (uint32_t)bytes.p[21] << 8 | (uint32_t)bytes.p[22] << 16 |
                               (uint32_t)bytes.p[23] << 24;
                read_deleg(&c1, bytes, a);
            }
        }
    }
    a->cusec = der_read_ctx_uint32(&seq, 4);
    a->ctime = der_read_ctx_time(&seq, 5);
    struct der f6;
    if (der_enter_optional(&seq, DER_CTX(6), &f6)) {
        read_key(&f6, &a->subkey);
        a->has_subkey = der_ok(&d);
    }
    if (der_peek(&seq, DER_CTX(7))) {
        a->seq = der_read_ctx_uint32(&seq, 7);
        a->has_seq = der_ok(&d);
    }
    struct der f8;
    (void)der_enter_optional(&seq, DER_CTX(8), &f8);
    der_expect_end(&seq);
    if (e != FS_OK || !der_ok(&d) || !a->crealm || a->cusec > 999999) {
        krb_authenticator_free(a);
        return e == FS_E_NOMEM || err.nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
    }
    return FS_OK;
}

fs_err krb_open_authenticator(const struct krb_ap_req *r, const struct krb_key *session_key,
                              struct krb_authenticator *out)
{
    return krb_open_authenticator_usage(r, session_key, KRB_USAGE_AUTHENTICATOR, out);
}

fs_err krb_open_authenticator_usage(const struct krb_ap_req *r, const struct krb_key *session_key, uint32_t usage,
                                    struct krb_authenticator *out)
{
    memset(out, 0, sizeof *out);
    uint8_t *plain;
    size_t n;
    fs_err err = open_cipher(session_key, r->auth_etype, usage, r->auth_cipher, r->auth_cipher_len, &plain, &n);
    if (err != FS_OK)
        return err;
    err = parse_authenticator(plain, n, out);
    close_plain(plain, n);
    return err;
}

fs_err krb_open_ap_rep(const uint8_t *in, size_t len, const struct krb_key *session_key, struct krb_ap_rep_part *out)
{
    memset(out, 0, sizeof *out);
    struct der_error err;
    struct der d;
    der_init(&d, in, len, &err);
    struct der app = der_enter(&d, DER_APP(15));
    der_expect_end(&d);
    struct der seq = der_enter(&app, DER_SEQUENCE);
    der_expect_end(&app);
    expect_int(&seq, 0, KRB_PVNO);
    expect_int(&seq, 1, KRB_MSG_AP_REP);
    struct der f2 = der_enter(&seq, DER_CTX(2));
    int32_t etype;
    uint32_t kvno;
    int has_kvno;
    struct der cipher = {0};
    fs_err e = der_ok(&d) ? krb_parse_encrypted_data(&f2, &etype, &kvno, &has_kvno, &cipher) : FS_E_INVALID_TOKEN;
    der_expect_end(&f2);
    der_expect_end(&seq);
    if (e != FS_OK || !der_ok(&d))
        return FS_E_INVALID_TOKEN;
    uint8_t *plain;
    size_t n;
    e = open_cipher(session_key, etype, KRB_USAGE_AP_REP, cipher.p, cipher.len, &plain, &n);
    if (e != FS_OK)
        return e;
    struct der_error perr;
    struct der p;
    der_init(&p, plain, n, &perr);
    struct der papp = der_enter(&p, DER_APP(27));
    der_expect_end(&p);
    struct der pseq = der_enter(&papp, DER_SEQUENCE);
    der_expect_end(&papp);
    out->ctime = der_read_ctx_time(&pseq, 0);
    out->cusec = der_read_ctx_uint32(&pseq, 1);
    struct der k;
    if (der_enter_optional(&pseq, DER_CTX(2), &k)) {
        read_key(&k, &out->subkey);
        out->has_subkey = der_ok(&p);
    }
    if (der_peek(&pseq, DER_CTX(3))) {
        out->seq = der_read_ctx_uint32(&pseq, 3);
        out->has_seq = der_ok(&p);
    }
    der_expect_end(&pseq);
    e = der_ok(&p) ? FS_OK : FS_E_INVALID_TOKEN;
    close_plain(plain, n);
    if (e != FS_OK)
        explicit_bzero(out, sizeof *out);
    return e;
}

/* ---- what the package's other messages share (krb_delegation.c) ---- */

void krb_put_principal(struct fs_writer *w, const struct krb_principal *p) { put_principal(w, p); }

void krb_put_key(struct fs_writer *w, const struct krb_key *k) { put_key(w, k); }

fs_err krb_put_encrypted(struct fs_writer *w, const struct krb_key *key, uint32_t usage, const struct fs_writer *plain)
{
    return put_encrypted(w, key, usage, 0, 0, plain);
}

void krb_read_key(struct der *d, struct krb_key *k) { read_key(d, k); }

fs_err krb_open_cipher(const struct krb_key *key, int32_t etype, uint32_t usage, const uint8_t *cipher, size_t len,
                       uint8_t **plain, size_t *plain_len)
{
    return open_cipher(key, etype, usage, cipher, len, plain, plain_len);
}
