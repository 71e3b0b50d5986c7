/* GSS-API framing and RFC 4121 MIC/Wrap tokens for the Kerberos package. */
#include "krb_gss.h"

#include <nettle/memops.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/rng.h"
#include "packages/der.h"

const uint8_t krb_oid_krb5[9] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};
const uint8_t krb_oid_ms_krb5[9] = {0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02};

const uint8_t krb_oid_krb5_u2u[KRB_OID_U2U_LEN] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x03};

static void frame(struct fs_writer *w, const uint8_t *oid, size_t oid_len, uint16_t tok_id, const uint8_t *inner,
                  size_t n)
{
    size_t app = der_open(w, DER_APP(0));
    der_put_oid(w, oid, oid_len);
    fs_write_u8(w, (uint8_t)(tok_id >> 8));
    fs_write_u8(w, (uint8_t)tok_id);
    fs_write_bytes(w, inner, n);
    der_close(w, app);
}

void krb_gss_frame(struct fs_writer *w, const uint8_t oid[9], uint16_t tok_id, const uint8_t *inner, size_t n)
{
    frame(w, oid, 9, tok_id, inner, n);
}

void krb_gss_frame_u2u(struct fs_writer *w, uint16_t tok_id, const uint8_t *inner, size_t n)
{
    frame(w, krb_oid_krb5_u2u, KRB_OID_U2U_LEN, tok_id, inner, n);
}

fs_err krb_gss_unframe_any(const uint8_t *in, size_t len, int *u2u, uint16_t *tok_id, const uint8_t **inner,
                           size_t *inner_len)
{
    struct der_error err;
    struct der d;
    der_init(&d, in, len, &err);
    struct der app = der_enter(&d, DER_APP(0));
    der_expect_end(&d);
    struct der oid = der_read_oid(&app);
    if (!der_ok(&d) || app.len < 2)
        return FS_E_INVALID_TOKEN;
    *u2u = oid.len == KRB_OID_U2U_LEN && !memcmp(oid.p, krb_oid_krb5_u2u, KRB_OID_U2U_LEN);
    if (!*u2u && (oid.len != 9 || (memcmp(oid.p, krb_oid_krb5, 9) && memcmp(oid.p, krb_oid_ms_krb5, 9))))
        return FS_E_INVALID_TOKEN;
    *tok_id = (uint16_t)(app.p[0] << 8 | app.p[1]);
    *inner = app.p + 2;
    *inner_len = app.len - 2;
    return FS_OK;
}

fs_err krb_gss_unframe(const uint8_t *in, size_t len, uint16_t *tok_id, const uint8_t **inner, size_t *inner_len)
{
    int u2u;
    fs_err err = krb_gss_unframe_any(in, len, &u2u, tok_id, inner, inner_len);
    return err == FS_OK && u2u ? FS_E_INVALID_TOKEN : err;
}

/* RFC 4121 4.2.2 flags and 4.2.6 token ids */
#define FLAG_SENT_BY_ACCEPTOR 0x01
#define FLAG_SEALED 0x02
#define FLAG_ACCEPTOR_SUBKEY 0x04
#define HEADER 16
/* Key usages (RFC 4121 2) */
#define USAGE_ACCEPTOR_SEAL 22
#define USAGE_ACCEPTOR_SIGN 23
#define USAGE_INITIATOR_SEAL 24
#define USAGE_INITIATOR_SIGN 25
/* MS-KILE 3.4.5.4.1: the rotation that lets Windows encrypt in place. */
#define WRAP_RRC 28

/* The keys of one of the four per-message usages, derived once. */
static const struct krb_usage_keys *keys_for(struct krb_protect *p, uint32_t usage)
{
    struct krb_usage_keys *k = &p->usage[usage - USAGE_ACCEPTOR_SEAL];
    if (!k->ready)
        krb_usage_keys_derive(&p->key, usage, k);
    return k;
}

static uint8_t send_flags(const struct krb_protect *p)
{
    return (uint8_t)((p->we_accept ? FLAG_SENT_BY_ACCEPTOR : 0) | (p->acceptor_subkey ? FLAG_ACCEPTOR_SUBKEY : 0));
}

