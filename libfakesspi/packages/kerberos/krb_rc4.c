/* RC4-HMAC (RFC 4757) for the Kerberos package: encryption type 23, checksum type -138, and the RFC 4757
 * section 7 GSS tokens. The primitives (ARCFOUR, HMAC-MD5, MD5) are nettle's; only RFC 4757's
 * constructions around them live here. */
#include "krb_rc4.h"

#include <nettle/arcfour.h>
#include <nettle/hmac.h>
#include <nettle/md5.h>
#include <nettle/memops.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/rng.h"
#include "krb_gss.h"

/* RFC 4757 section 3 (and MIT's table): the usage number Microsoft's implementation salts with. */
static uint32_t ms_usage(uint32_t usage)
{
    switch (usage) {
    case 3: return 8;   /* the AS-REP's encrypted part is salted as the TGS-REP's */
    case 23: return 13; /* the GSS Wrap token's checksum */
    default: return usage;
    }
}

static void put_le32(uint8_t out[4], uint32_t v)
{
    for (int i = 0; i < 4; i++)
        out[i] = (uint8_t)(v >> (8 * i));
}

/* HMAC-MD5(key, part1 | part2), MD5_DIGEST_SIZE bytes into out. */
static void hmac2(const uint8_t *key, size_t key_len, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
                  uint8_t out[MD5_DIGEST_SIZE])
{
    struct hmac_md5_ctx h;
    hmac_md5_set_key(&h, key_len, key);
    hmac_md5_update(&h, a_len, a);
    if (b_len)
        hmac_md5_update(&h, b_len, b);
    hmac_md5_digest(&h, MD5_DIGEST_SIZE, out);
    explicit_bzero(&h, sizeof h);
}

/* K1 = HMAC-MD5(K, usage as four little-endian bytes) (RFC 4757 section 4); K2 = K1 for etype 23. */
static void usage_key(const struct krb_key *key, uint32_t usage, uint8_t k1[MD5_DIGEST_SIZE])
{
    uint8_t t[4];
    put_le32(t, ms_usage(usage));
    hmac2(key->bytes, key->len, t, sizeof t, NULL, 0, k1);
}

static void rc4(const uint8_t key[MD5_DIGEST_SIZE], uint8_t *data, size_t len)
{
    struct arcfour_ctx c;
    arcfour_set_key(&c, MD5_DIGEST_SIZE, key);
    arcfour_crypt(&c, len, data, data);
    explicit_bzero(&c, sizeof c);
}

void krb_rc4_encrypt(const struct krb_key *key, uint32_t usage, const uint8_t *confounder, const uint8_t *plain,
                     size_t len, uint8_t *out)
{
    uint8_t k1[MD5_DIGEST_SIZE], k3[MD5_DIGEST_SIZE];
    uint8_t *body = out + KRB_RC4_CHECKSUM;
    if (len)
        memmove(body + KRB_RC4_CONFOUNDER, plain, len);
    if (confounder)
        memcpy(body, confounder, KRB_RC4_CONFOUNDER);
    else
        fs_rng_bytes(body, KRB_RC4_CONFOUNDER);
    usage_key(key, usage, k1);
    hmac2(k1, sizeof k1, body, KRB_RC4_CONFOUNDER + len, NULL, 0, out); /* the checksum, with K2 */
    hmac2(k1, sizeof k1, out, KRB_RC4_CHECKSUM, NULL, 0, k3);
    rc4(k3, body, KRB_RC4_CONFOUNDER + len);
    explicit_bzero(k1, sizeof k1);
    explicit_bzero(k3, sizeof k3);
}

