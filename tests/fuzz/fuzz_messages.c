/* libFuzzer: DecryptMessage, VerifySignature and ImportSecurityContext on arbitrary buffers, with
 * arbitrary buffer layouts, over an established context. */
#define SECURITY_WIN32
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fakesspi.h"
#include "security.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static CtxtHandle client, server;
static int ready;

static void cleanup(void)
{
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
}

static void setup(void)
{
    CredHandle cc, sc;
    fakesspi_reset();
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cc, NULL);
    AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &sc, NULL);
    uint8_t a[4096], b[4096];
    SecBuffer oa = {sizeof a, SECBUFFER_TOKEN, a}, ob = {sizeof b, SECBUFFER_TOKEN, b}, ia, ib;
    SecBufferDesc oad = {0, 1, &oa}, obd = {0, 1, &ob}, iad = {0, 1, &ia}, ibd = {0, 1, &ib};
    ULONG attrs, req = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY;
    InitializeSecurityContextA(&cc, NULL, NULL, req, 0, 0, NULL, 0, &client, &oad, &attrs, NULL);
    ib = (SecBuffer){oa.cbBuffer, SECBUFFER_TOKEN, a};
    AcceptSecurityContext(&sc, NULL, &ibd, ASC_REQ_CONFIDENTIALITY, 0, &server, &obd, &attrs, NULL);
    ia = (SecBuffer){ob.cbBuffer, SECBUFFER_TOKEN, b};
    oa.cbBuffer = sizeof a;
    InitializeSecurityContextA(&cc, &client, NULL, req, 0, 0, &iad, 0, &client, &oad, &attrs, NULL);
    ib = (SecBuffer){oa.cbBuffer, SECBUFFER_TOKEN, a};
    ob.cbBuffer = sizeof b;
    AcceptSecurityContext(&sc, &server, &ibd, ASC_REQ_CONFIDENTIALITY, 0, &server, &obd, &attrs, NULL);
    FreeCredentialsHandle(&cc); /* the contexts keep their own references */
    FreeCredentialsHandle(&sc);
    ready = 1;
    atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    if (size < 2)
        return 0;
    uint8_t mode = data[0], nbuf = (uint8_t)(data[1] % 4 + 1);
    data += 2, size -= 2;
    uint8_t copy[65536];
    if (size > sizeof copy)
        size = sizeof copy;
    memcpy(copy, data, size);
    /* Cut the input into nbuf buffers with types taken from the mode byte. */
    SecBuffer bufs[4];
    size_t at = 0;
    for (int i = 0; i < nbuf; i++) {
        size_t len = i == nbuf - 1 ? size - at : (size - at) / 2;
        ULONG type = (mode >> (2 * i)) & 3 ? SECBUFFER_DATA : SECBUFFER_TOKEN;
        bufs[i] = (SecBuffer){(ULONG)len, type, copy + at};
        at += len;
    }
    SecBufferDesc d = {SECBUFFER_VERSION, nbuf, bufs};
    ULONG qop;
    switch (mode % 3) {
    case 0: DecryptMessage(&server, &d, 0, &qop); break;
    case 1: VerifySignature(&server, &d, 0, &qop); break;
    default: {
        SecBuffer packed = {(ULONG)size, SECBUFFER_EMPTY, copy};
        CtxtHandle imported;
        if (ImportSecurityContextA("NTLM", &packed, NULL, &imported) == SEC_E_OK) {
            char msg[] = "m";
            uint8_t sig[16];
            SecBuffer b[2] = {{1, SECBUFFER_DATA, msg}, {16, SECBUFFER_TOKEN, sig}};
            SecBufferDesc md = {SECBUFFER_VERSION, 2, b};
            EncryptMessage(&imported, 0, &md, 0);
            DeleteSecurityContext(&imported);
        }
    }
    }
    return 0;
}
