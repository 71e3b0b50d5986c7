/* sspi-decode: explains NTLM, SPNEGO and Kerberos tokens field by field, and with the fake domain's keys (or a
 * password) what is inside them. Input: hex (spaces and newlines allowed, as xxd -p writes it), base64, HTTP
 * headers (a whole request or response, or lines copied from curl -v), a file of raw bytes or of any of those
 * texts. Several tokens are one conversation, explained in order. Malformed input gets the byte offset.
 *   sspi-decode [OPTIONS] TOKEN|FILE|- ...   or   sspi-decode -f FILE */
#include <ctype.h>
#include <getopt.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture_read.h"
#include "explain_out.h"
#include "gss_explain.h"
#include "kdc_explain.h"
#include "keytab_read.h"
#include "keytab_write.h"
#include "ntlm_explain.h"
#include "security/domain_current.h"
#include "security/domain_ini.h"
#include "security/nt_hash.h"

struct bytes {
    uint8_t *p;
    size_t n;
};

/* The tokens of the run, in order. */
static struct bytes tokens[256];
static size_t ntokens;

static int add_token(uint8_t *p, size_t n)
{
    if (ntokens == sizeof tokens / sizeof *tokens) {
        free(p);
        fprintf(stderr, "sspi-decode: more than %zu tokens\n", sizeof tokens / sizeof *tokens);
        return 2;
    }
    tokens[ntokens++] = (struct bytes){p, n};
    return 0;
}

/* Hex (whitespace ignored) or base64 (whitespace ignored) to bytes; NULL if neither. */
static uint8_t *decode_text(const char *t, size_t n, size_t *len)
{
    char *s = malloc(n + 1);
    uint8_t *out = malloc(n + 1);
    if (!s || !out) {
        free(s);
        free(out);
        return NULL;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)t[i]))
            s[m++] = t[i];
    s[m] = '\0';
    int hex = m % 2 == 0 && m > 0;
    for (size_t i = 0; hex && i < m; i++)
        hex = isxdigit((unsigned char)s[i]);
    if (hex) {
        for (size_t i = 0; i < m / 2; i++)
            sscanf(s + 2 * i, "%2hhx", &out[i]);
        *len = m / 2;
        free(s);
        return out;
    }
    struct base64_decode_ctx b64;
    base64_decode_init(&b64);
    size_t got = m;
    if (!m || !base64_decode_update(&b64, &got, out, m, s) || !base64_decode_final(&b64)) {
        free(s);
        free(out);
        return NULL;
    }
    free(s);
    *len = got;
    return out;
}

static int has_prefix(const char *s, const char *prefix)
{
    return !strncasecmp(s, prefix, strlen(prefix));
}

/* "NTLM abc", "Negotiate abc", "Kerberos abc": past the scheme. */
static const char *past_scheme(const char *t)
{
    static const char *const schemes[] = {"NTLM", "Negotiate", "Kerberos"};
    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(schemes[i]);
        if (!strncasecmp(t, schemes[i], k) && (t[k] == ' ' || t[k] == '\t' || t[k] == '\0')) {
            t += k;
            while (*t == ' ' || *t == '\t')
                t++;
            return t;
        }
    }
    return t;
}

/* One line: curl -v's "> " or "< " taken off, then an authentication header's token, or NULL. */
static const char *header_token(char *line, int *is_header)
{
    static const char *const names[] = {"Authorization:", "WWW-Authenticate:", "Proxy-Authorization:",
                                        "Proxy-Authenticate:"};
    char *t = line;
    while (*t == ' ' || *t == '\t')
        t++;
    if ((t[0] == '>' || t[0] == '<') && (t[1] == ' ' || t[1] == '\0'))
        t += t[1] ? 2 : 1;
    char *colon = strchr(t, ':');
    if (colon && colon > t && !memchr(t, ' ', (size_t)(colon - t)))
        *is_header = 1;
    for (size_t i = 0; i < 4; i++)
        if (has_prefix(t, names[i])) {
            t += strlen(names[i]);
            while (*t == ' ' || *t == '\t')
                t++;
            /* Basic, Digest, Bearer...: a scheme of its own, not one of ours (servers offer them side by side) */
            const char *token = past_scheme(t);
            return token != t ? token : NULL;
        }
    if (has_prefix(t, "HTTP/") || strstr(t, " HTTP/1."))
        *is_header = 1;
    return NULL;
}

