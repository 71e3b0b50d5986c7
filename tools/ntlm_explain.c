/* NTLM messages explained field by field, for the tools: flags by name, AV pairs, times as dates.
 * Shared by sspi-decode and sspi-handshake. */
#include "ntlm_explain.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/utf.h"
#include "packages/ntlm/ntlm_messages.h"

const char *ntlm_explain_program = "ntlm";

static const struct {
    uint32_t bit;
    const char *name;
} flag_names[] = {
    {NTLMSSP_NEGOTIATE_UNICODE, "UNICODE"}, {NTLMSSP_NEGOTIATE_OEM, "OEM"},
    {NTLMSSP_REQUEST_TARGET, "REQUEST_TARGET"}, {NTLMSSP_NEGOTIATE_SIGN, "SIGN"}, {NTLMSSP_NEGOTIATE_SEAL, "SEAL"},
    {NTLMSSP_NEGOTIATE_DATAGRAM, "DATAGRAM"}, {NTLMSSP_NEGOTIATE_LM_KEY, "LM_KEY"},
    {NTLMSSP_NEGOTIATE_NTLM, "NTLM"}, {NTLMSSP_NEGOTIATE_ANONYMOUS, "ANONYMOUS"},
    {NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED, "OEM_DOMAIN_SUPPLIED"},
    {NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED, "OEM_WORKSTATION_SUPPLIED"},
    {NTLMSSP_NEGOTIATE_ALWAYS_SIGN, "ALWAYS_SIGN"}, {NTLMSSP_TARGET_TYPE_DOMAIN, "TARGET_TYPE_DOMAIN"},
    {NTLMSSP_TARGET_TYPE_SERVER, "TARGET_TYPE_SERVER"},
    {NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, "EXTENDED_SESSIONSECURITY"},
    {NTLMSSP_NEGOTIATE_IDENTIFY, "IDENTIFY"}, {NTLMSSP_REQUEST_NON_NT_SESSION_KEY, "REQUEST_NON_NT_SESSION_KEY"},
    {NTLMSSP_NEGOTIATE_TARGET_INFO, "TARGET_INFO"}, {NTLMSSP_NEGOTIATE_VERSION, "VERSION"},
    {NTLMSSP_NEGOTIATE_128, "128"}, {NTLMSSP_NEGOTIATE_KEY_EXCH, "KEY_EXCH"}, {NTLMSSP_NEGOTIATE_56, "56"},
};

static const char *const av_names[] = {"MsvAvEOL", "MsvAvNbComputerName", "MsvAvNbDomainName",
                                       "MsvAvDnsComputerName", "MsvAvDnsDomainName", "MsvAvDnsTreeName",
                                       "MsvAvFlags", "MsvAvTimestamp", "MsvAvSingleHost", "MsvAvTargetName",
                                       "MsvAvChannelBindings"};

static int failed_at(size_t offset, const char *what)
{
    fprintf(stderr, "%s: offset %zu: %s\n", ntlm_explain_program, offset, what);
    return 1;
}

static void print_flags(uint32_t flags)
{
    printf("  %-24s 0x%08x", "flags", flags);
    const char *sep = " ";
    for (size_t i = 0; i < sizeof flag_names / sizeof *flag_names; i++)
        if (flags & flag_names[i].bit) {
            printf("%sNTLMSSP_NEGOTIATE_%s", sep, flag_names[i].name);
            sep = " | ";
        }
    printf("\n");
}

