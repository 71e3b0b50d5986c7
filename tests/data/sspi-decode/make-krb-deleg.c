/* Writes, as hex, the AP-REQ a client sends when it asks to delegate (ISC_REQ_DELEGATE) to a service trusted for
 * delegation: the authenticator's checksum carries a KRB-CRED of the client's TGT, encrypted in the ticket's
 * session key (RFC 4121 4.1.1, RFC 4120 5.8, key usage 14). The embedded EXAMPLE domain with svc_server trusted
 * for delegation; run with FAKESSPI_SEED=0 so the bytes are the same every time:
 * from a build directory (the embedded domain's text is not exported: the internal library has it):
 *   cc -I ../../include -I . ../../tests/data/sspi-decode/make-krb-deleg.c .libs/libfakesspi-internal.a \
 *      -lnettle -luuid -ldw -lelf -lpthread && FAKESSPI_SEED=0 ./a.out > krb-deleg-ap-req.hex */
#include <stdio.h>
#include <string.h>

#include "fakesspi.h"
#define SECURITY_WIN32
#include "windows.h"
#include "sspi.h"

extern const char fs_default_domain_ini[];

int main(void)
{
    static char ini[16384];
    snprintf(ini, sizeof ini, "%s%s", fs_default_domain_ini, "trusted_for_delegation = yes\n");
    if (fakesspi_load_domain_text(ini, "delegation") != 0)
        return 1;
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"bob", 3, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Hunter2!", 8, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle cred;
    TimeStamp expiry;
    if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cred, &expiry))
        return 2;
    static unsigned char out[16384];
    SecBuffer buf = {sizeof out, SECBUFFER_TOKEN, out};
    SecBufferDesc desc = {SECBUFFER_VERSION, 1, &buf};
    CtxtHandle ctx;
    ULONG attrs;
    SECURITY_STATUS s = InitializeSecurityContextA(&cred, NULL, "HOST/server.example.test",
                                                   ISC_REQ_DELEGATE | ISC_REQ_MUTUAL_AUTH, 0, SECURITY_NATIVE_DREP,
                                                   NULL, 0, &ctx, &desc, &attrs, &expiry);
    if (s != SEC_I_CONTINUE_NEEDED)
        return 3;
    for (ULONG i = 0; i < buf.cbBuffer; i++)
        printf("%02x", out[i]);
    printf("\n");
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    return 0;
}