/* Text to tokens: every authentication header's token in order; -1 when the text has no headers (it is
 * then one token), 2 after a message when it has headers and no token (unless quiet: a capture's packet). */
static int from_text(char *text, int quiet)
{
    size_t before = ntokens;
    int headers = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\r' || isspace((unsigned char)line[n - 1])))
            line[--n] = '\0';
        int is_header = 0;
        const char *t = header_token(line, &is_header);
        headers |= is_header;
        if (!t)
            continue;
        headers = 1;
        if (!*t)
            continue; /* a scheme without a token: "WWW-Authenticate: Negotiate" */
        size_t len;
        uint8_t *p = decode_text(t, strlen(t), &len);
        if (!p) {
            fprintf(stderr, "sspi-decode: the token in '%.60s' is neither hex nor base64\n", line);
            return 2;
        }
        if (add_token(p, len))
            return 2;
    }
    if (ntokens > before)
        return 0;
    if (headers) {
        if (quiet)
            return 0;
        fprintf(stderr, "sspi-decode: the headers carry no Authorization or WWW-Authenticate token\n");
        return 2;
    }
    return -1;
}

static int from_plain_text(const char *text, int is_argument)
{
    const char *t = text;
    while (isspace((unsigned char)*t))
        t++;
    t = past_scheme(t);
    size_t len;
    uint8_t *p = decode_text(t, strlen(t), &len);
    if (!p) {
        if (is_argument && strlen(text) < 256 && strpbrk(text, "/.") && !strpbrk(text, " \t\r\n"))
            fprintf(stderr, "sspi-decode: '%s' is no file, nor hex or base64\n", text);
        else
            fprintf(stderr, "sspi-decode: the input is neither hex nor base64\n");
        return 2;
    }
    return add_token(p, len);
}

/* Text given on the command line (is_argument), in a file or on standard input. */
static int read_text(const char *text, int is_argument)
{
    char *copy = strdup(text);
    if (!copy)
        return 2;
    int rc = from_text(copy, 0);
    free(copy);
    return rc >= 0 ? rc : from_plain_text(text, is_argument);
}

#define MAX_INPUT (16u << 20)

static uint8_t *slurp(FILE *f, size_t *n)
{
    uint8_t *p = malloc(MAX_INPUT + 1);
    if (!p)
        return NULL;
    *n = fread(p, 1, MAX_INPUT, f);
    p[*n] = '\0';
    return p;
}

/* One payload of a capture: HTTP text, or a token's bytes. */
static int from_capture(enum capture_kind kind, const uint8_t *data, size_t len, void *ctx)
{
    size_t *found = ctx;
    size_t before = ntokens;
    if (kind == CAPTURE_TOKEN) {
        uint8_t *copy = malloc(len);
        if (!copy)
            return 2;
        memcpy(copy, data, len);
        if (add_token(copy, len))
            return 2;
    } else {
        char *text = malloc(len + 1);
        if (!text)
            return 2;
        memcpy(text, data, len);
        text[len] = '\0';
        int rc = strlen(text) == len ? from_text(text, 1) : 0; /* a NUL: not HTTP */
        free(text);
        if (rc > 0)
            return rc;
    }
    *found += ntokens - before;
    return 0;
}

static int read_capture(uint8_t *p, size_t n, const char *name)
{
    char why[200];
    size_t found = 0;
    long packets = capture_read(p, n, from_capture, &found, why, sizeof why);
    free(p);
    if (packets == -1)
        fprintf(stderr, "sspi-decode: %s: %s\n", name, why);
    if (packets < 0)
        return 2;
    if (!found) {
        fprintf(stderr, "sspi-decode: %s: no authentication token in its %ld packets\n", name, packets);
        return 2;
    }
    return 0;
}