static void print_hex(const char *label, const uint8_t *p, size_t n)
{
    printf("  %-24s ", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static void print_filetime(const char *label, uint64_t ft)
{
    struct tm tm;
    char text[64] = "?";
    if (fs_filetime_to_tm(ft, &tm) == 0)
        strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("  %-24s %s (FILETIME %llu)\n", label, text, (unsigned long long)ft);
}

/* UTF-16LE (or OEM) bytes as text. */
static void print_string(const char *label, const uint8_t *p, size_t n, int unicode)
{
    printf("  %-24s \"", label);
    if (!unicode) {
        fwrite(p, 1, n, stdout);
    } else {
        for (size_t i = 0; i + 1 < n; i += 2) {
            uint16_t u = (uint16_t)(p[i] | p[i + 1] << 8);
            char out[8];
            size_t len;
            fs_utf16_to_utf8(&u, 1, out, sizeof out, &len, 0);
            fwrite(out, 1, len, stdout);
        }
    }
    printf("\"\n");
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
        *bad = failed_at(at, "the message ends inside a field header");
        return NULL;
    }
    if (n && (offset > r->len || n > r->len - offset)) {
        char what[160];
        snprintf(what, sizeof what, "%s claims %u bytes at offset %u, past the end of the %zu-byte message", name, n,
                 offset, r->len);
        *bad = failed_at(at, what);
        return NULL;
    }
    return r->data + offset;
}

static int print_av_pairs(const uint8_t *p, size_t n, size_t base)
{
    struct fs_reader r;
    fs_reader_init(&r, p, n);
    while (r.pos < r.len) {
        size_t at = r.pos;
        uint16_t id = fs_read_u16le(&r), len = fs_read_u16le(&r);
        if (r.failed || len > r.len - r.pos)
            return failed_at(base + at, "an AV pair runs past the end of its list");
        const char *name = id < sizeof av_names / sizeof *av_names ? av_names[id] : "unknown AV pair";
        const uint8_t *v = r.data + r.pos;
        char label[40];
        snprintf(label, sizeof label, "  %s", name);
        if (id == MsvAvEOL) {
            printf("    %s\n", name);
            return 0;
        } else if (id == MsvAvTimestamp && len == 8) {
            uint64_t ft = 0;
            for (int i = 7; i >= 0; i--)
                ft = ft << 8 | v[i];
            print_filetime(label, ft);
        } else if (id == MsvAvFlags && len == 4) {
            uint32_t f = (uint32_t)v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
            printf("    %-22s 0x%08x%s%s%s\n", name, f, f & 1 ? " constrained" : "", f & 2 ? " MIC-present" : "",
                   f & 4 ? " SPN-untrusted" : "");
        } else if (id >= MsvAvNbComputerName && id <= MsvAvDnsTreeName) {
            print_string(label, v, len, 1);
        } else if (id == MsvAvTargetName) {
            print_string(label, v, len, 1);
        } else {
            print_hex(label, v, len);
        }
        r.pos += len;
    }
    return failed_at(base + n, "the AV pair list has no MsvAvEOL");
}

static void print_version(const uint8_t *v)
{
    printf("  %-24s %u.%u build %u, NTLM revision %u\n", "version", v[0], v[1], v[2] | v[3] << 8, v[7]);
}

int ntlm_explain(const uint8_t *msg, size_t len)
{
    struct fs_reader r;
    fs_reader_init(&r, msg, len);
    uint32_t type = ntlm_message_type(msg, len);
    r.pos = 12;
    int bad = 0;
    size_t n;
    const uint8_t *p;
    if (type == NTLM_NEGOTIATE) {
        printf("NTLM NEGOTIATE_MESSAGE (type 1), %zu bytes\n", len);
        uint32_t flags = fs_read_u32le(&r);
        if (r.failed)
            return failed_at(12, "the message ends before its flags");
        print_flags(flags);
        if (len >= 32) {
            if ((p = field(&r, "DomainName", &n, &bad)) && n)
                print_string("domain", p, n, 0);
            if (!bad && (p = field(&r, "Workstation", &n, &bad)) && n)
                print_string("workstation", p, n, 0);
        }
        if (!bad && (flags & NTLMSSP_NEGOTIATE_VERSION) && len >= 40)
            print_version(msg + 32);
        return bad;
    }
    if (type == NTLM_CHALLENGE) {
        printf("NTLM CHALLENGE_MESSAGE (type 2), %zu bytes\n", len);
        const uint8_t *target = field(&r, "TargetName", &n, &bad);
        size_t target_len = n;
        uint32_t flags = fs_read_u32le(&r);
        uint8_t challenge[8];
        fs_read_bytes(&r, challenge, 8);
        r.pos += 8;
        if (bad || r.failed)
            return bad ? bad : failed_at(r.pos, "the message ends inside its header");
        print_flags(flags);
        print_hex("challenge", challenge, 8);
        if (target_len)
            print_string("target", target, target_len, (flags & NTLMSSP_NEGOTIATE_UNICODE) != 0);
        if (len >= 48) {
            size_t info_at = r.pos;
            const uint8_t *info = field(&r, "TargetInfo", &n, &bad);
            if (bad)
                return bad;
            if (n) {
                printf("  %-24s %zu bytes at offset %zu\n", "target info", n, (size_t)(info - msg));
                if (print_av_pairs(info, n, (size_t)(info - msg)))
                    return 1;
            }
            (void)info_at;
        }
        if ((flags & NTLMSSP_NEGOTIATE_VERSION) && len >= 56)
            print_version(msg + 48);
        return 0;
    }
    if (type == NTLM_AUTHENTICATE) {
        printf("NTLM AUTHENTICATE_MESSAGE (type 3), %zu bytes\n", len);
        size_t lm_len, nt_len, dn, un, wn, kn;
        const uint8_t *lm = field(&r, "LmChallengeResponse", &lm_len, &bad);
        const uint8_t *nt = bad ? NULL : field(&r, "NtChallengeResponse", &nt_len, &bad);
        const uint8_t *d = bad ? NULL : field(&r, "DomainName", &dn, &bad);
        const uint8_t *u = bad ? NULL : field(&r, "UserName", &un, &bad);
        const uint8_t *w = bad ? NULL : field(&r, "Workstation", &wn, &bad);
        const uint8_t *k = bad ? NULL : field(&r, "EncryptedRandomSessionKey", &kn, &bad);
        uint32_t flags = fs_read_u32le(&r);
        if (bad || r.failed)
            return bad ? bad : failed_at(r.pos, "the message ends inside its header");
        int unicode = (flags & NTLMSSP_NEGOTIATE_UNICODE) != 0;
        print_flags(flags);
        print_string("domain", d, dn, unicode);
        print_string("user", u, un, unicode);
        print_string("workstation", w, wn, unicode);
        if (len >= 72 && (flags & NTLMSSP_NEGOTIATE_VERSION))
            print_version(msg + 64);
        if (len >= 88 && (!lm_len || lm - msg >= 88) && (!nt_len || nt - msg >= 88))
            print_hex("MIC", msg + 72, 16);
        print_hex("LM response", lm, lm_len);
        if (nt_len >= 16 + 28) {
            printf("  %-24s NTLMv2, %zu bytes\n", "NT response", nt_len);
            print_hex("  NTProofStr", nt, 16);
            const uint8_t *blob = nt + 16;
            uint64_t ft = 0;
            for (int i = 15; i >= 8; i--)
                ft = ft << 8 | blob[i];
            print_filetime("  timestamp", ft);
            print_hex("  client chal", blob + 16, 8);
            if (print_av_pairs(blob + 28, nt_len - 16 - 28, (size_t)(blob + 28 - msg)))
                return 1;
        } else {
            print_hex("NT response", nt, nt_len);
        }
        if (kn)
            print_hex("session key", k, kn);
        return 0;
    }
    return failed_at(0, len >= 8 && !memcmp(msg, "NTLMSSP", 8) ? "an NTLM message of an unknown type"
                                                             : "not an NTLM token (no NTLMSSP signature)");
}
