/* SPNEGO's two token shapes, written as Windows writes them and read strictly. */
#include "spnego.h"

#include <string.h>

static const uint8_t oid_spnego[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};

static const struct {
    enum spnego_mech mech;
    const char *name;
    uint8_t len;
    uint8_t oid[10];
} mechs[] = {
    {MECH_MS_KRB5, "MS KRB5 (1.2.840.48018.1.2.2)", 9, {0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02}},
    {MECH_KRB5, "Kerberos V5 (1.2.840.113554.1.2.2)", 9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02}},
    {MECH_KRB5_U2U, "Kerberos user-to-user (1.2.840.113554.1.2.2.3)", 10,
     {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x03}},
    {MECH_NTLM, "NTLMSSP (1.3.6.1.4.1.311.2.2.10)", 10, {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a}},
    {MECH_NEGOEX, "NEGOEX (1.3.6.1.4.1.311.2.2.30)", 10, {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x1e}},
};

#define NMECHS (sizeof mechs / sizeof mechs[0])

const uint8_t *spnego_mech_oid(enum spnego_mech m, size_t *len)
{
    for (size_t i = 0; i < NMECHS; i++)
        if (mechs[i].mech == m) {
            *len = mechs[i].len;
            return mechs[i].oid;
        }
    *len = 0;
    return NULL;
}

const char *spnego_mech_name(enum spnego_mech m)
{
    for (size_t i = 0; i < NMECHS; i++)
        if (mechs[i].mech == m)
            return mechs[i].name;
    return "an unknown mechanism";
}

enum spnego_mech spnego_mech_of(const uint8_t *oid, size_t len)
{
    for (size_t i = 0; i < NMECHS; i++)
        if (mechs[i].len == len && !memcmp(mechs[i].oid, oid, len))
            return mechs[i].mech;
    return MECH_UNKNOWN;
}

void spnego_put_mech_list(struct fs_writer *w, const enum spnego_mech *list, size_t n)
{
    size_t seq = der_open(w, DER_SEQUENCE);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const uint8_t *oid = spnego_mech_oid(list[i], &len);
        der_put_oid(w, oid, len);
    }
    der_close(w, seq);
}

void spnego_put_init(struct fs_writer *w, const uint8_t *mech_list, size_t mech_list_len, const uint8_t *token,
                     size_t token_len)
{
    size_t app = der_open(w, DER_APP(0));
    der_put_oid(w, oid_spnego, sizeof oid_spnego);
    size_t choice = der_open(w, DER_CTX(0));
    size_t seq = der_open(w, DER_SEQUENCE);
    der_put_ctx_raw(w, 0, mech_list, mech_list_len);
    if (token)
        der_put_ctx_octets(w, 2, token, token_len);
    der_close(w, seq);
    der_close(w, choice);
    der_close(w, app);
}

/* The text every Windows server sends as its hint: clients ignore it (MS-SPNG 2.2.1). */
static const char hint_name[] = "not_defined_in_RFC4178@please_ignore";

void spnego_put_init2(struct fs_writer *w, const enum spnego_mech *list, size_t n)
{
    size_t app = der_open(w, DER_APP(0));
    der_put_oid(w, oid_spnego, sizeof oid_spnego);
    size_t choice = der_open(w, DER_CTX(0));
    size_t seq = der_open(w, DER_SEQUENCE);
    size_t types = der_open(w, DER_CTX(0));
    spnego_put_mech_list(w, list, n);
    der_close(w, types);
    size_t hints_field = der_open(w, DER_CTX(3));
    size_t hints = der_open(w, DER_SEQUENCE);
    der_put_ctx_string(w, 0, hint_name); /* hintAddress is left out, as MS-SPNG 3.2.5.2 asks */
    der_close(w, hints);
    der_close(w, hints_field);
    der_close(w, seq);
    der_close(w, choice);
    der_close(w, app);
}

void spnego_put_resp(struct fs_writer *w, enum spnego_state state, enum spnego_mech mech, const uint8_t *token,
                     size_t token_len, const uint8_t *mic, size_t mic_len)
{
    size_t choice = der_open(w, DER_CTX(1));
    size_t seq = der_open(w, DER_SEQUENCE);
    if (state != NEG_ABSENT)
        der_put_ctx_enum(w, 0, state);
    if (mech != MECH_UNKNOWN) {
        size_t len;
        const uint8_t *oid = spnego_mech_oid(mech, &len);
        der_put_ctx_oid(w, 1, oid, len);
    }
    if (token)
        der_put_ctx_octets(w, 2, token, token_len);
    if (mic)
        der_put_ctx_octets(w, 3, mic, mic_len);
    der_close(w, seq);
    der_close(w, choice);
}