/* The flags a peer's token must carry: sent by the other side, under the same key choice. */
static int peer_flags_ok(const struct krb_protect *p, uint8_t flags)
{
    return !(flags & FLAG_SENT_BY_ACCEPTOR) == !!p->we_accept &&
           !(flags & FLAG_ACCEPTOR_SUBKEY) == !p->acceptor_subkey && !(flags & ~7u);
}

static void put_seq(uint8_t *at, uint64_t seq)
{
    for (int i = 0; i < 8; i++)
        at[i] = (uint8_t)(seq >> (8 * (7 - i)));
}

static uint64_t get_seq(const uint8_t *at)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | at[i];
    return v;
}

static fs_err mic_checksum(struct krb_protect *p, uint32_t usage, uint8_t *const *parts, const size_t *lens,
                           size_t n, const uint8_t *header, uint8_t out[KRB_HMAC_LEN])
{
    /* The checksum covers the message, then the token header (RFC 4121 4.2.4). */
    const uint8_t *stack_parts[9];
    size_t stack_lens[9];
    int heap = n >= 9;
    const uint8_t **all = heap ? fs_calloc(n + 1, sizeof *all) : stack_parts;
    size_t *all_lens = heap ? fs_calloc(n + 1, sizeof *all_lens) : stack_lens;
    fs_err err = all && all_lens ? FS_OK : FS_E_NOMEM;
    if (err == FS_OK) {
        for (size_t i = 0; i < n; i++) {
            all[i] = parts[i];
            all_lens[i] = lens[i];
        }
        all[n] = header;
        all_lens[n] = HEADER;
        krb_checksum_with(keys_for(p, usage), all, all_lens, n + 1, out);
    }
    if (heap) {
        free(all);
        free(all_lens);
    }
    return err;
}

fs_err krb_mic_make(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n, uint8_t *tok,
                    size_t tok_len)
{
    if (tok_len < KRB_MIC_SIZE)
        return FS_E_INSUFFICIENT_BUFFER;
    uint8_t h[HEADER] = {0x04, 0x04, send_flags(p), 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    put_seq(h + 8, p->send_seq);
    fs_err err = mic_checksum(p, p->we_accept ? USAGE_ACCEPTOR_SIGN : USAGE_INITIATOR_SIGN, parts, lens, n, h,
                              tok + HEADER);
    if (err != FS_OK)
        return err;
    memcpy(tok, h, HEADER);
    p->send_seq++;
    return FS_OK;
}

fs_err krb_mic_check(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n, const uint8_t *tok,
                     size_t tok_len)
{
    static const uint8_t filler[5] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    if (tok_len < KRB_MIC_SIZE || tok[0] != 0x04 || tok[1] != 0x04 || memcmp(tok + 3, filler, 5))
        return FS_E_INVALID_TOKEN;
    if (!peer_flags_ok(p, tok[2]))
        return FS_E_MESSAGE_ALTERED;
    uint8_t expected[KRB_HMAC_LEN];
    fs_err err = mic_checksum(p, p->we_accept ? USAGE_INITIATOR_SIGN : USAGE_ACCEPTOR_SIGN, parts, lens, n, tok,
                              expected);
    if (err != FS_OK)
        return err;
    if (!memeql_sec(expected, tok + HEADER, KRB_HMAC_LEN))
        return FS_E_MESSAGE_ALTERED;
    if (get_seq(tok + 8) != p->recv_seq)
        return FS_E_OUT_OF_SEQUENCE;
    p->recv_seq++;
    return FS_OK;
}

size_t krb_parts_length(const size_t *lens, const uint8_t *sign_only, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        if (!(sign_only && sign_only[i]))
            total += lens[i];
    return total;
}

void krb_parts_gather(uint8_t *dst, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lens[i] && !(sign_only && sign_only[i])) {
            memcpy(dst, parts[i], lens[i]);
            dst += lens[i];
        }
}

