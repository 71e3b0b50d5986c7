/* libFuzzer: AcceptSecurityContext fed arbitrary tokens, as a first leg and as the AUTHENTICATE leg
 * after a real NEGOTIATE; the first input byte picks the leg and the buffer shapes. */
#define SECURITY_WIN32
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fakesspi.h"
#include "security.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static CredHandle client_cred, server_cred;
static int ready;

/* What the harness holds for its whole life goes before the exit-time leak check runs. */
static void cleanup(void)
{
    FreeCredentialsHandle(&client_cred);
    FreeCredentialsHandle(&server_cred);
}

static void setup(void)
{
    fakesspi_reset();
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &client_cred, NULL);
    AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &server_cred, NULL);
    ready = 1;
    atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    data++, size--;
    uint8_t copy[65536], out[8192];
    if (size > sizeof copy)
        size = sizeof copy;
    memcpy(copy, data, size);
    SecBuffer in[2] = {{(ULONG)size, SECBUFFER_TOKEN, copy}, {(ULONG)size, SECBUFFER_CHANNEL_BINDINGS, copy}};
    SecBufferDesc ind = {SECBUFFER_VERSION, (mode & 2) ? 2 : 1, in};
    SecBuffer ob = {sizeof out, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs, req = (mode & 4) ? ASC_REQ_ALLOCATE_MEMORY : 0;
    CtxtHandle server;
    if (mode & 1) {
        /* A real first leg, then the fuzzer's bytes as the client's answer. */
        CtxtHandle client;
        uint8_t neg[256];
        SecBuffer nb = {sizeof neg, SECBUFFER_TOKEN, neg};
        SecBufferDesc nd = {SECBUFFER_VERSION, 1, &nb};
        InitializeSecurityContextA(&client_cred, NULL, NULL, 0, 0, 0, NULL, 0, &client, &nd, &attrs, NULL);
        SecBuffer nin = {nb.cbBuffer, SECBUFFER_TOKEN, neg};
        SecBufferDesc nind = {SECBUFFER_VERSION, 1, &nin};
        if (AcceptSecurityContext(&server_cred, NULL, &nind, 0, 0, &server, &od, &attrs, NULL) == SEC_I_CONTINUE_NEEDED) {
            ob.cbBuffer = sizeof out;
            SECURITY_STATUS st = AcceptSecurityContext(&server_cred, &server, &ind, req, 0, &server, &od, &attrs, NULL);
            if (st == SEC_E_OK && (req & ASC_REQ_ALLOCATE_MEMORY) && ob.pvBuffer != out)
                FreeContextBuffer(ob.pvBuffer);
            DeleteSecurityContext(&server);
        }
        DeleteSecurityContext(&client);
    } else {
        SECURITY_STATUS st = AcceptSecurityContext(&server_cred, NULL, &ind, req, 0, &server, &od, &attrs, NULL);
        if (SEC_SUCCESS(st)) {
            if ((req & ASC_REQ_ALLOCATE_MEMORY) && ob.pvBuffer != out)
                FreeContextBuffer(ob.pvBuffer);
            DeleteSecurityContext(&server);
        }
    }
    return 0;
}
