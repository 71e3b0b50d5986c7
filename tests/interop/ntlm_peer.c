/* A libfakesspi NTLM endpoint driven over stdin/stdout, one hex token per line, so peers written by
 * others (python3-ntlm-auth, ...) can talk to it from a script.
 *   ntlm_peer server                  reads TOKEN lines, answers TOKEN / OK / FAIL
 *   ntlm_peer client USER PASSWORD    starts with a TOKEN line
 * After OK: "WRAP <hex>" (16-byte signature then sealed data, as GSS_Wrap lays it out) is decrypted
 * and answered "PLAIN <hex>"; "SEND <hex>" is sealed and answered "WRAP <hex>". */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <fakesspi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t unhex(const char *hex, BYTE *out, size_t cap)
{
    size_t n = 0;
    while (hex[0] && hex[1] && n < cap && sscanf(hex, "%2hhx", &out[n]) == 1)
        hex += 2, n++;
    return n;
}

static void put_hex(const char *tag, const BYTE *b, size_t n)
{
    printf("%s ", tag);
    for (size_t i = 0; i < n; i++)
        printf("%02x", b[i]);
    printf("\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int server = argc > 1 && !strcmp(argv[1], "server");
    CredHandle cred;
    SEC_WINNT_AUTH_IDENTITY_A id = {0};
    if (!server && argc > 3)
        id = (SEC_WINNT_AUTH_IDENTITY_A){(unsigned char *)argv[2], (ULONG)strlen(argv[2]), (unsigned char *)"EXAMPLE",
                                         7, (unsigned char *)argv[3], (ULONG)strlen(argv[3]),
                                         SEC_WINNT_AUTH_IDENTITY_ANSI};
    if (AcquireCredentialsHandleA(NULL, "NTLM", server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND, NULL,
                                  server ? NULL : &id, NULL, NULL, &cred, NULL) != SEC_E_OK)
        return 1;
    ULONG req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT;
    ULONG asc = ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT;
    CtxtHandle ctx;
    int have = 0;
    static BYTE in[65536], out[65536];
    static char line[200000];
    ULONG attrs;
    if (!server) {
        SecBuffer ob = {sizeof out, SECBUFFER_TOKEN, out};
        SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
        if (InitializeSecurityContextA(&cred, NULL, "HOST/server", req, 0, 0, NULL, 0, &ctx, &od, &attrs, NULL) !=
            SEC_I_CONTINUE_NEEDED)
            return 1;
        have = 1;
        put_hex("TOKEN", out, ob.cbBuffer);
    }
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *arg = strchr(line, ' ');
        size_t n = arg ? unhex(arg + 1, in, sizeof in) : 0;
        if (!strncmp(line, "TOKEN", 5)) {
            SecBuffer ib = {(ULONG)n, SECBUFFER_TOKEN, in}, ob = {sizeof out, SECBUFFER_TOKEN, out};
            SecBufferDesc id_ = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
            SECURITY_STATUS st =
                server ? AcceptSecurityContext(&cred, have ? &ctx : NULL, &id_, asc, 0, &ctx, &od, &attrs, NULL)
                       : InitializeSecurityContextA(&cred, &ctx, "HOST/server", req, 0, 0, &id_, 0, &ctx, &od, &attrs,
                                                    NULL);
            have = 1;
            if (st == SEC_I_CONTINUE_NEEDED || (st == SEC_E_OK && ob.cbBuffer))
                put_hex("TOKEN", out, ob.cbBuffer);
            if (st == SEC_E_OK) {
                printf("OK\n");
            } else if (st != SEC_I_CONTINUE_NEEDED) {
                printf("FAIL %s\n", fakesspi_status_name(st));
                return 1;
            }
            fflush(stdout);
        } else if (!strncmp(line, "WRAP", 4) && n >= 16) {
            SecBuffer b[2] = {{16, SECBUFFER_TOKEN, in}, {(ULONG)(n - 16), SECBUFFER_DATA, in + 16}};
            SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
            SECURITY_STATUS st = DecryptMessage(&ctx, &d, 0, NULL);
            if (st != SEC_E_OK) {
                printf("FAIL %s\n", fakesspi_status_name(st));
                fflush(stdout);
                continue;
            }
            put_hex("PLAIN", in + 16, n - 16);
        } else if (!strncmp(line, "SEND", 4)) {
            memcpy(out + 16, in, n);
            SecBuffer b[2] = {{16, SECBUFFER_TOKEN, out}, {(ULONG)n, SECBUFFER_DATA, out + 16}};
            SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
            if (EncryptMessage(&ctx, 0, &d, 0) != SEC_E_OK)
                return 1;
            put_hex("WRAP", out, n + 16);
        }
    }
    if (have)
        DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    return 0;
}