void krb_parts_scatter(const uint8_t *src, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only,
                       size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lens[i] && !(sign_only && sign_only[i])) {
            memcpy(parts[i], src, lens[i]);
            src += lens[i];
        }
}

/* dst = src rotated left by k bytes: how a receiver undoes RFC 4121's right rotation by RRC. */
static void rotate_left(uint8_t *dst, const uint8_t *src, size_t len, size_t k)
{
    k %= len;
    memcpy(dst, src + k, len - k);
    memcpy(dst + len - k, src, k);
}

/* A sealed Wrap token's HMAC (RFC 3961 5.3) when some parts are signed and not encrypted, as GSS's wrap
 * with sign-only data makes it (doc/semantics.md §39): over the confounder, every part in the message's
 * order (the encrypted ones as plaintext, taken from plain in turn; the sign-only ones as they are), then
 * the filler and header copy (tail). Without sign-only parts this is the HMAC over confounder | plaintext. */
static fs_err sealed_integrity(const struct krb_usage_keys *k, const uint8_t *confounder, const uint8_t *plain,
                               uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only, size_t n,
                               const uint8_t *tail, size_t tail_len, uint8_t out[KRB_HMAC_LEN])
{
    const uint8_t **all = fs_calloc(n + 2, sizeof *all);
    size_t *all_lens = fs_calloc(n + 2, sizeof *all_lens);
    fs_err err = FS_E_NOMEM;
    if (all && all_lens) {
        size_t m = 0;
        all[m] = confounder, all_lens[m++] = KRB_CONFOUNDER;
        for (size_t i = 0; i < n; i++) {
            if (!lens[i])
                continue;
            int clear = sign_only && sign_only[i];
            all[m] = clear ? parts[i] : plain;
            all_lens[m++] = lens[i];
            if (!clear)
                plain += lens[i];
        }
        all[m] = tail, all_lens[m++] = tail_len;
        krb_integrity_with(k, all, all_lens, m, out);
        err = FS_OK;
    }
    free(all);
    free(all_lens);
    return err;
}

fs_err krb_wrap_seal(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only,
                     size_t n, uint8_t *tok, size_t tok_len)
{
    size_t ec = p->wrap_ec;
    if (tok_len < KRB_WRAP_TRAILER + ec)
        return FS_E_INSUFFICIENT_BUFFER;
    size_t data = krb_parts_length(lens, sign_only, n);
    /* EC 0: AES-CTS needs no filler, though DCE style sends a block of it (doc/semantics.md §60). RRC 28 on the
     * wire; the encrypted copy of the header says 0. */
    uint8_t h[HEADER] = {0x05, 0x04, (uint8_t)(send_flags(p) | FLAG_SEALED), 0xFF, 0, (uint8_t)ec, 0, 0};
    put_seq(h + 8, p->send_seq);
    size_t plain = data + ec + HEADER, sealed = plain + KRB_ENC_OVERHEAD;
    uint8_t *buf = fs_malloc(sealed);
    if (!buf)
        return FS_E_NOMEM;
    /* buf: confounder | plaintext | filler | header, then the HMAC; all but the HMAC encrypted (RFC 3961 5.3) */
    const struct krb_usage_keys *k = keys_for(p, p->we_accept ? USAGE_ACCEPTOR_SEAL : USAGE_INITIATOR_SEAL);
    fs_rng_bytes(buf, KRB_CONFOUNDER);
    krb_parts_gather(buf + KRB_CONFOUNDER, parts, lens, sign_only, n);
    memset(buf + KRB_CONFOUNDER + data, 0, ec);
    memcpy(buf + KRB_CONFOUNDER + data + ec, h, HEADER);
    fs_err err = sealed_integrity(k, buf, buf + KRB_CONFOUNDER, parts, lens, sign_only, n, buf + KRB_CONFOUNDER + data,
                                  ec + HEADER, buf + KRB_CONFOUNDER + plain);
    if (err == FS_OK) {
        krb_cts_encrypt(&k->ke, buf, KRB_CONFOUNDER + plain);
        /* Rotated right by RRC + EC, as Windows rotates (MS-KILE 3.4.5.4.1): the last bytes (the encrypted
         * filler and header, and the HMAC) come first, then the encrypted confounder; all of that is the
         * trailer, the data stays in place. */
        h[6] = 0;
        h[7] = WRAP_RRC;
        memcpy(tok, h, HEADER);
        memcpy(tok + HEADER, buf + sealed - WRAP_RRC - ec, WRAP_RRC + ec);
        memcpy(tok + HEADER + WRAP_RRC + ec, buf, KRB_CONFOUNDER);
        krb_parts_scatter(buf + KRB_CONFOUNDER, parts, lens, sign_only, n);
        p->send_seq++;
    }
    explicit_bzero(buf, sealed);
    free(buf);
    return err;
}