fs_err krb_rc4_decrypt(const struct krb_key *key, uint32_t usage, const uint8_t *in, size_t in_len, uint8_t *plain,
                       uint8_t *confounder)
{
    if (in_len < KRB_RC4_OVERHEAD)
        return FS_E_INVALID_TOKEN;
    size_t body = in_len - KRB_RC4_CHECKSUM;
    uint8_t *work = fs_malloc(body);
    if (!work)
        return FS_E_NOMEM;
    memcpy(work, in + KRB_RC4_CHECKSUM, body);
    uint8_t k1[MD5_DIGEST_SIZE], k3[MD5_DIGEST_SIZE], mac[MD5_DIGEST_SIZE];
    usage_key(key, usage, k1);
    hmac2(k1, sizeof k1, in, KRB_RC4_CHECKSUM, NULL, 0, k3);
    rc4(k3, work, body);
    hmac2(k1, sizeof k1, work, body, NULL, 0, mac);
    fs_err err = memeql_sec(mac, in, KRB_RC4_CHECKSUM) ? FS_OK : FS_E_MESSAGE_ALTERED;
    if (err == FS_OK) {
        memcpy(plain, work + KRB_RC4_CONFOUNDER, body - KRB_RC4_CONFOUNDER);
        if (confounder)
            memcpy(confounder, work, KRB_RC4_CONFOUNDER);
    }
    explicit_bzero(work, body);
    free(work);
    explicit_bzero(k1, sizeof k1);
    explicit_bzero(k3, sizeof k3);
    return err;
}

/* Ksign = HMAC-MD5(K, "signaturekey\0"); the checksum is HMAC-MD5(Ksign, MD5(usage | data)) (RFC 4757 section 4). */
void krb_rc4_checksum(const struct krb_key *key, uint32_t usage, const uint8_t *const *parts, const size_t *lens,
                      size_t nparts, uint8_t out[KRB_RC4_CHECKSUM])
{
    static const uint8_t signaturekey[] = "signaturekey"; /* with its NUL: 13 bytes */
    uint8_t ksign[MD5_DIGEST_SIZE], t[4], digest[MD5_DIGEST_SIZE];
    hmac2(key->bytes, key->len, signaturekey, sizeof signaturekey, NULL, 0, ksign);
    put_le32(t, ms_usage(usage));
    struct md5_ctx m;
    md5_init(&m);
    md5_update(&m, sizeof t, t);
    for (size_t i = 0; i < nparts; i++)
        md5_update(&m, lens[i], parts[i]);
    md5_digest(&m, sizeof digest, digest);
    hmac2(ksign, sizeof ksign, digest, sizeof digest, NULL, 0, out);
    explicit_bzero(ksign, sizeof ksign);
    explicit_bzero(&m, sizeof m);
}

/* ---- RFC 4757 section 7: the GSS tokens ---- */

#define TOKEN 24          /* TOK_ID, SGN_ALG, SEAL_ALG or filler, filler, SND_SEQ, SGN_CKSUM */
#define SGN_ALG_HMAC_MD5 0x0011
#define SEAL_ALG_RC4 0x0010
#define USAGE_SEAL 13     /* the Wrap token's checksum */
#define USAGE_SIGN 15     /* the MIC token's */
#define OID_TLV 11        /* 06 09 and the Kerberos OID */

/* The checksum a token carries: the first 8 bytes of the HMAC-MD5 checksum over the token's first 8 bytes, then
 * the confounder (Wrap), every part in order, then the padding (Wrap). plain (Wrap) holds the encrypted parts'
 * plaintext one after the other: those parts are taken from it, the sign-only ones as they are. */
static fs_err token_checksum(const struct krb_key *key, uint32_t usage, const uint8_t *head8,
                             const uint8_t *confounder, uint8_t *const *parts, const size_t *lens,
                             const uint8_t *sign_only, size_t n, const uint8_t *plain, const uint8_t *pad,
                             uint8_t out[8])
{
    const uint8_t **all = fs_calloc(n + 3, sizeof *all);
    size_t *all_lens = fs_calloc(n + 3, sizeof *all_lens);
    fs_err err = FS_E_NOMEM;
    if (all && all_lens) {
        size_t m = 0;
        all[m] = head8, all_lens[m++] = 8;
        if (confounder)
            all[m] = confounder, all_lens[m++] = KRB_RC4_CONFOUNDER;
        for (size_t i = 0; i < n; i++) {
            int clear = !plain || (sign_only && sign_only[i]);
            all[m] = clear ? parts[i] : plain;
            all_lens[m++] = lens[i];
            if (!clear)
                plain += lens[i];
        }
        if (pad)
            all[m] = pad, all_lens[m++] = 1;
        uint8_t full[KRB_RC4_CHECKSUM];
        krb_rc4_checksum(key, usage, all, all_lens, m, full);
        memcpy(out, full, 8);
        explicit_bzero(full, sizeof full);
        err = FS_OK;
    }
    free(all);
    free(all_lens);
    return err;
}

