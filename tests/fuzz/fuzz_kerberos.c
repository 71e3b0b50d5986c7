/* libFuzzer: every Kerberos and SPNEGO parser behind the SSPI calls. The first byte picks one:
 *   0 SPNEGO NegTokenInit   1 SPNEGO NegTokenResp   2 GSS framing and AP-REQ
 *   3 EncTicketPart, 4 Authenticator, 5 EncAPRepPart: the bytes encrypted under a fixed key first, so the
 *     parsers behind decryption see them                6 RFC 4121 MIC token   7 RFC 4121 Wrap token
 *   8 a PAC (MS-PAC): its layout, NDR logon information, client and UPN information, and signatures */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/kerberos/pac.h"
#include "packages/negotiate/spnego.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct krb_key key = {KRB_ETYPE_AES256, 32, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                                          17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
                                                          31, 32}};

/* EncryptedData { etype 18, cipher } around the fuzzer's plaintext, encrypted with usage. */
static size_t encrypted(const uint8_t *plain, size_t n, uint32_t usage, uint8_t *out, size_t cap)
{
    if (n + KRB_ENC_OVERHEAD > cap)
        return 0;
    krb_encrypt(&key, usage, plain, n, out);
    return n + KRB_ENC_OVERHEAD;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0] % 9;
    data++, size--;
    struct der_error err;
    static uint8_t cipher[70000];
    switch (mode) {
    case 0: {
        struct spnego_init init;
        (void)spnego_parse_init(data, size, &init, &err);
        break;
    }
    case 1: {
        struct spnego_resp r;
        (void)spnego_parse_resp(data, size, &r, &err);
        break;
    }
    case 2: {
        uint16_t tok_id;
        const uint8_t *inner;
        size_t n;
        struct krb_ap_req r;
        if (krb_gss_unframe(data, size, &tok_id, &inner, &n) == FS_OK &&
            krb_parse_ap_req(inner, n, &r, &err) == FS_OK)
            krb_ap_req_free(&r);
        break;
    }
    case 3:
    case 4: {
        struct krb_ap_req r = {0};
        size_t n = encrypted(data, size, mode == 3 ? KRB_USAGE_TICKET : KRB_USAGE_AUTHENTICATOR, cipher,
                             sizeof cipher);
        r.ticket_etype = r.auth_etype = KRB_ETYPE_AES256;
        r.ticket_cipher = r.auth_cipher = cipher;
        r.ticket_cipher_len = r.auth_cipher_len = n;
        if (mode == 3) {
            struct krb_ticket t;
            if (krb_open_ticket(&r, &key, &t) == FS_OK)
                krb_ticket_free(&t);
        } else {
            struct krb_authenticator a;
            if (krb_open_authenticator(&r, &key, &a) == FS_OK)
                krb_authenticator_free(&a);
        }
        break;
    }
    case 5: {
        /* AP-REP { pvno 5, msg-type 15, enc-part { etype 18, cipher } } around the encrypted bytes. */
        size_t n = encrypted(data, size, KRB_USAGE_AP_REP, cipher, sizeof cipher);
        struct fs_writer w;
        fs_writer_init(&w);
        size_t app = der_open(&w, DER_APP(15)), seq = der_open(&w, DER_SEQUENCE);
        der_put_ctx_int(&w, 0, 5);
        der_put_ctx_int(&w, 1, 15);
        size_t f2 = der_open(&w, DER_CTX(2)), ed = der_open(&w, DER_SEQUENCE);
        der_put_ctx_int(&w, 0, KRB_ETYPE_AES256);
        size_t c = der_open(&w, DER_CTX(2));
        der_put_octets(&w, cipher, n);
        der_close(&w, c);
        der_close(&w, ed);
        der_close(&w, f2);
        der_close(&w, seq);
        der_close(&w, app);
        struct krb_ap_rep_part p;
        if (!w.failed)
            (void)krb_open_ap_rep(w.data, w.len, &key, &p);
        fs_writer_free(&w);
        break;
    }
    case 6:
    case 7: {
        struct krb_protect p = {.key = key, .acceptor_subkey = size & 1, .we_accept = (size >> 1) & 1};
        /* The first bytes are the token, the rest the message. */
        size_t tok_len = size < 60 ? size : 60 + (size > 60 ? data[0] % 8 : 0);
        if (tok_len > size)
            tok_len = size;
        static uint8_t msg[70000];
        size_t msg_len = size - tok_len;
        memcpy(msg, data + tok_len, msg_len);
        uint8_t *parts[1] = {msg};
        size_t lens[1] = {msg_len};
        if (mode == 6)
            (void)krb_mic_check(&p, parts, lens, 1, data, tok_len);
        else
            (void)krb_wrap_unseal(&p, parts, lens, NULL, 1, data, tok_len, NULL);
        break;
    }
    case 8: {
        struct krb_pac pac;
        if (krb_pac_parse(data, size, &pac) == FS_OK)
            krb_pac_free(&pac);
        (void)krb_pac_verify_server(data, size, &key);
        (void)krb_pac_verify_kdc(data, size, data, size / 2, &key);
        break;
    }
    }
    return 0;
}
