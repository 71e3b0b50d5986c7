/* The KRB-CRED message (RFC 4120 5.8) that carries a forwarded TGT from client to service in the authenticator
 * checksum (RFC 4121 4.1.1): one ticket, and its session key in EncKrbCredPart encrypted in the AP-REQ ticket's
 * session key (doc/semantics.md §54). */
#include "krb_cred.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define KRB_PVNO 5
#define KRB_MSG_CRED 22

/* ---- writer ---- */

/* KrbCredInfo: the key and every optional field that names the ticket, as Windows' and MIT's clients fill them. */
static void put_cred_info(struct fs_writer *w, const struct krb_cred *c)
{
    size_t seq = der_open(w, DER_SEQUENCE);
    size_t f0 = der_open(w, DER_CTX(0));
    krb_put_key(w, &c->key);
    der_close(w, f0);
    der_put_ctx_string(w, 1, c->prealm);
    size_t f2 = der_open(w, DER_CTX(2));
    krb_put_principal(w, &c->pname);
    der_close(w, f2);
    size_t f3 = der_open(w, DER_CTX(3));
    der_put_flags(w, c->flags);
    der_close(w, f3);
    der_put_ctx_time(w, 4, c->authtime);
    der_put_ctx_time(w, 5, c->starttime);
    der_put_ctx_time(w, 6, c->endtime);
    der_put_ctx_time(w, 7, c->renew_till);
    der_put_ctx_string(w, 8, c->srealm);
    size_t f9 = der_open(w, DER_CTX(9));
    krb_put_principal(w, &c->sname);
    der_close(w, f9);
    der_close(w, seq);
}

fs_err krb_build_cred(const struct krb_cred *c, const struct krb_key *key, struct fs_writer *out)
{
    struct fs_writer enc;
    fs_writer_init(&enc);
    size_t app = der_open(&enc, DER_APP(29));
    size_t seq = der_open(&enc, DER_SEQUENCE);
    size_t f0 = der_open(&enc, DER_CTX(0));
    size_t infos = der_open(&enc, DER_SEQUENCE);
    put_cred_info(&enc, c);
    der_close(&enc, infos);
    der_close(&enc, f0);
    der_close(&enc, seq);
    der_close(&enc, app);

    size_t capp = der_open(out, DER_APP(22));
    size_t cseq = der_open(out, DER_SEQUENCE);
    der_put_ctx_int(out, 0, KRB_PVNO);
    der_put_ctx_int(out, 1, KRB_MSG_CRED);
    size_t f2 = der_open(out, DER_CTX(2));
    size_t tickets = der_open(out, DER_SEQUENCE);
    der_put_raw(out, c->ticket, c->ticket_len);
    der_close(out, tickets);
    der_close(out, f2);
    size_t f3 = der_open(out, DER_CTX(3));
    fs_err err = krb_put_encrypted(out, key, KRB_USAGE_KRB_CRED, &enc);
    der_close(out, f3);
    der_close(out, cseq);
    der_close(out, capp);
    if (enc.data)
        explicit_bzero(enc.data, enc.len); /* the TGT's session key */
    fs_writer_free(&enc);
    return err != FS_OK ? err : out->failed ? FS_E_NOMEM : FS_OK;
}

/* ---- readers ---- */

static void ctx_principal(struct der *d, unsigned n, struct krb_principal *p)
{
    struct der f = der_enter(d, (uint8_t)DER_CTX(n));
    if (der_ok(d) && krb_parse_principal(&f, p) != FS_OK && der_ok(d))
        der_fail(d, "bad principal name");
    der_expect_end(&f);
}

static fs_err read_failure(const struct der_error *e) { return e->nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN; }

void krb_cred_free(struct krb_cred *c)
{
    free(c->ticket);
    free(c->prealm);
    free(c->srealm);
    krb_principal_free(&c->pname);
    krb_principal_free(&c->sname);
    explicit_bzero(c, sizeof *c);
}

/* EncKrbCredPart with one KrbCredInfo whose naming fields are all there: a forwarded TGT without its client or
 * service named is of no use to the acceptor. */
static fs_err parse_enc_cred(const uint8_t *p, size_t len, struct krb_cred *c)
{
    struct der_error err;
    struct der d;
    der_init(&d, p, len, &err);
    struct der app = der_enter(&d, DER_APP(29));
    der_expect_end(&d);
    struct der seq = der_enter(&app, DER_SEQUENCE);
    der_expect_end(&app);
    struct der f0 = der_enter(&seq, DER_CTX(0));
    struct der infos = der_enter(&f0, DER_SEQUENCE);
    der_expect_end(&f0);
    struct der info = der_enter(&infos, DER_SEQUENCE);
    der_expect_end(&infos); /* one ticket, one KrbCredInfo */
    struct der k = der_enter(&info, DER_CTX(0));
    krb_read_key(&k, &c->key);
    der_expect_end(&k);
    c->prealm = der_read_ctx_string(&info, 1);
    ctx_principal(&info, 2, &c->pname);
    struct der f3 = der_enter(&info, DER_CTX(3));
    c->flags = der_read_flags(&f3);
    der_expect_end(&f3);
    c->authtime = der_read_ctx_time(&info, 4);
    c->starttime = der_peek(&info, DER_CTX(5)) ? der_read_ctx_time(&info, 5) : c->authtime;
    c->endtime = der_read_ctx_time(&info, 6);
    if (der_peek(&info, DER_CTX(7)))
        c->renew_till = der_read_ctx_time(&info, 7);
    c->srealm = der_read_ctx_string(&info, 8);
    ctx_principal(&info, 9, &c->sname);
    struct der skip;
    (void)der_enter_optional(&info, DER_CTX(10), &skip); /* caddr: addresses are not checked */
    der_expect_end(&info);
    /* nonce, timestamp, usec, s-address, r-address: the AP-REQ around it already proves freshness. */
    for (unsigned n = 1; n <= 5; n++)
        (void)der_enter_optional(&seq, (uint8_t)DER_CTX(n), &skip);
    der_expect_end(&seq);
    return der_ok(&d) && c->prealm && c->srealm ? FS_OK : read_failure(&err);
}