/* kd = HMAC-MD5(HMAC-MD5(key, 0 as four bytes), data): the RC4 key for the sequence number (data: the token's
 * checksum, key: the context key) and for the payload (data: the sequence number, big-endian; key: the context
 * key with every byte XORed with 0xF0) (RFC 4757 section 7.3). */
static void gss_rc4_key(const uint8_t *key, size_t key_len, const uint8_t *data, size_t data_len,
                        uint8_t out[MD5_DIGEST_SIZE])
{
    static const uint8_t zero[4];
    uint8_t k[MD5_DIGEST_SIZE];
    hmac2(key, key_len, zero, sizeof zero, NULL, 0, k);
    hmac2(k, sizeof k, data, data_len, NULL, 0, out);
    explicit_bzero(k, sizeof k);
}

static void payload_key(const struct krb_key *key, uint32_t seq, uint8_t out[MD5_DIGEST_SIZE])
{
    uint8_t klocal[16], be[4] = {(uint8_t)(seq >> 24), (uint8_t)(seq >> 16), (uint8_t)(seq >> 8), (uint8_t)seq};
    for (size_t i = 0; i < 16; i++)
        klocal[i] = key->bytes[i] ^ 0xF0;
    gss_rc4_key(klocal, sizeof klocal, be, sizeof be, out);
    explicit_bzero(klocal, sizeof klocal);
}

/* SND_SEQ: the sequence number big-endian, then four bytes saying the direction (0 from the initiator, 0xFF from
 * the acceptor), RC4-encrypted under a key made from the token's checksum. */
static void seal_seq(const struct krb_key *key, uint32_t seq, int from_acceptor, const uint8_t cksum[8],
                     uint8_t out[8])
{
    uint8_t k[MD5_DIGEST_SIZE], dir = from_acceptor ? 0xFF : 0x00;
    uint8_t plain[8] = {(uint8_t)(seq >> 24), (uint8_t)(seq >> 16), (uint8_t)(seq >> 8), (uint8_t)seq, dir, dir, dir, dir};
    memcpy(out, plain, 8);
    gss_rc4_key(key->bytes, key->len, cksum, 8, k);
    rc4(k, out, 8);
    explicit_bzero(k, sizeof k);
}

/* The peer's sequence number from a token, or -1 when its direction bytes are not the peer's. */
static int64_t open_seq(const struct krb_key *key, int peer_is_acceptor, const uint8_t cksum[8], const uint8_t in[8])
{
    uint8_t k[MD5_DIGEST_SIZE], plain[8], dir = peer_is_acceptor ? 0xFF : 0x00;
    memcpy(plain, in, 8);
    gss_rc4_key(key->bytes, key->len, cksum, 8, k);
    rc4(k, plain, 8);
    explicit_bzero(k, sizeof k);
    if (plain[4] != dir || plain[5] != dir || plain[6] != dir || plain[7] != dir)
        return -1;
    return (int64_t)((uint32_t)plain[0] << 24 | (uint32_t)plain[1] << 16 | (uint32_t)plain[2] << 8 | plain[3]);
}

/* The bytes the GSS framing [APPLICATION 0] { OID, ... } takes before an inner token of inner bytes. */
static size_t framing_size(size_t inner)
{
    size_t body = OID_TLV + inner;
    return 2 + (body < 0x80 ? 0 : body > 0xFFFF ? 3 : body > 0xFF ? 2 : 1) + OID_TLV;
}