int spnego_is_init(const uint8_t *in, size_t len)
{
    struct der_error err;
    struct der d;
    der_init(&d, in, len, &err);
    struct der app = der_enter(&d, DER_APP(0));
    struct der oid = der_read_oid(&app);
    return der_ok(&d) && oid.len == sizeof oid_spnego && !memcmp(oid.p, oid_spnego, sizeof oid_spnego);
}

static void read_octets_field(struct der *seq, unsigned n, const uint8_t **p, size_t *len)
{
    struct der f;
    if (der_enter_optional(seq, (uint8_t)DER_CTX(n), &f)) {
        struct der o = der_read_octets(&f);
        der_expect_end(&f);
        *p = o.p;
        *len = o.len;
    }
}

fs_err spnego_parse_init(const uint8_t *in, size_t len, struct spnego_init *out, struct der_error *err)
{
    memset(out, 0, sizeof *out);
    struct der d;
    der_init(&d, in, len, err);
    struct der app = der_enter(&d, DER_APP(0));
    der_expect_end(&d);
    struct der oid = der_read_oid(&app);
    if (der_ok(&d) && (oid.len != sizeof oid_spnego || memcmp(oid.p, oid_spnego, sizeof oid_spnego)))
        der_fail(&oid, "not the SPNEGO OID 1.3.6.1.5.5.2");
    struct der choice = der_enter(&app, DER_CTX(0));
    der_expect_end(&app);
    struct der seq = der_enter(&choice, DER_SEQUENCE);
    der_expect_end(&choice);
    struct der f0 = der_enter(&seq, DER_CTX(0));
    struct der list = der_take_raw(&f0, DER_SEQUENCE);
    der_expect_end(&f0);
    out->mech_list = list.p;
    out->mech_list_len = list.len;
    if (der_ok(&d)) {
        struct der l = list;
        struct der items = der_enter(&l, DER_SEQUENCE);
        while (der_ok(&d) && items.len) {
            struct der m = der_read_oid(&items);
            if (!der_ok(&d))
                break;
            if (out->nmechs < SPNEGO_MAX_MECHS) {
                out->mech_oids[out->nmechs] = m.p;
                out->mech_oid_lens[out->nmechs] = m.len;
                out->mechs[out->nmechs++] = spnego_mech_of(m.p, m.len);
            }
        }
        if (der_ok(&d) && !out->nmechs)
            der_fail(&list, "an empty mechTypes list");
    }
    struct der skip;
    (void)der_enter_optional(&seq, DER_CTX(1), &skip); /* reqFlags: RFC 4178 says ignore them */
    read_octets_field(&seq, 2, &out->token, &out->token_len);
    /* [3] is mechListMIC in NegTokenInit, negHints (a SEQUENCE) in Microsoft's NegTokenInit2. */
    if (der_peek(&seq, DER_CTX(3))) {
        struct der f3 = der_enter(&seq, DER_CTX(3));
        if (der_peek(&f3, DER_OCTET_STRING)) {
            struct der o = der_read_octets(&f3);
            out->mic = o.p;
            out->mic_len = o.len;
        } else {
            (void)der_enter(&f3, DER_SEQUENCE);
            out->has_hints = 1;
        }
        der_expect_end(&f3);
    }
    read_octets_field(&seq, 4, &out->mic, &out->mic_len);
    der_expect_end(&seq);
    return der_ok(&d) ? FS_OK : FS_E_INVALID_TOKEN;
}

fs_err spnego_parse_resp(const uint8_t *in, size_t len, struct spnego_resp *out, struct der_error *err)
{
    memset(out, 0, sizeof *out);
    out->state = NEG_ABSENT;
    struct der d;
    der_init(&d, in, len, err);
    struct der choice = der_enter(&d, DER_CTX(1));
    der_expect_end(&d);
    struct der seq = der_enter(&choice, DER_SEQUENCE);
    der_expect_end(&choice);
    struct der f;
    if (der_enter_optional(&seq, DER_CTX(0), &f)) {
        int64_t v = der_read_enum(&f);
        der_expect_end(&f);
        if (der_ok(&d) && (v < 0 || v > 3))
            der_fail(&f, "negState out of range");
        out->state = (enum spnego_state)v;
    }
    if (der_enter_optional(&seq, DER_CTX(1), &f)) {
        struct der oid = der_read_oid(&f);
        der_expect_end(&f);
        out->mech = spnego_mech_of(oid.p, oid.len);
        out->has_mech = 1;
    }
    read_octets_field(&seq, 2, &out->token, &out->token_len);
    read_octets_field(&seq, 3, &out->mic, &out->mic_len);
    der_expect_end(&seq);
    return der_ok(&d) ? FS_OK : FS_E_INVALID_TOKEN;
}
