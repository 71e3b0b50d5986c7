/* libFuzzer: arbitrary SecBufferDesc shapes and handle values against every call that takes them, on
 * established NTLM, Kerberos and Negotiate contexts. The input is a little program:
 *   byte 0   the call: EncryptMessage, DecryptMessage, MakeSignature, VerifySignature,
 *            QueryContextAttributes, a first AcceptSecurityContext or InitializeSecurityContext leg,
 *            ExportSecurityContext, ApplyControlToken, CompleteAuthToken
 *   byte 1   the context (one of six established ones), or a made-up handle from the next 16 bytes
 *   byte 2   how many buffers (0-9; 9 means a NULL descriptor), then per buffer: a type byte (with the
 *            READONLY bits as they come), a 16-bit length, and whether pvBuffer is NULL
 *   the rest fills the buffers, which all live in one pool.
 * No call may crash, touch memory outside what it was given, or leak. */
#define SECURITY_WIN32
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fakesspi.h"
#include "security.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NTLM_C, NTLM_S, KRB_C, KRB_S, NEGO_C, NEGO_S, NCTX };

static CredHandle creds[6]; /* client and server credentials of each package */
static CtxtHandle ctx[NCTX];
static int ready;

static void cleanup(void)
{
    for (int i = 0; i < NCTX; i++)
        DeleteSecurityContext(&ctx[i]);
    for (int i = 0; i < 6; i++)
        FreeCredentialsHandle(&creds[i]);
}

static void handshake(const char *package, const char *target, int pair)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)"alice", 5, (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)"Passw0rd!", 9, SEC_WINNT_AUTH_IDENTITY_ANSI};
    AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL, &creds[pair],
                              NULL);
    AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                              &creds[pair + 1], NULL);
    static unsigned char c2s[8192], s2c[8192];
    ULONG c2s_len = 0, s2c_len = 0, attrs;
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    ULONG req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT;
    for (int leg = 0; leg < 4 && (cs == SEC_I_CONTINUE_NEEDED || ss == SEC_I_CONTINUE_NEEDED); leg++) {
        if (cs == SEC_I_CONTINUE_NEEDED) {
            SecBuffer in = {s2c_len, SECBUFFER_TOKEN, s2c}, out = {sizeof c2s, SECBUFFER_TOKEN, c2s};
            SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
            cs = InitializeSecurityContextA(&creds[pair], leg ? &ctx[pair] : NULL, (SEC_CHAR *)target, req, 0, 0,
                                            leg ? &ind : NULL, 0, &ctx[pair], &outd, &attrs, NULL);
            c2s_len = out.cbBuffer;
        }
        if (ss == SEC_I_CONTINUE_NEEDED && c2s_len) {
            SecBuffer in = {c2s_len, SECBUFFER_TOKEN, c2s}, out = {sizeof s2c, SECBUFFER_TOKEN, s2c};
            SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
            ss = AcceptSecurityContext(&creds[pair + 1], leg ? &ctx[pair + 1] : NULL, &ind, ASC_REQ_CONFIDENTIALITY,
                                       0, &ctx[pair + 1], &outd, &attrs, NULL);
            s2c_len = out.cbBuffer;
            c2s_len = 0;
        }
    }
}

static void setup(void)
{
    fakesspi_reset();
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    fakesspi_set_backtraces(0);
    handshake("NTLM", "HOST/x", NTLM_C);
    handshake("Kerberos", "HTTP/server.example.test", KRB_C);
    handshake("Negotiate", "HTTP/server.example.test", NEGO_C);
    ready = 1;
    atexit(cleanup);
}

struct cursor {
    const uint8_t *p;
    size_t n;
};

static uint8_t next(struct cursor *c)
{
    if (!c->n)
        return 0;
    c->n--;
    return *c->p++;
}