/* Writes that framing; returns its size. */
static size_t put_framing(uint8_t *at, size_t inner)
{
    size_t body = OID_TLV + inner, n = 0;
    at[n++] = 0x60;
    if (body < 0x80) {
        at[n++] = (uint8_t)body;
    } else {
        size_t bytes = body > 0xFFFF ? 3 : body > 0xFF ? 2 : 1;
        at[n++] = (uint8_t)(0x80 | bytes);
        for (size_t i = bytes; i-- > 0;)
            at[n++] = (uint8_t)(body >> (8 * i));
    }
    at[n++] = 0x06;
    at[n++] = 9;
    memcpy(at + n, krb_oid_krb5, 9);
    return n + 9;
}

/* Reads the framing: *inner points at the TOK_ID, *inner_len counts from there to the end the DER says. */
static fs_err get_framing(const uint8_t *in, size_t len, const uint8_t **inner, size_t *inner_len)
{
    if (len < 2 || in[0] != 0x60)
        return FS_E_INVALID_TOKEN;
    size_t n = 1, body;
    if (in[n] < 0x80) {
        body = in[n++];
    } else {
        size_t bytes = in[n++] & 0x7F;
        if (bytes < 1 || bytes > 3 || len < n + bytes)
            return FS_E_INVALID_TOKEN;
        body = 0;
        for (size_t i = 0; i < bytes; i++)
            body = body << 8 | in[n++];
    }
    if (len < n + OID_TLV || in[n] != 0x06 || in[n + 1] != 9 ||
        (memcmp(in + n + 2, krb_oid_krb5, 9) && memcmp(in + n + 2, krb_oid_ms_krb5, 9)) || body < OID_TLV + TOKEN)
        return FS_E_INVALID_TOKEN;
    *inner = in + n + OID_TLV;
    *inner_len = body - OID_TLV;
    return FS_OK;
}

fs_err krb_rc4_mic_make(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n, uint8_t *tok,
                        size_t tok_len)
{
    if (tok_len < KRB_RC4_MIC_SIZE)
        return FS_E_INSUFFICIENT_BUFFER;
    uint8_t t[TOKEN] = {0x01, 0x01, 0x11, 0x00, 0xFF, 0xFF, 0xFF, 0xFF};
    fs_err err = token_checksum(&p->key, USAGE_SIGN, t, NULL, parts, lens, NULL, n, NULL, NULL, t + 16);
    if (err != FS_OK)
        return err;
    seal_seq(&p->key, (uint32_t)p->send_seq, p->we_accept, t + 16, t + 8);
    size_t at = put_framing(tok, TOKEN);
    memcpy(tok + at, t, TOKEN);
    p->send_seq++;
    return FS_OK;
}

fs_err krb_rc4_mic_check(struct krb_protect *p, uint8_t *const *parts, const size_t *lens, size_t n,
                         const uint8_t *tok, size_t tok_len)
{
    static const uint8_t head[8] = {0x01, 0x01, 0x11, 0x00, 0xFF, 0xFF, 0xFF, 0xFF};
    const uint8_t *t;
    size_t t_len;
    if (get_framing(tok, tok_len, &t, &t_len) || t_len != TOKEN || (size_t)(t - tok) + TOKEN > tok_len ||
        memcmp(t, head, 8))
        return FS_E_INVALID_TOKEN;
    uint8_t expected[8];
    fs_err err = token_checksum(&p->key, USAGE_SIGN, t, NULL, parts, lens, NULL, n, NULL, NULL, expected);
    if (err != FS_OK)
        return err;
    if (!memeql_sec(expected, t + 16, 8))
        return FS_E_MESSAGE_ALTERED;
    int64_t seq = open_seq(&p->key, !p->we_accept, t + 16, t + 8);
    if (seq < 0)
        return FS_E_MESSAGE_ALTERED;
    if ((uint32_t)seq != (uint32_t)p->recv_seq)
        return FS_E_OUT_OF_SEQUENCE;
    p->recv_seq++;
    return FS_OK;
}