/* A Wrap token without confidentiality (RFC 4121 4.2.4), as SSPI makes it for KERB_WRAP_NO_ENCRYPT: the
 * data stays in place, the checksum over data and header (EC and RRC zero) follows the header. EC says
 * how long the checksum is; RRC 12 moves it in front of the data, so the trailer is 28 bytes. */
fs_err krb_wrap_sign(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n, uint8_t *tok,
                     size_t *tok_len)
{
    if (*tok_len < HEADER + KRB_HMAC_LEN)
        return FS_E_INSUFFICIENT_BUFFER;
    uint8_t h[HEADER] = {0x05, 0x04, send_flags(p), 0xFF, 0, 0, 0, 0};
    put_seq(h + 8, p->send_seq);
    fs_err err = mic_checksum(p, p->we_accept ? USAGE_ACCEPTOR_SEAL : USAGE_INITIATOR_SEAL, parts, lens, n, h,
                              tok + HEADER);
    if (err != FS_OK)
        return err;
    h[5] = KRB_HMAC_LEN; /* EC */
    h[7] = KRB_HMAC_LEN; /* RRC */
    memcpy(tok, h, HEADER);
    *tok_len = HEADER + KRB_HMAC_LEN;
    p->send_seq++;
    return FS_OK;
}

/* Checks a Wrap token without confidentiality: the bytes after the header and the parts, rotated back
 * by RRC, are the data and its checksum. */
static fs_err unwrap_signed(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n,
                            const uint8_t *tok, size_t tok_len)
{
    size_t ec = (size_t)tok[4] << 8 | tok[5], rrc = (size_t)tok[6] << 8 | tok[7];
    size_t data = krb_parts_length(lens, NULL, n);
    if (ec != KRB_HMAC_LEN || tok_len - HEADER != ec)
        return FS_E_INVALID_TOKEN;
    size_t wire = data + ec;
    uint8_t *rotated = fs_malloc(wire), *buf = fs_malloc(wire);
    fs_err err = FS_E_NOMEM;
    if (rotated && buf) {
        memcpy(rotated, tok + HEADER, ec);
        krb_parts_gather(rotated + ec, parts, lens, NULL, n);
        rotate_left(buf, rotated, wire, rrc);
        /* buf: data | checksum */
        uint8_t h[HEADER], expected[KRB_HMAC_LEN];
        memcpy(h, tok, HEADER);
        h[4] = h[5] = h[6] = h[7] = 0;
        uint8_t *const one[1] = {buf};
        err = mic_checksum(p, p->we_accept ? USAGE_INITIATOR_SEAL : USAGE_ACCEPTOR_SEAL, one, &data, 1, h, expected);
        if (err == FS_OK && !memeql_sec(expected, buf + data, KRB_HMAC_LEN))
            err = FS_E_MESSAGE_ALTERED;
        else if (err == FS_OK && get_seq(tok + 8) != p->recv_seq)
            err = FS_E_OUT_OF_SEQUENCE;
        if (err == FS_OK) {
            krb_parts_scatter(buf, parts, lens, NULL, n);
            p->recv_seq++;
        }
        explicit_bzero(rotated, wire);
        explicit_bzero(buf, wire);
    }
    free(rotated);
    free(buf);
    return err;
}