/* Raw bytes, or text: bytes outside printable ASCII and whitespace are raw. */
static int read_content(uint8_t *p, size_t n, int raw, const char *name)
{
    if (capture_is(p, n))
        return read_capture(p, n, name);
    int text = !raw;
    for (size_t i = 0; text && i < n; i++)
        text = (p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\n' || p[i] == '\r' || p[i] == '\t';
    if (!text)
        return add_token(p, n);
    int rc = read_text((const char *)p, 0);
    free(p);
    return rc;
}

static int read_file(const char *path, int raw)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "sspi-decode: cannot open %s\n", path);
        return 2;
    }
    size_t n;
    uint8_t *p = slurp(f, &n);
    fclose(f);
    if (!p)
        return 2;
    if (raw)
        return add_token(p, n);
    return read_content(p, n, 0, path);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: sspi-decode [OPTIONS] INPUT...\n"
            "INPUT is a token as hex (spaces and newlines allowed: xxd -p) or base64, an HTTP header\n"
            "('Authorization: NTLM ...', a line copied from curl -v such as '< WWW-Authenticate: Negotiate ...',\n"
            "or a whole request or response), a file holding any of those or the raw bytes, a pcap or pcapng\n"
            "capture (every token in it, in order: HTTP headers, Kerberos on port 88, NTLM inside other\n"
            "protocols), or - for standard\n"
            "input. Several tokens (several INPUTs, or several headers) are one conversation, explained in order.\n"
            "  -f FILE             FILE holds one token's raw bytes\n"
            "  --json              one JSON document (schema: doc/tools.md)\n"
            "  --domain FILE       the fake domain to take keys from (default: $FAKESSPI_DOMAIN, else the\n"
            "                      embedded EXAMPLE domain)\n"
            "  --no-domain         use no domain's keys\n"
            "  --keytab FILE       open Kerberos tickets with an MIT keytab's keys too (another realm's)\n"
            "  --export-keytab FILE  write the domain's service keys (every SPN, AES256 and AES128) as an MIT\n"
            "                      keytab for Wireshark (tshark -o kerberos.decrypt:TRUE -o kerberos.file:FILE)\n"
            "                      or klist -k; no INPUT is needed\n"
            "  --password PASS     the client's password: checks NTLM's proof, and opens a Kerberos AS-REP\n"
            "                      (string-to-key with the KDC's salt)  --nt-hash HEX  its NT hash (NTLM)\n"
            "  --version, -h/--help\n"
            "Explains NTLM messages (flags by name, AV pairs, times as dates, each field's length and offset),\n"
            "NTLM signatures and sealed messages, SPNEGO NegTokenInit/NegTokenResp (mechanisms and negHints by\n"
            "name, the inner token explained in turn), Kerberos AP-REQ, AP-REP and KRB-ERROR (GSS-API framed or\n"
            "bare), the KDC's AS-REQ/AS-REP/TGS-REQ/TGS-REP/KRB-ERROR/KRB-CRED with padata by name, and RFC 4121\n"
            "MIC and Wrap tokens. With the domain or the password it checks the NTLM proof,\n"
            "derives the session key and opens the messages protected with it, and opens Kerberos tickets,\n"
            "authenticators (a TGS-REQ's too), the AS-REP's and TGS-REP's enc-part and a KRB-CRED, each with\n"
            "the key an earlier message of the run taught.\n"
            "Exit status: 0 explained, 1 a malformed token (the byte offset is named) or a failed check (a wrong\n"
            "password, an altered message), 2 bad input or usage.\n");
}

static int parse_nt_hash(const char *hex, uint8_t out[16])
{
    if (strlen(hex) != 32)
        return -1;
    for (int i = 0; i < 16; i++) {
        if (!isxdigit((unsigned char)hex[2 * i]) || !isxdigit((unsigned char)hex[2 * i + 1]))
            return -1;
        sscanf(hex + 2 * i, "%2hhx", &out[i]);
    }
    return 0;
}