/* The Wrap token is framing | 24-byte token | confounder | data | padding (one byte, 1), the last three encrypted
 * as one RC4 stream when sealed. The data stays where the caller has it: the trailer takes everything before, and
 * the first byte of the stream after the confounder, so the DATA buffers end with the padding
 * (doc/semantics.md §53). In DCE style there is no padding (RPC pads the stub itself) and the framing's length
 * counts the token and the confounder only: the trailer is framing | token | confounder, 45 bytes, and the data
 * follows it, encrypted in place (doc/semantics.md §60). */
fs_err krb_rc4_wrap(struct krb_protect *p, int encrypt, uint8_t *const *parts, const size_t *lens,
                    const uint8_t *sign_only, size_t n, uint8_t *tok, size_t *tok_len)
{
    int dce = p->wrap_ec != 0;
    size_t data = krb_parts_length(lens, sign_only, n);
    if (data > 0xFFFF00)
        return FS_E_INSUFFICIENT_BUFFER; /* past a three-byte DER length */
    size_t pad = dce ? 0 : 1, moved = pad; /* the padding byte; the stream's bytes the trailer takes after the confounder */
    size_t stream_len = KRB_RC4_CONFOUNDER + data + pad;
    size_t framed = TOKEN + (dce ? KRB_RC4_CONFOUNDER : stream_len);
    size_t trailer = framing_size(framed) + TOKEN + KRB_RC4_CONFOUNDER + moved;
    if (*tok_len < trailer)
        return FS_E_INSUFFICIENT_BUFFER;
    uint8_t *stream = fs_malloc(stream_len);
    if (!stream)
        return FS_E_NOMEM;
    uint8_t t[TOKEN] = {0x02, 0x01, 0x11, 0x00, encrypt ? 0x10 : 0xFF, encrypt ? 0x00 : 0xFF, 0xFF, 0xFF};
    fs_rng_bytes(stream, KRB_RC4_CONFOUNDER);
    krb_parts_gather(stream + KRB_RC4_CONFOUNDER, parts, lens, sign_only, n);
    if (pad)
        stream[stream_len - 1] = 1; /* the padding: RC4's block is one byte */
    fs_err err = token_checksum(&p->key, USAGE_SEAL, t, stream, parts, lens, sign_only, n,
                                stream + KRB_RC4_CONFOUNDER, pad ? stream + stream_len - 1 : NULL, t + 16);
    if (err == FS_OK) {
        uint32_t seq = (uint32_t)p->send_seq;
        seal_seq(&p->key, seq, p->we_accept, t + 16, t + 8);
        if (encrypt) {
            uint8_t k[MD5_DIGEST_SIZE];
            payload_key(&p->key, seq, k);
            rc4(k, stream, stream_len);
            explicit_bzero(k, sizeof k);
        }
        size_t at = put_framing(tok, framed);
        memcpy(tok + at, t, TOKEN);
        memcpy(tok + at + TOKEN, stream, KRB_RC4_CONFOUNDER + moved);
        krb_parts_scatter(stream + KRB_RC4_CONFOUNDER + moved, parts, lens, sign_only, n);
        *tok_len = trailer;
        p->send_seq++;
    }
    explicit_bzero(stream, stream_len);
    free(stream);
    return err;
}

fs_err krb_rc4_wrap_split(const struct krb_protect *p, const uint8_t *msg, size_t len, size_t *trailer_len)
{
    const uint8_t *t;
    size_t t_len;
    if (get_framing(msg, len, &t, &t_len) || t_len < TOKEN + KRB_RC4_CONFOUNDER || t[0] != 0x02 || t[1] != 0x01)
        return FS_E_INVALID_TOKEN;
    size_t head = (size_t)(t - msg);
    /* DCE style: the framing holds the token and confounder, the data follows (doc/semantics.md §60). */
    if (p->wrap_ec) {
        if (t_len != TOKEN + KRB_RC4_CONFOUNDER || len < head + t_len)
            return FS_E_INVALID_TOKEN;
        *trailer_len = head + t_len;
        return FS_OK;
    }
    if (t_len < TOKEN + KRB_RC4_CONFOUNDER + 1 || head + t_len != len)
        return FS_E_INVALID_TOKEN;
    *trailer_len = head + TOKEN + KRB_RC4_CONFOUNDER + 1;
    return FS_OK;
}