fs_err krb_wrap_split(const uint8_t *msg, size_t len, size_t *trailer_len)
{
    if (len < HEADER || msg[0] != 0x05 || msg[1] != 0x04 || msg[3] != 0xFF)
        return FS_E_INVALID_TOKEN;
    size_t ec = (size_t)msg[4] << 8 | msg[5];
    size_t overhead = msg[2] & FLAG_SEALED ? HEADER + KRB_ENC_OVERHEAD + ec + HEADER : HEADER + ec;
    if (len < overhead)
        return FS_E_INVALID_TOKEN;
    *trailer_len = overhead;
    return FS_OK;
}

fs_err krb_wrap_unseal(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only,
                       size_t n, const uint8_t *tok, size_t tok_len, uint32_t *qop)
{
    if (tok_len < HEADER || tok[0] != 0x05 || tok[1] != 0x04 || tok[3] != 0xFF)
        return FS_E_INVALID_TOKEN;
    uint8_t flags = tok[2];
    if (!peer_flags_ok(p, (uint8_t)(flags & ~FLAG_SEALED)))
        return FS_E_MESSAGE_ALTERED;
    if (qop)
        *qop = flags & FLAG_SEALED ? 0 : KRB_QOP_NO_ENCRYPT;
    if (!(flags & FLAG_SEALED))
        return unwrap_signed(p, parts, lens, n, tok, tok_len);
    size_t ec = (size_t)tok[4] << 8 | tok[5], rrc = (size_t)tok[6] << 8 | tok[7];
    size_t data = krb_parts_length(lens, sign_only, n), wire = tok_len - HEADER + data;
    if (wire < KRB_ENC_OVERHEAD + ec + HEADER || wire - KRB_ENC_OVERHEAD - ec - HEADER != data)
        return FS_E_INVALID_TOKEN;
    uint8_t *rotated = fs_malloc(wire), *buf = fs_malloc(wire);
    fs_err err = FS_E_NOMEM;
    if (rotated && buf) {
        memcpy(rotated, tok + HEADER, tok_len - HEADER);
        krb_parts_gather(rotated + tok_len - HEADER, parts, lens, sign_only, n);
        /* Windows rotates by RRC + EC (MS-KILE 3.4.5.4.1); undo it with a left rotation. A token with RRC 0 (MIT's
         * gss_wrap_iov with a TRAILER buffer, DCE style's included) is not rotated at all (doc/semantics.md §75). */
        rotate_left(buf, rotated, wire, rrc ? rrc + ec : 0);
        /* buf: E(confounder | data | filler | header copy) | HMAC */
        const struct krb_usage_keys *k = keys_for(p, p->we_accept ? USAGE_INITIATOR_SEAL : USAGE_ACCEPTOR_SEAL);
        size_t body = wire - KRB_HMAC_LEN;
        uint8_t mac[KRB_HMAC_LEN];
        krb_cts_decrypt(&k->ke, buf, body);
        err = sealed_integrity(k, buf, buf + KRB_CONFOUNDER, parts, lens, sign_only, n, buf + KRB_CONFOUNDER + data,
                               ec + HEADER, mac);
        if (err == FS_OK && !memeql_sec(mac, buf + body, KRB_HMAC_LEN))
            err = FS_E_MESSAGE_ALTERED;
        if (err == FS_OK) {
            /* the header copy inside says RRC 0 */
            uint8_t h[HEADER];
            memcpy(h, tok, HEADER);
            h[6] = h[7] = 0;
            if (memcmp(buf + KRB_CONFOUNDER + data + ec, h, HEADER))
                err = FS_E_MESSAGE_ALTERED;
            else if (get_seq(tok + 8) != p->recv_seq)
                err = FS_E_OUT_OF_SEQUENCE;
        }
        if (err == FS_OK) {
            krb_parts_scatter(buf + KRB_CONFOUNDER, parts, lens, sign_only, n);
            p->recv_seq++;
        }
        explicit_bzero(rotated, wire);
        explicit_bzero(buf, wire);
    }
    free(rotated);
    free(buf);
    return err;
}
