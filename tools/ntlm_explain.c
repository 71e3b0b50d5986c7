/* NTLM messages explained field by field, for the tools: flags by name, AV pairs, times as dates, each
 * payload's length and offset. Shared by sspi-decode and sspi-handshake. The messages of a conversation
 * are remembered in order, so that what the server refused is said and, with the client's secret, the
 * proof is checked, the session key derived and the signed or sealed messages after it opened, with the
 * library's own MS-NLMP code (packages/ntlm). */
#include "ntlm_explain.h"

#include <nettle/arcfour.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/quote.h"
#include "core/utf.h"
#include "packages/ntlm/ntlm_crypto.h"
#include "packages/ntlm/ntlm_messages.h"
#include "security/domain_current.h"

static const struct {
    uint32_t bit;
    const char *name;
    const char *refused; /* what it means when the NEGOTIATE asked and the CHALLENGE did not grant */
} flag_names[] = {
    {NTLMSSP_NEGOTIATE_UNICODE, "UNICODE", "the server speaks OEM strings only"},
    {NTLMSSP_NEGOTIATE_OEM, "OEM", "the server chose UNICODE: one character set is agreed"},
    {NTLMSSP_REQUEST_TARGET, "REQUEST_TARGET", NULL},
    {NTLMSSP_NEGOTIATE_SIGN, "SIGN", "no signing: MakeSignature will not be available"},
    {NTLMSSP_NEGOTIATE_SEAL, "SEAL", "no sealing: EncryptMessage will not be available"},
    {NTLMSSP_NEGOTIATE_DATAGRAM, "DATAGRAM", "connectionless NTLM is not offered"},
    {NTLMSSP_NEGOTIATE_LM_KEY, "LM_KEY",
     "the LAN Manager key is superseded when EXTENDED_SESSIONSECURITY is agreed (MS-NLMP 2.2.2.5)"},
    {NTLMSSP_NEGOTIATE_NTLM, "NTLM", NULL},
    {NTLMSSP_NEGOTIATE_ANONYMOUS, "ANONYMOUS", NULL},
    {NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED, "OEM_DOMAIN_SUPPLIED", "the server does not echo it: it only says "
     "the NEGOTIATE carries a domain"},
    {NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED, "OEM_WORKSTATION_SUPPLIED", "the server does not echo it: it "
     "only says the NEGOTIATE carries a workstation"},
    {NTLMSSP_NEGOTIATE_ALWAYS_SIGN, "ALWAYS_SIGN", "no dummy signatures when signing was not agreed"},
    {NTLMSSP_TARGET_TYPE_DOMAIN, "TARGET_TYPE_DOMAIN", NULL},
    {NTLMSSP_TARGET_TYPE_SERVER, "TARGET_TYPE_SERVER", NULL},
    {NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, "EXTENDED_SESSIONSECURITY",
     "NTLMv1 session security: weaker keys and signatures"},
    {NTLMSSP_NEGOTIATE_IDENTIFY, "IDENTIFY", "the server does not limit the token to identification"},
    {NTLMSSP_REQUEST_NON_NT_SESSION_KEY, "REQUEST_NON_NT_SESSION_KEY", "the LM session key is not used"},
    {NTLMSSP_NEGOTIATE_TARGET_INFO, "TARGET_INFO", NULL},
    {NTLMSSP_NEGOTIATE_VERSION, "VERSION", "the server sends no Version"},
    {NTLMSSP_NEGOTIATE_128, "128", "no 128-bit keys: sealing keys are cut to 56 or 40 bits"},
    {NTLMSSP_NEGOTIATE_KEY_EXCH, "KEY_EXCH",
     "no key exchange: the exported session key is the key exchange key itself"},
    {NTLMSSP_NEGOTIATE_56, "56", "no 56-bit keys (128 wins when both are agreed)"},
};

static const char *const av_names[] = {"MsvAvEOL", "MsvAvNbComputerName", "MsvAvNbDomainName",
                                       "MsvAvDnsComputerName", "MsvAvDnsDomainName", "MsvAvDnsTreeName",
                                       "MsvAvFlags", "MsvAvTimestamp", "MsvAvSingleHost", "MsvAvTargetName",
                                       "MsvAvChannelBindings"};