fs_err krb_rc4_unwrap(struct krb_protect *p, int may_unseal, uint8_t *const *parts, const size_t *lens,
                      const uint8_t *sign_only, size_t n, const uint8_t *tok, size_t tok_len, uint32_t *qop)
{
    const uint8_t *t;
    size_t t_len;
    if (get_framing(tok, tok_len, &t, &t_len))
        return FS_E_INVALID_TOKEN;
    size_t head = (size_t)(t - tok), data = krb_parts_length(lens, sign_only, n);
    int dce = p->wrap_ec != 0;
    /* The trailer ends one byte into the data's stream; the DATA buffers hold the rest and the padding. In DCE
     * style the framing ends with the confounder and the DATA buffers hold the data alone: doc/semantics.md §60. */
    int shape_ok = dce ? t_len == TOKEN + KRB_RC4_CONFOUNDER && tok_len == head + t_len
                       : tok_len >= head + TOKEN + KRB_RC4_CONFOUNDER + 1 && tok_len - head + data == t_len;
    if (!shape_ok || t[0] != 0x02 || t[1] != 0x01 || t[2] != 0x11 || t[3] != 0x00 || t[6] != 0xFF || t[7] != 0xFF)
        return FS_E_INVALID_TOKEN;
    int sealed = t[4] == 0x10 && t[5] == 0x00;
    if (!sealed && !(t[4] == 0xFF && t[5] == 0xFF))
        return FS_E_INVALID_TOKEN;
    if (sealed && !may_unseal) /* as the RFC 4121 tokens: sealed needs confidentiality, signed-only does not */
        return FS_E_NOT_SUPPORTED;
    size_t pad = dce ? 0 : 1, stream_len = tok_len - head - TOKEN + data; /* t_len - TOKEN but in DCE style */
    uint8_t *stream = fs_malloc(stream_len);
    if (!stream)
        return FS_E_NOMEM;
    memcpy(stream, t + TOKEN, tok_len - head - TOKEN);
    krb_parts_gather(stream + (tok_len - head - TOKEN), parts, lens, sign_only, n);
    /* The sequence number first: its key comes from the checksum, and the payload's from the number. */
    int64_t seq = open_seq(&p->key, !p->we_accept, t + 16, t + 8);
    fs_err err = seq < 0 ? FS_E_MESSAGE_ALTERED : FS_OK;
    if (err == FS_OK && sealed) {
        uint8_t k[MD5_DIGEST_SIZE];
        payload_key(&p->key, (uint32_t)seq, k);
        rc4(k, stream, stream_len);
        explicit_bzero(k, sizeof k);
    }
    uint8_t expected[8];
    if (err == FS_OK && pad && stream[stream_len - 1] != 1)
        err = FS_E_MESSAGE_ALTERED; /* the padding is one byte of 1 */
    if (err == FS_OK)
        err = token_checksum(&p->key, USAGE_SEAL, t, stream, parts, lens, sign_only, n, stream + KRB_RC4_CONFOUNDER,
                             pad ? stream + stream_len - 1 : NULL, expected);
    if (err == FS_OK && !memeql_sec(expected, t + 16, 8))
        err = FS_E_MESSAGE_ALTERED;
    if (err == FS_OK && (uint32_t)seq != (uint32_t)p->recv_seq)
        err = FS_E_OUT_OF_SEQUENCE;
    if (err == FS_OK) {
        krb_parts_scatter(stream + KRB_RC4_CONFOUNDER, parts, lens, sign_only, n);
        p->recv_seq++;
        if (qop)
            *qop = sealed ? 0 : KRB_QOP_NO_ENCRYPT;
    }
    explicit_bzero(stream, stream_len);
    free(stream);
    return err;
}
