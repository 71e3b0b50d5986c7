/* sspi-decode: explains an NTLM, SPNEGO or Kerberos token field by field. Input: hex, base64, a whole
 * HTTP Authorization / WWW-Authenticate header, or a file (-f). Malformed input gets the byte offset.
 *   sspi-decode TOKEN | -f FILE | -      (- reads the text from standard input) */
#include <ctype.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gss_explain.h"
#include "ntlm_explain.h"

/* Text to bytes: an HTTP header's token, hex, or base64. */
static uint8_t *from_text(char *text, size_t *len)
{
    char *t = text;
    char *colon = strchr(t, ':');
    if (colon && (strncasecmp(t, "Authorization", 13) == 0 || strncasecmp(t, "WWW-Authenticate", 16) == 0 ||
                  strncasecmp(t, "Proxy-Authorization", 19) == 0 || strncasecmp(t, "Proxy-Authenticate", 18) == 0))
        t = colon + 1;
    while (isspace((unsigned char)*t))
        t++;
    if (!strncasecmp(t, "NTLM ", 5))
        t += 5;
    else if (!strncasecmp(t, "Negotiate ", 10))
        t += 10;
    char *end = t + strlen(t);
    while (end > t && isspace((unsigned char)end[-1]))
        *--end = '\0';
    size_t n = strlen(t);
    uint8_t *out = malloc(n + 1);
    if (!out)
        return NULL;
    int hex = n % 2 == 0 && n > 0;
    for (size_t i = 0; hex && i < n; i++)
        hex = isxdigit((unsigned char)t[i]);
    if (hex) {
        for (size_t i = 0; i < n / 2; i++)
            sscanf(t + 2 * i, "%2hhx", &out[i]);
        *len = n / 2;
        return out;
    }
    struct base64_decode_ctx b64;
    base64_decode_init(&b64);
    size_t got = n;
    if (!base64_decode_update(&b64, &got, out, n, t) || !base64_decode_final(&b64)) {
        free(out);
        return NULL;
    }
    *len = got;
    return out;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: sspi-decode TOKEN      hex, base64, or a whole 'Authorization: NTLM ...' header\n"
            "       sspi-decode -f FILE    a token's raw bytes\n"
            "       sspi-decode -          the text from standard input\n"
            "Explains a token field by field: NTLM messages (flags by name, AV pairs, times as dates),\n"
            "SPNEGO NegTokenInit/NegTokenResp (mechanisms by name, the inner token explained in turn),\n"
            "Kerberos AP-REQ, AP-REP and KRB-ERROR (GSS-API framed or bare; encrypted parts shown as such).\n");
}

int main(int argc, char **argv)
{
    ntlm_explain_program = "sspi-decode";
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage();
        return argc < 2 ? 2 : 0;
    }
    uint8_t *msg = NULL;
    size_t len = 0;
    if (!strcmp(argv[1], "-f") && argc > 2) {
        FILE *f = fopen(argv[2], "rb");
        if (!f) {
            fprintf(stderr, "sspi-decode: cannot open %s\n", argv[2]);
            return 2;
        }
        msg = malloc(1 << 20);
        len = msg ? fread(msg, 1, 1 << 20, f) : 0;
        fclose(f);
    } else {
        static char text[1 << 20];
        if (!strcmp(argv[1], "-")) {
            size_t n = fread(text, 1, sizeof text - 1, stdin);
            text[n] = '\0';
        } else {
            snprintf(text, sizeof text, "%s", argv[1]);
        }
        msg = from_text(text, &len);
        if (!msg) {
            fprintf(stderr, "sspi-decode: the input is neither hex nor base64\n");
            return 2;
        }
    }
    int rc = gss_explain(msg, len);
    free(msg);
    return rc;
}