fs_err krb_open_cred(const uint8_t *in, size_t len, const struct krb_key *key, struct krb_cred *out)
{
    memset(out, 0, sizeof *out);
    struct der_error err;
    struct der d;
    der_init(&d, in, len, &err);
    struct der app = der_enter(&d, DER_APP(22));
    der_expect_end(&d);
    struct der seq = der_enter(&app, DER_SEQUENCE);
    der_expect_end(&app);
    int64_t pvno = der_read_ctx_int(&seq, 0), type = der_read_ctx_int(&seq, 1);
    struct der f2 = der_enter(&seq, DER_CTX(2));
    struct der tickets = der_enter(&f2, DER_SEQUENCE);
    der_expect_end(&f2);
    struct der ticket = der_take_raw(&tickets, DER_APP(1));
    der_expect_end(&tickets);
    struct der f3 = der_enter(&seq, DER_CTX(3));
    int32_t etype;
    uint32_t kvno;
    int has_kvno;
    struct der cipher = {0};
    fs_err e = der_ok(&d) ? krb_parse_encrypted_data(&f3, &etype, &kvno, &has_kvno, &cipher) : FS_E_INVALID_TOKEN;
    der_expect_end(&f3);
    der_expect_end(&seq);
    if (e != FS_OK || !der_ok(&d) || pvno != KRB_PVNO || type != KRB_MSG_CRED)
        return e == FS_E_NOMEM || err.nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
    uint8_t *plain;
    size_t n;
    if ((e = krb_open_cipher(key, etype, KRB_USAGE_KRB_CRED, cipher.p, cipher.len, &plain, &n)) != FS_OK)
        return e;
    e = parse_enc_cred(plain, n, out);
    explicit_bzero(plain, n);
    free(plain);
    if (e == FS_OK && !(out->ticket = fs_malloc(ticket.len)))
        e = FS_E_NOMEM;
    if (e != FS_OK) {
        krb_cred_free(out);
        return e;
    }
    memcpy(out->ticket, ticket.p, ticket.len);
    out->ticket_len = ticket.len;
    return FS_OK;
}

int krb_ap_req_ticket(const uint8_t *ap_req, size_t len, const uint8_t **ticket, size_t *ticket_len)
{
    struct der_error err;
    struct der d, skip;
    der_init(&d, ap_req, len, &err);
    struct der app = der_enter(&d, DER_APP(14));
    struct der seq = der_enter(&app, DER_SEQUENCE);
    for (unsigned n = 0; n < 3; n++) /* pvno, msg-type, ap-options */
        (void)der_enter_optional(&seq, (uint8_t)DER_CTX(n), &skip);
    struct der f3 = der_enter(&seq, DER_CTX(3));
    struct der t = der_take_raw(&f3, DER_APP(1));
    if (!der_ok(&d))
        return -1;
    *ticket = t.p;
    *ticket_len = t.len;
    return 0;
}

fs_err krb_parse_ticket(const uint8_t *ticket, size_t len, struct krb_ap_req *out)
{
    memset(out, 0, sizeof *out);
    struct der_error err;
    struct der d;
    der_init(&d, ticket, len, &err);
    struct der app = der_enter(&d, DER_APP(1));
    der_expect_end(&d);
    struct der seq = der_enter(&app, DER_SEQUENCE);
    der_expect_end(&app);
    int64_t pvno = der_read_ctx_int(&seq, 0);
    out->realm = der_read_ctx_string(&seq, 1);
    ctx_principal(&seq, 2, &out->sname);
    struct der f3 = der_enter(&seq, DER_CTX(3));
    struct der cipher = {0};
    int has_kvno;
    fs_err e = der_ok(&d) ? krb_parse_encrypted_data(&f3, &out->ticket_etype, &out->ticket_kvno, &has_kvno, &cipher)
                          : FS_E_INVALID_TOKEN;
    der_expect_end(&f3);
    der_expect_end(&seq);
    if (e != FS_OK || !der_ok(&d) || pvno != KRB_PVNO || !out->realm) {
        krb_ap_req_free(out);
        return e == FS_E_NOMEM || err.nomem ? FS_E_NOMEM : FS_E_INVALID_TOKEN;
    }
    out->ticket_cipher = cipher.p;
    out->ticket_cipher_len = cipher.len;
    return FS_OK;
}