/* ---- the conversation so far ---- */

static struct {
    uint8_t *negotiate, *challenge; /* copies, for the MIC */
    size_t negotiate_len, challenge_len;
    uint32_t negotiate_flags, challenge_flags;
    int have_negotiate, have_challenge;
    uint8_t server_challenge[8];
    int have_secret;
    uint8_t nt_hash[16];
    int have_session;
    uint32_t flags; /* agreed */
    uint8_t exported[16];
    struct ntlm_direction to_server, to_client;
} conv;

int ntlm_explain_use_domain;

void ntlm_explain_set_nt_hash(const uint8_t nt_hash[16])
{
    memcpy(conv.nt_hash, nt_hash, 16);
    conv.have_secret = 1;
}

static void remember(uint8_t **copy, size_t *copy_len, const uint8_t *msg, size_t len)
{
    free(*copy);
    *copy = malloc(len ? len : 1);
    if (*copy)
        memcpy(*copy, msg, len);
    *copy_len = *copy ? len : 0;
}

/* ---- printing ---- */

static void flags_text(uint32_t flags, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "0x%08x", flags);
    const char *sep = " ";
    for (size_t i = 0; i < sizeof flag_names / sizeof *flag_names && n < cap; i++)
        if (flags & flag_names[i].bit) {
            n += (size_t)snprintf(out + n, cap - n, "%sNTLMSSP_NEGOTIATE_%s", sep, flag_names[i].name);
            sep = " | ";
        }
}

static void print_flags(uint32_t flags)
{
    char text[1024];
    flags_text(flags, text, sizeof text);
    xo_field(1, "flags", "%s", text);
}

/* What an answer left out of the flags asked for, each with its meaning. */
static void print_refused(uint32_t asked, uint32_t granted, const char *who)
{
    uint32_t refused = asked & ~granted;
    int any = 0;
    for (size_t i = 0; i < sizeof flag_names / sizeof *flag_names; i++) {
        if (!(refused & flag_names[i].bit) || !flag_names[i].refused)
            continue;
        if (!any)
            xo_field(1, "refused", "asked for and not granted by %s:", who);
        any = 1;
        char name[64];
        snprintf(name, sizeof name, "%s", flag_names[i].name);
        xo_field(2, name, "%s", flag_names[i].refused);
    }
}

static void print_filetime(int depth, const char *label, uint64_t ft)
{
    struct tm tm;
    char text[64] = "?";
    if (fs_filetime_to_tm(ft, &tm) == 0)
        strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    xo_field(depth, label, "%s (FILETIME %llu)", text, (unsigned long long)ft);
}

/* UTF-16LE (or OEM) bytes as quoted text; with place, the payload's length and offset too. */
/* A name from the message: UTF-16LE or OEM (taken as UTF-8) as the flags say, converted whole (surrogate
 * pairs stay one character) and quoted, so that control bytes or escape sequences in it reach no terminal. */
static void print_string_at(int depth, const char *label, const uint8_t *p, size_t n, int unicode, int place,
                            size_t offset)
{
    char *raw = NULL, *text = NULL;
    size_t raw_len = 0, text_len = 0;
    if (!unicode) {
        raw = malloc(n + 1);
        if (raw) {
            memcpy(raw, p, n);
            raw[n] = '\0';
        }
    } else {
        size_t units = n / 2, cap = 3 * units + 1;
        uint16_t *wide = malloc(units ? units * sizeof *wide : 1);
        raw = malloc(cap);
        for (size_t i = 0; wide && i < units; i++)
            wide[i] = (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);
        if (wide && raw && fs_utf16_to_utf8(wide, units, raw, cap - 1, &raw_len, 0) == FS_OK)
            raw[raw_len] = '\0';
        else if (raw)
            raw[0] = '\0';
        free(wide);
    }
    FILE *f = raw ? open_memstream(&text, &text_len) : NULL;
    if (f) {
        fs_quote(f, raw, 0);
        fclose(f);
    }
    free(raw);
    if (!text)
        return;
    if (place && n)
        xo_field_at(depth, label, offset, n, "%s", text);
    else
        xo_field(depth, label, "%s", text);
    free(text);
}

