/* libFuzzer: whole SSPI legs of Negotiate and Kerberos fed arbitrary tokens. The first byte picks:
 *   bit 0-1: 0 Negotiate AcceptSecurityContext (first leg), 1 Kerberos AcceptSecurityContext,
 *            2 Negotiate AcceptSecurityContext after a real NTLM-fallback first leg (the fuzzer answers as
 *            the client's second token), 3 Negotiate InitializeSecurityContext after a real first leg (the
 *            fuzzer answers as the server)
 *   bit 2:   channel bindings from the same bytes
 *   bit 3:   ISC/ASC_REQ_ALLOCATE_MEMORY */
#define SECURITY_WIN32
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fakesspi.h"
#include "security.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static CredHandle nego_client, nego_server, krb_server;
static int ready;

static void cleanup(void)
{
    FreeCredentialsHandle(&nego_client);
    FreeCredentialsHandle(&nego_server);
    FreeCredentialsHandle(&krb_server);
}

static void setup(void)
{
    fakesspi_reset();
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &nego_client, NULL);
    AcquireCredentialsHandleA(NULL, "Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &nego_server, NULL);
    AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &krb_server, NULL);
    ready = 1;
    atexit(cleanup);
}

static void release(SecBuffer *b, ULONG attrs, int allocated)
{
    if (allocated && (attrs & ISC_RET_ALLOCATED_MEMORY) && b->pvBuffer)
        FreeContextBuffer(b->pvBuffer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    data++, size--;
    static uint8_t copy[65536], out[16384], first[16384];
    if (size > sizeof copy)
        size = sizeof copy;
    memcpy(copy, data, size);
    int allocate = (mode & 8) != 0;
    SecBuffer in[2] = {{(ULONG)size, SECBUFFER_TOKEN, copy}, {(ULONG)size, SECBUFFER_CHANNEL_BINDINGS, copy}};
    SecBufferDesc ind = {SECBUFFER_VERSION, (mode & 4) ? 2 : 1, in};
    SecBuffer ob = {allocate ? 0 : sizeof out, SECBUFFER_TOKEN, allocate ? NULL : out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs = 0, req = allocate ? ASC_REQ_ALLOCATE_MEMORY : 0;
    CtxtHandle server, client;
    switch (mode & 3) {
    case 0:
    case 1:
        if (AcceptSecurityContext((mode & 3) ? &krb_server : &nego_server, NULL, &ind, req, 0, &server, &od, &attrs,
                                  NULL) >= 0)
            DeleteSecurityContext(&server);
        release(&ob, attrs, allocate);
        break;
    case 2:
    case 3: {
        SecBuffer fb = {sizeof first, SECBUFFER_TOKEN, first};
        SecBufferDesc fd = {SECBUFFER_VERSION, 1, &fb};
        if (InitializeSecurityContextA(&nego_client, NULL, "HOST/unknown", 0, 0, 0, NULL, 0, &client, &fd, &attrs,
                                       NULL) != SEC_I_CONTINUE_NEEDED)
            break;
        if ((mode & 3) == 3) {
            if (InitializeSecurityContextA(&nego_client, &client, "HOST/unknown", req, 0, 0, &ind, 0, &client, &od,
                                           &attrs, NULL) >= 0)
                release(&ob, attrs, allocate);
        } else {
            SecBuffer sb = {fb.cbBuffer, SECBUFFER_TOKEN, first};
            SecBufferDesc sd = {SECBUFFER_VERSION, 1, &sb};
            SecBuffer rb = {sizeof out, SECBUFFER_TOKEN, out};
            SecBufferDesc rd = {SECBUFFER_VERSION, 1, &rb};
            if (AcceptSecurityContext(&nego_server, NULL, &sd, 0, 0, &server, &rd, &attrs, NULL) ==
                SEC_I_CONTINUE_NEEDED) {
                ob.cbBuffer = allocate ? 0 : sizeof out;
                ob.pvBuffer = allocate ? NULL : out;
                if (AcceptSecurityContext(&nego_server, &server, &ind, req, 0, &server, &od, &attrs, NULL) >= 0)
                    release(&ob, attrs, allocate);
                DeleteSecurityContext(&server);
            }
        }
        DeleteSecurityContext(&client);
        break;
    }
    }
    return 0;
}