int main(int argc, char **argv)
{
    xo_program = "sspi-decode";
    enum { OPT_JSON = 256, OPT_VERSION, OPT_DOMAIN, OPT_NO_DOMAIN, OPT_PASSWORD, OPT_NT_HASH, OPT_KEYTAB,
           OPT_EXPORT_KEYTAB };
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},           {"json", no_argument, NULL, OPT_JSON},
        {"version", no_argument, NULL, OPT_VERSION}, {"domain", required_argument, NULL, OPT_DOMAIN},
        {"no-domain", no_argument, NULL, OPT_NO_DOMAIN}, {"password", required_argument, NULL, OPT_PASSWORD},
        {"nt-hash", required_argument, NULL, OPT_NT_HASH}, {"keytab", required_argument, NULL, OPT_KEYTAB},
        {"export-keytab", required_argument, NULL, OPT_EXPORT_KEYTAB},
        {NULL, 0, NULL, 0},
    };
    const char *domain_path = getenv("FAKESSPI_DOMAIN"), *raw_file = NULL, *export_keytab = NULL;
    int use_domain = 1, rc = 0, c;
    if (domain_path && !*domain_path)
        domain_path = NULL;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+f:h", longs, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return 0;
        case 'f': raw_file = optarg; break;
        case OPT_JSON: xo_json = 1; break;
        case OPT_VERSION: printf("sspi-decode (libfakesspi) %s\n", VERSION); return 0;
        case OPT_DOMAIN: domain_path = optarg; use_domain = 1; break;
        case OPT_NO_DOMAIN: use_domain = 0; break;
        case OPT_EXPORT_KEYTAB: export_keytab = optarg; break;
        case OPT_KEYTAB: {
            char why[300];
            if (keytab_load(optarg, why, sizeof why)) {
                fprintf(stderr, "sspi-decode: --keytab: %s\n", why);
                return 2;
            }
            break;
        }
        case OPT_PASSWORD: {
            uint8_t h[16];
            if (fs_nt_hash(optarg, h) != FS_OK) {
                fprintf(stderr, "sspi-decode: --password: not UTF-8\n");
                return 2;
            }
            ntlm_explain_set_nt_hash(h);
            kdc_explain_set_password(optarg);
            break;
        }
        case OPT_NT_HASH: {
            uint8_t h[16];
            if (parse_nt_hash(optarg, h)) {
                fprintf(stderr, "sspi-decode: --nt-hash wants 32 hex digits, not '%s'\n", optarg);
                return 2;
            }
            ntlm_explain_set_nt_hash(h);
            break;
        }
        default:
            if (optopt)
                fprintf(stderr, "sspi-decode: option -%c %s\n", optopt, optopt == 'f' ? "wants a FILE" : "is unknown");
            else
                fprintf(stderr, "sspi-decode: option '%s' is unknown or wants a value\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (export_keytab && !use_domain) {
        fprintf(stderr, "sspi-decode: --export-keytab writes the domain's keys: it cannot go with --no-domain\n");
        return 2;
    }
    if (!raw_file && optind >= argc && !export_keytab) {
        usage(stderr);
        return 2;
    }
    if (use_domain) {
        char message[512] = "";
        int bad = domain_path ? fs_domain_install_file(domain_path, message, sizeof message)
                              : fs_domain_install_text(fs_default_domain_ini, "embedded domain", message,
                                                       sizeof message);
        if (bad) {
            fprintf(stderr, "sspi-decode: the domain: %s\n", message);
            return 2;
        }
        ntlm_explain_use_domain = 1;
        gss_explain_use_domain = 1;
    }
    if (export_keytab) {
        char why[512];
        if (keytab_write(export_keytab, NULL, why, sizeof why)) {
            fprintf(stderr, "sspi-decode: --export-keytab: %s\n", why);
            return 2;
        }
    }
    if (raw_file && (rc = read_file(raw_file, 1)))
        return rc;
    for (int i = optind; i < argc; i++) {
        struct stat st;
        if (!strcmp(argv[i], "-")) {
            size_t n;
            uint8_t *p = slurp(stdin, &n);
            rc = p ? read_content(p, n, 0, "standard input") : 2;
        } else if (stat(argv[i], &st) == 0 && S_ISREG(st.st_mode)) {
            rc = read_file(argv[i], 0);
        } else {
            rc = read_text(argv[i], 1);
        }
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < ntokens; i++) {
        if (i)
            xo_separator();
        rc |= gss_explain(tokens[i].p, tokens[i].n);
        free(tokens[i].p);
    }
    xo_finish();
    return rc || xo_check_failed ? 1 : 0;
}
