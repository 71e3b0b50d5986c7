/* libFuzzer: InitializeSecurityContext's second leg on an arbitrary CHALLENGE. */
#define SECURITY_WIN32
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fakesspi.h"
#include "security.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static CredHandle cred;
static int ready;

static void cleanup(void) { FreeCredentialsHandle(&cred); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        fakesspi_reset();
        fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
        AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cred, NULL);
        ready = 1;
        atexit(cleanup);
    }
    uint8_t copy[65536], out[8192];
    if (size > sizeof copy)
        size = sizeof copy;
    memcpy(copy, data, size);
    CtxtHandle ctx;
    ULONG attrs;
    SecBuffer ob = {sizeof out, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    if (InitializeSecurityContextA(&cred, NULL, "HOST/x", ISC_REQ_CONFIDENTIALITY, 0, 0, NULL, 0, &ctx, &od, &attrs,
                                   NULL) != SEC_I_CONTINUE_NEEDED)
        return 0;
    SecBuffer ib = {(ULONG)size, SECBUFFER_TOKEN, copy};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    ob.cbBuffer = sizeof out;
    InitializeSecurityContextA(&cred, &ctx, "HOST/x", ISC_REQ_CONFIDENTIALITY, 0, 0, &id, 0, &ctx, &od, &attrs, NULL);
    DeleteSecurityContext(&ctx);
    return 0;
}
