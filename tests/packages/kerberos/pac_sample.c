/* Prints what tests/packages/kerberos/check_pac_tshark.sh shows tshark: alice's AP-REQ for
 * HTTP/server.example.test without its GSS framing (hex, one line), then svc_server's AES-256 key and the
 * KDC's (krbtgt's), hex, a line each. */
#include <stdio.h>
#include <string.h>

#define SECURITY_WIN32
#include "fakesspi.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_keys.h"
#include "security/domain_current.h"
#include "security.h"

static void hex(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

int main(void)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    CredHandle cred;
    CtxtHandle ctx;
    unsigned char token[16384];
    SecBuffer out = {sizeof token, SECBUFFER_TOKEN, token};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    if (AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Kerberos", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &cred,
                                  NULL) != SEC_E_OK ||
        InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"HTTP/server.example.test", ISC_REQ_CONFIDENTIALITY, 0,
                                   SECURITY_NATIVE_DREP, NULL, 0, &ctx, &outd, &attrs, NULL) != SEC_E_OK)
        return 1;
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    if (krb_gss_unframe(token, out.cbBuffer, &tok_id, &inner, &inner_len))
        return 1;
    hex(inner, inner_len);
    const struct fs_domain *d = fs_domain_acquire();
    struct krb_key key, kdc;
    int ok = d && krb_user_key(d, fs_domain_find_user(d, "svc_server"), KRB_ETYPE_AES256, &key) == FS_OK &&
             krb_kdc_key(d, KRB_ETYPE_AES256, &kdc) == FS_OK;
    fs_domain_release();
    if (!ok)
        return 1;
    hex(key.bytes, key.len);
    hex(kdc.bytes, kdc.len);
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    return 0;
}