/* Frees what QueryContextAttributes handed out, by attribute. */
static void release(ULONG attr, void *buf)
{
    switch (attr) {
    case SECPKG_ATTR_NAMES: FreeContextBuffer(((SecPkgContext_NamesA *)buf)->sUserName); break;
    case SECPKG_ATTR_PACKAGE_INFO: FreeContextBuffer(((SecPkgContext_PackageInfoA *)buf)->PackageInfo); break;
    case SECPKG_ATTR_NEGOTIATION_INFO: FreeContextBuffer(((SecPkgContext_NegotiationInfoA *)buf)->PackageInfo); break;
    case SECPKG_ATTR_SESSION_KEY: FreeContextBuffer(((SecPkgContext_SessionKey *)buf)->SessionKey); break;
    case SECPKG_ATTR_KEY_INFO:
        FreeContextBuffer(((SecPkgContext_KeyInfoA *)buf)->sSignatureAlgorithmName);
        FreeContextBuffer(((SecPkgContext_KeyInfoA *)buf)->sEncryptAlgorithmName);
        break;
    case SECPKG_ATTR_NATIVE_NAMES:
        FreeContextBuffer(((SecPkgContext_NativeNamesA *)buf)->sClientName);
        FreeContextBuffer(((SecPkgContext_NativeNamesA *)buf)->sServerName);
        break;
    case SECPKG_ATTR_AUTHORITY: FreeContextBuffer(((SecPkgContext_AuthorityA *)buf)->sAuthorityName); break;
    case SECPKG_ATTR_CREDENTIAL_NAME: FreeContextBuffer(((SecPkgContext_CredentialNameA *)buf)->sCredentialName); break;
    default: break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    struct cursor c = {data, size};
    uint8_t call = next(&c) % 10, which = next(&c);
    CtxtHandle made_up, *h = &ctx[which % NCTX];
    if (which >= 0xF0) { /* a handle value the library never gave out */
        uint8_t raw[16];
        for (int i = 0; i < 16; i++)
            raw[i] = next(&c);
        memcpy(&made_up, raw, sizeof made_up);
        h = &made_up;
    }
    /* The buffers, all inside one pool the input fills. */
    static uint8_t pool[1 << 16];
    SecBuffer bufs[8];
    uint8_t nbufs = next(&c) % 10;
    size_t used = 0;
    for (uint8_t i = 0; i < nbufs && i < 8; i++) {
        ULONG type = next(&c);
        type = (type & 0x0F) | ((type & 0x30) << 24); /* the low types and the READONLY bits */
        size_t len = (size_t)next(&c) | (size_t)next(&c) << 8;
        int null = next(&c) & 1;
        if (used + len > sizeof pool)
            len = sizeof pool - used;
        bufs[i].BufferType = type;
        bufs[i].cbBuffer = (ULONG)len;
        bufs[i].pvBuffer = null ? NULL : pool + used;
        used += len;
    }
    size_t fill = c.n < used ? c.n : used;
    memcpy(pool, c.p, fill);
    memset(pool + fill, 0, used - fill);
    SecBufferDesc desc = {SECBUFFER_VERSION, nbufs < 8 ? nbufs : 8, bufs};
    SecBufferDesc *d = nbufs == 9 ? NULL : &desc;
    ULONG qop = 0, attrs;
    switch (call) {
    case 0: (void)EncryptMessage(h, 0, d, 0); break;
    case 1: (void)DecryptMessage(h, d, 0, &qop); break;
    case 2: (void)MakeSignature(h, 0, d, 0); break;
    case 3: (void)VerifySignature(h, d, 0, &qop); break;
    case 4: {
        static const ULONG attributes[] = {SECPKG_ATTR_SIZES, SECPKG_ATTR_NAMES, SECPKG_ATTR_LIFESPAN,
                                           SECPKG_ATTR_FLAGS, SECPKG_ATTR_SESSION_KEY, SECPKG_ATTR_KEY_INFO,
                                           SECPKG_ATTR_PACKAGE_INFO, SECPKG_ATTR_NEGOTIATION_INFO,
                                           SECPKG_ATTR_NATIVE_NAMES, SECPKG_ATTR_AUTHORITY,
                                           SECPKG_ATTR_CREDENTIAL_NAME, SECPKG_ATTR_ACCESS_TOKEN,
                                           SECPKG_ATTR_STREAM_SIZES, 0x77, 0x80000001};
        ULONG attr = attributes[(nbufs * 7 + used) % (sizeof attributes / sizeof attributes[0])];
        uint64_t out[64] = {0};
        if (QueryContextAttributesA(h, attr, out) == SEC_E_OK)
            release(attr, out);
        break;
    }
    case 5:
    case 6: {
        /* A first leg with these buffers as input and output: no context must be left behind. */
        CtxtHandle fresh;
        int server = call == 5;
        CredHandle *cred = &creds[2 * ((which >> 4) % 3) + server];
        SECURITY_STATUS st = server ? AcceptSecurityContext(cred, NULL, d, ASC_REQ_ALLOCATE_MEMORY, 0, &fresh, d,
                                                            &attrs, NULL)
                                    : InitializeSecurityContextA(cred, NULL, "HTTP/server.example.test",
                                                                 ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &fresh, d,
                                                                 &attrs, NULL);
        if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
            DeleteSecurityContext(&fresh);
            for (ULONG i = 0; d && i < d->cBuffers; i++)
                if ((attrs & ISC_RET_ALLOCATED_MEMORY) && (d->pBuffers[i].BufferType & 0xFF) == SECBUFFER_TOKEN &&
                    (d->pBuffers[i].pvBuffer < (void *)pool || d->pBuffers[i].pvBuffer >= (void *)(pool + sizeof pool)))
                    FreeContextBuffer(d->pBuffers[i].pvBuffer);
        }
        break;
    }
    case 7: {
        SecBuffer packed = {0, 0, NULL};
        if (ExportSecurityContext(h, which & 1, &packed, NULL) == SEC_E_OK)
            FreeContextBuffer(packed.pvBuffer);
        break;
    }
    case 8: (void)ApplyControlToken(h, d); break;
    case 9: (void)CompleteAuthToken(h, d); break;
    }
    return 0;
}