static void print_string(int depth, const char *label, const uint8_t *p, size_t n, int unicode)
{
    print_string_at(depth, label, p, n, unicode, 0, 0);
}

/* A (Len, MaxLen, Offset) field at the reader's position; checks the payload lies inside. */
static const uint8_t *field(struct fs_reader *r, const char *name, size_t *len, int *bad)
{
    size_t at = r->pos;
    uint16_t n = fs_read_u16le(r);
    (void)fs_read_u16le(r);
    uint32_t offset = fs_read_u32le(r);
    *len = n;
    if (r->failed) {
        *bad = xo_error(at, "the message ends inside a field header");
        return NULL;
    }
    if (n && (offset > r->len || n > r->len - offset)) {
        *bad = xo_error(at, "%s claims %u bytes at offset %u, past the end of the %zu-byte message", name, n, offset,
                        r->len);
        return NULL;
    }
    return r->data + offset;
}

static int print_av_pairs(int depth, const uint8_t *p, size_t n, size_t base)
{
    struct fs_reader r;
    fs_reader_init(&r, p, n);
    while (r.pos < r.len) {
        size_t at = r.pos;
        uint16_t id = fs_read_u16le(&r), len = fs_read_u16le(&r);
        if (r.failed || len > r.len - r.pos)
            return xo_error(base + at, "an AV pair runs past the end of its list");
        const char *name = id < sizeof av_names / sizeof *av_names ? av_names[id] : "unknown AV pair";
        const uint8_t *v = r.data + r.pos;
        if (id == MsvAvEOL) {
            xo_field(depth, name, NULL);
            return 0;
        } else if (id == MsvAvTimestamp && len == 8) {
            uint64_t ft = 0;
            for (int i = 7; i >= 0; i--)
                ft = ft << 8 | v[i];
            print_filetime(depth, name, ft);
        } else if (id == MsvAvFlags && len == 4) {
            uint32_t f = (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
            xo_field(depth, name, "0x%08x%s%s%s", f, f & 1 ? " constrained" : "", f & 2 ? " MIC-present" : "",
                     f & 4 ? " SPN-untrusted" : "");
        } else if ((id >= MsvAvNbComputerName && id <= MsvAvDnsTreeName) || id == MsvAvTargetName) {
            print_string(depth, name, v, len, 1);
        } else {
            xo_hex(depth, name, v, len);
        }
        r.pos += len;
    }
    return xo_error(base + n, "the AV pair list has no MsvAvEOL");
}

static void print_version(const uint8_t *v)
{
    xo_field(1, "version", "%u.%u build %u, NTLM revision %u", v[0], v[1], v[2] | v[3] << 8, v[7]);
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* ---- with the secret: MS-NLMP 3.3.2 NTLMv2 and 3.4.5 keys ---- */

static int find_secret(const uint8_t *msg, size_t len, uint8_t nt_hash[16], char *whose, size_t cap, char *why,
                       size_t why_cap)
{
    if (conv.have_secret) {
        memcpy(nt_hash, conv.nt_hash, 16);
        snprintf(whose, cap, "the NT hash given");
        return 1;
    }
    if (!ntlm_explain_use_domain)
        return 0;
    struct ntlm_authenticate a;
    if (ntlm_parse_authenticate(msg, len, &a) != 0)
        return 0;
    int found = 0;
    const struct fs_domain *d = fs_domain_acquire();
    if (d) {
        const struct fs_user *u = fs_domain_find_user(d, a.user);
        if (u && fs_domain_user_nt_hash(d, u, nt_hash)) {
            snprintf(whose, cap, "%s\\%s's password in the domain", d->netbios, u->name);
            found = 1;
        } else {
            snprintf(why, why_cap, "%s has no user '%s' with a password%s", d->netbios, a.user,
                     " (give --password or --nt-hash to check the proof)");
        }
    }
    fs_domain_release();
    ntlm_authenticate_clear(&a);
    return found;
}

/* Whether the AUTHENTICATE carries a MIC: the client says so in its NTLMv2 response's MsvAvFlags, which is
 * how a server decides (MS-NLMP 3.2.5.1.2); bytes 72-87 of a message without one are payload. */
static int mic_present(const uint8_t *nt, size_t nt_len)
{
    if (!nt || nt_len < 16 + 28)
        return 0;
    const uint8_t *v;
    uint16_t vlen;
    if (ntlm_av_find(nt + 16 + 28, nt_len - 16 - 28, MsvAvFlags, &v, &vlen) != 0 || vlen != 4)
        return 0;
    return (v[0] & NTLM_AV_FLAG_MIC_PRESENT) != 0;
}

/* Checks NTProofStr and derives the session key; says what it found. */
static void open_authenticate(const uint8_t *msg, size_t len, const uint8_t *nt, size_t nt_len, const uint8_t *k,
                              size_t kn, uint32_t flags)
{
    uint8_t nt_hash[16];
    char whose[160], why[300] = "";
    if (!find_secret(msg, len, nt_hash, whose, sizeof whose, why, sizeof why)) {
        if (*why)
            xo_field(1, "check", "%s", why);
        return;
    }
    if (!conv.have_challenge) {
        xo_field(1, "check", "not possible without the CHALLENGE_MESSAGE (give it before the AUTHENTICATE)");
        return;
    }
    struct ntlm_authenticate a;
    if (ntlm_parse_authenticate(msg, len, &a) != 0)
        return;
    uint8_t ntowf[16], proof[16], base_key[16];
    if (ntlm_ntowfv2(nt_hash, a.user, a.domain, ntowf) != FS_OK) {
        ntlm_authenticate_clear(&a);
        return;
    }
    ntlm_authenticate_clear(&a);
    ntlm_hmac_md5_2(ntowf, conv.server_challenge, 8, nt + 16, nt_len - 16, proof);
    if (memcmp(proof, nt, 16)) {
        xo_field(1, "NTProofStr check", "FAILED with %s: the password differs (the server says SEC_E_LOGON_DENIED)",
                 whose);
        xo_hex(2, "expected", proof, 16);
        xo_check_failed = 1;
        return;
    }
    xo_field(1, "NTProofStr check", "verified with %s", whose);
    ntlm_hmac_md5_2(ntowf, proof, 16, NULL, 0, base_key);
    xo_hex(1, "SessionBaseKey", base_key, 16);
    if ((flags & NTLMSSP_NEGOTIATE_KEY_EXCH) && kn == 16) {
        ntlm_rc4_block(base_key, k, conv.exported);
        xo_hex(1, "ExportedSessionKey", conv.exported, 16);
        xo_field(2, "how", "RC4 of EncryptedRandomSessionKey under the key exchange key (the SessionBaseKey)");
    } else {
        memcpy(conv.exported, base_key, 16);
        xo_hex(1, "ExportedSessionKey", conv.exported, 16);
        xo_field(2, "how", "without KEY_EXCH it is the key exchange key itself");
    }
    if (len >= NTLM_AUTHENTICATE_HEADER && conv.negotiate && mic_present(nt, nt_len)) {
        size_t total = conv.negotiate_len + conv.challenge_len + len;
        uint8_t *all = malloc(total);
        if (all) {
            memcpy(all, conv.negotiate, conv.negotiate_len);
            memcpy(all + conv.negotiate_len, conv.challenge, conv.challenge_len);
            memcpy(all + conv.negotiate_len + conv.challenge_len, msg, len);
            memset(all + conv.negotiate_len + conv.challenge_len + NTLM_MIC_OFFSET, 0, 16);
            uint8_t mic[16];
            ntlm_hmac_md5_2(conv.exported, all, total, NULL, 0, mic);
            xo_field(1, "MIC check", "%s", memcmp(mic, msg + NTLM_MIC_OFFSET, 16) ? "FAILED: the three messages "
                     "were changed, or are not one conversation" : "verified over NEGOTIATE, CHALLENGE and "
                     "AUTHENTICATE");
            xo_check_failed |= memcmp(mic, msg + NTLM_MIC_OFFSET, 16) != 0;
            free(all);
        }
    }
    conv.flags = flags;
    ntlm_direction_init(&conv.to_server, conv.exported, flags, 1);
    ntlm_direction_init(&conv.to_client, conv.exported, flags, 0);
    conv.have_session = 1;
    xo_field(1, "session", "signatures and sealed messages that follow are opened with these keys");
}

/* ---- the three messages ---- */

static int explain_negotiate(const uint8_t *msg, size_t len, struct fs_reader *r)
{
    int bad = 0;
    size_t n;
    const uint8_t *p;
    xo_message("NTLM NEGOTIATE_MESSAGE (type 1), %zu bytes", len);
    uint32_t flags = fs_read_u32le(r);
    if (r->failed)
        return xo_error(12, "the message ends before its flags");
    print_flags(flags);
    if (len >= 32) {
        if ((p = field(r, "DomainName", &n, &bad)) && n)
            print_string_at(1, "domain", p, n, 0, 1, (size_t)(p - msg));
        if (!bad && (p = field(r, "Workstation", &n, &bad)) && n)
            print_string_at(1, "workstation", p, n, 0, 1, (size_t)(p - msg));
    }
    if (!bad && (flags & NTLMSSP_NEGOTIATE_VERSION) && len >= 40)
        print_version(msg + 32);
    if (!bad) {
        remember(&conv.negotiate, &conv.negotiate_len, msg, len);
        conv.negotiate_flags = flags;
        conv.have_negotiate = 1;
        conv.have_challenge = 0;
        conv.have_session = 0;
    }
    return bad;
}

static int explain_challenge(const uint8_t *msg, size_t len, struct fs_reader *r)
{
    int bad = 0;
    size_t n;
    xo_message("NTLM CHALLENGE_MESSAGE (type 2), %zu bytes", len);
    const uint8_t *target = field(r, "TargetName", &n, &bad);
    size_t target_len = n;
    uint32_t flags = fs_read_u32le(r);
    uint8_t challenge[8];
    fs_read_bytes(r, challenge, 8);
    r->pos += 8;
    if (bad || r->failed)
        return bad ? bad : xo_error(r->pos, "the message ends inside its header");
    print_flags(flags);
    if (conv.have_negotiate)
        print_refused(conv.negotiate_flags, flags, "the server");
    xo_hex(1, "challenge", challenge, 8);
    if (target_len)
        print_string_at(1, "target", target, target_len, (flags & NTLMSSP_NEGOTIATE_UNICODE) != 0, 1,
                        (size_t)(target - msg));
    if (len >= 48) {
        const uint8_t *info = field(r, "TargetInfo", &n, &bad);
        if (bad)
            return bad;
        if (n) {
            xo_field_at(1, "target info", (size_t)(info - msg), n, NULL);
            if (print_av_pairs(2, info, n, (size_t)(info - msg)))
                return 1;
        }
    }
    if ((flags & NTLMSSP_NEGOTIATE_VERSION) && len >= 56)
        print_version(msg + 48);
    remember(&conv.challenge, &conv.challenge_len, msg, len);
    memcpy(conv.server_challenge, challenge, 8);
    conv.challenge_flags = flags;
    conv.have_challenge = 1;
    conv.have_session = 0;
    return 0;
}

static int explain_authenticate(const uint8_t *msg, size_t len, struct fs_reader *r)
{
    int bad = 0;
    xo_message("NTLM AUTHENTICATE_MESSAGE (type 3), %zu bytes", len);
    size_t lm_len, nt_len, dn, un, wn, kn;
    const uint8_t *lm = field(r, "LmChallengeResponse", &lm_len, &bad);
    const uint8_t *nt = bad ? NULL : field(r, "NtChallengeResponse", &nt_len, &bad);
    const uint8_t *d = bad ? NULL : field(r, "DomainName", &dn, &bad);
    const uint8_t *u = bad ? NULL : field(r, "UserName", &un, &bad);
    const uint8_t *w = bad ? NULL : field(r, "Workstation", &wn, &bad);
    const uint8_t *k = bad ? NULL : field(r, "EncryptedRandomSessionKey", &kn, &bad);
    uint32_t flags = fs_read_u32le(r);
    if (bad || r->failed)
        return bad ? bad : xo_error(r->pos, "the message ends inside its header");
    int unicode = (flags & NTLMSSP_NEGOTIATE_UNICODE) != 0;
    print_flags(flags);
    if (conv.have_challenge)
        print_refused(conv.challenge_flags, flags, "the client");
    print_string_at(1, "domain", d, dn, unicode, 1, (size_t)(d - msg));
    print_string_at(1, "user", u, un, unicode, 1, (size_t)(u - msg));
    print_string_at(1, "workstation", w, wn, unicode, 1, (size_t)(w - msg));
    if (len >= 72 && (flags & NTLMSSP_NEGOTIATE_VERSION))
        print_version(msg + 64);
    if (len >= NTLM_AUTHENTICATE_HEADER && mic_present(nt, nt_len))
        xo_hex(1, "MIC", msg + NTLM_MIC_OFFSET, 16);
    int v2 = nt_len >= 16 + 28;
    if (!lm_len)
        xo_field(1, "LM response", "none (0 bytes)");
    else if (v2 && lm_len == 24 && all_zero(lm, 24))
        xo_field_at(1, "LM response", (size_t)(lm - msg), lm_len,
                    "24 zero bytes: no LMv2 response, as the server sent MsvAvTimestamp (MS-NLMP 3.1.5.1.2)");
    else if (v2 && lm_len == 24) {
        xo_field_at(1, "LM response", (size_t)(lm - msg), lm_len, "LMv2");
        xo_hex(2, "LMv2 proof", lm, 16);
        xo_hex(2, "client chal", lm + 16, 8);
    } else {
        xo_field_at(1, "LM response", (size_t)(lm - msg), lm_len, "NTLMv1 or LM (%zu bytes)", lm_len);
        xo_hex(2, "bytes", lm, lm_len);
    }
    if (v2) {
        xo_field_at(1, "NT response", (size_t)(nt - msg), nt_len, "NTLMv2");
        xo_hex(2, "NTProofStr", nt, 16);
        const uint8_t *blob = nt + 16;
        uint64_t ft = 0;
        for (int i = 15; i >= 8; i--)
            ft = ft << 8 | blob[i];
        print_filetime(2, "timestamp", ft);
        xo_hex(2, "client chal", blob + 16, 8);
        if (print_av_pairs(2, blob + 28, nt_len - 16 - 28, (size_t)(blob + 28 - msg)))
            return 1;
    } else if (nt_len) {
        xo_field_at(1, "NT response", (size_t)(nt - msg), nt_len, "NTLMv1 (%zu bytes)", nt_len);
        xo_hex(2, "bytes", nt, nt_len);
    } else {
        xo_field(1, "NT response", "none (0 bytes): an anonymous logon");
    }
    if (kn) {
        char hex[2 * 64 + 1] = "";
        for (size_t i = 0; i < kn && i < 64; i++)
            snprintf(hex + 2 * i, 3, "%02x", k[i]);
        xo_field_at(1, "EncryptedRandomSessionKey", (size_t)(k - msg), kn, "%s", hex);
        xo_field(2, "meaning", "the session key does not cross the wire: this is a random key the client chose, "
                 "RC4-encrypted under a key only the password's holders can derive");
    }
    xo_field(1, "mutual auth", "none in NTLM: no message proves the server knows a key (Windows' client still "
             "reports ISC_RET_MUTUAL_AUTH when asked, doc/semantics.md section 25)");
    if (v2)
        open_authenticate(msg, len, nt, nt_len, k, kn, flags);
    return 0;
}

int ntlm_explain(const uint8_t *msg, size_t len)
{
    size_t mark = xo_mark();
    struct fs_reader r;
    fs_reader_init(&r, msg, len);
    uint32_t type = ntlm_message_type(msg, len);
    r.pos = 12;
    int rc;
    if (type == NTLM_NEGOTIATE)
        rc = explain_negotiate(msg, len, &r);
    else if (type == NTLM_CHALLENGE)
        rc = explain_challenge(msg, len, &r);
    else if (type == NTLM_AUTHENTICATE)
        rc = explain_authenticate(msg, len, &r);
    else
        rc = xo_error(0, "%s", len >= 8 && !memcmp(msg, "NTLMSSP", 8) ? "an NTLM message of an unknown type"
                                                                     : "not an NTLM token (no NTLMSSP signature)");
    xo_unwind(mark);
    return rc;
}

/* ---- signatures and sealed messages (MS-NLMP 2.2.2.9.1, 3.4.4, 3.4.3) ---- */

int ntlm_is_signature(const uint8_t *msg, size_t len)
{
    return len >= 16 && msg[0] == 1 && !msg[1] && !msg[2] && !msg[3];
}

/* Tries one direction on a copy: sealed (decrypt then check) or signed in the clear. */
static int try_direction(const struct ntlm_direction *dir, uint32_t seq, const uint8_t *sig, const uint8_t *data,
                         size_t n, int sealed, uint8_t *plain, struct ntlm_direction *after)
{
    struct ntlm_direction d = *dir;
    ntlm_direction_ready(&d);
    d.seq = seq;
    if (sealed)
        arcfour_crypt(&d.seal, n, plain, data);
    else if (n)
        memcpy(plain, data, n);
    uint8_t check[16];
    ntlm_signature(&d, (conv.flags & NTLMSSP_NEGOTIATE_KEY_EXCH) != 0, plain, n, check);
    if (memcmp(check, sig, 16))
        return 0;
    *after = d;
    return 1;
}

int ntlm_explain_signature(const uint8_t *msg, size_t len)
{
    if (!ntlm_is_signature(msg, len))
        return 1;
    size_t mark = xo_mark();
    const uint8_t *data = msg + 16;
    size_t n = len - 16;
    uint32_t seq = (uint32_t)msg[12] | (uint32_t)msg[13] << 8 | (uint32_t)msg[14] << 16 | (uint32_t)msg[15] << 24;
    xo_message("NTLM NTLMSSP_MESSAGE_SIGNATURE (MS-NLMP 2.2.2.9.1), %zu bytes%s", len,
               n ? ", then the message" : "");
    xo_field_at(1, "version", 0, 4, "1");
    xo_field_at(1, "checksum", 4, 8, "%02x%02x%02x%02x%02x%02x%02x%02x", msg[4], msg[5], msg[6], msg[7], msg[8],
                msg[9], msg[10], msg[11]);
    xo_field_at(1, "sequence number", 12, 4, "%u", seq);
    if (n)
        xo_field_at(1, "message", 16, n, "sealed (EncryptMessage) or in the clear (MakeSignature)");
    if (!conv.have_session) {
        xo_field(1, "check", "needs the session key: give the NTLM exchange before it, with --password, "
                 "--nt-hash or the domain");
        xo_unwind(mark);
        return 0;
    }
    uint8_t *plain = malloc(n ? n : 1);
    if (!plain) {
        xo_unwind(mark);
        return 1;
    }
    struct ntlm_direction after;
    int found = 0;
    for (int sealed = 1; sealed >= 0 && !found; sealed--) {
        if (sealed && (!n || !(conv.flags & NTLMSSP_NEGOTIATE_SEAL)))
            continue;
        const char *how = sealed ? "sealed" : "signed";
        if (try_direction(&conv.to_server, seq, msg, data, n, sealed, plain, &after)) {
            conv.to_server = after;
            xo_field(1, "check", "verified: %s by the client (client-to-server keys)", how);
            found = 1 + sealed;
        } else if (try_direction(&conv.to_client, seq, msg, data, n, sealed, plain, &after)) {
            conv.to_client = after;
            xo_field(1, "check", "verified: %s by the server (server-to-client keys)", how);
            found = 1 + sealed;
        }
    }
    if (!found)
        xo_field(1, "check", "FAILED with both directions' keys: altered, out of order, or another session's");
    else if (found == 1 && n) {
        int text = 1;
        for (size_t i = 0; i < n; i++)
            text &= plain[i] >= 0x20 && plain[i] < 0x7f;
        if (text)
            xo_field(1, "message", "\"%.*s\" (in the clear)", (int)n, (const char *)plain);
    } else if (found == 2) {
        int text = 1;
        for (size_t i = 0; i < n; i++)
            text &= plain[i] >= 0x20 && plain[i] < 0x7f;
        if (text)
            xo_field(1, "decrypted", "\"%.*s\"", (int)n, (const char *)plain);
        else
            xo_hex(1, "decrypted", plain, n);
    }
    free(plain);
    xo_unwind(mark);
    return found ? 0 : 1;
}
