/* Two contexts of any package talking in memory, with a hook that sees (and may rewrite) every token in
 * flight, as a man in the middle would. Used by the conformance suite and the packages' Windows suites. */
#ifndef FS_CONVERSATION_H
#define FS_CONVERSATION_H

#define SECURITY_WIN32
#include "testutil.h"
#include "security.h"

/* hop 0 is the client's first token, hop 1 the server's answer, and so on. */
typedef void (*conv_mitm)(int hop, unsigned char *token, ULONG *len, void *arg);

struct conv {
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    int client_made, server_made;
    ULONG client_attrs[4], server_attrs[4]; /* pfContextAttr of each call, in order */
    int client_calls, server_calls;
    SECURITY_STATUS client_status, server_status;
    conv_mitm mitm;
    void *arg;
};

__attribute__((unused)) static void conv_credentials(struct conv *v, const char *package, const char *user,
                                                     const char *password)
{
    memset(v, 0, sizeof *v);
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)user, (ULONG)strlen(user), (unsigned char *)"EXAMPLE", 7,
                                    (unsigned char *)password, (ULONG)strlen(password),
                                    SEC_WINNT_AUTH_IDENTITY_ANSI};
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_OUTBOUND, NULL, &id, NULL,
                                               NULL, &v->client_cred, NULL),
                     SEC_E_OK);
    /* A Kerberos acceptor runs as the account that owns the SPN (doc/semantics.md §41): the service account
     * of the embedded domain. NTLM's server checks against the domain whoever it runs as. */
    SEC_WINNT_AUTH_IDENTITY_A service = {(unsigned char *)"svc_server", 10, (unsigned char *)"EXAMPLE", 7,
                                         (unsigned char *)"S3rv1ce!pass", 12, SEC_WINNT_AUTH_IDENTITY_ANSI};
    int kerberos = strcmp(package, "NTLM") != 0;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_INBOUND, NULL,
                                               kerberos ? &service : NULL, NULL, NULL, &v->server_cred, NULL),
                     SEC_E_OK);
}

/* Runs the legs until both sides are done or one fails; the statuses say where it stopped. */
__attribute__((unused)) static void conv_run(struct conv *v, const char *target, ULONG isc_req, ULONG asc_req)
{
    static unsigned char c2s[16384], s2c[16384];
    ULONG c2s_len = 0, s2c_len = 0;
    int hop = 0;
    v->client_status = v->server_status = SEC_I_CONTINUE_NEEDED;
    while (v->client_status == SEC_I_CONTINUE_NEEDED) {
        SecBuffer in = {s2c_len, SECBUFFER_TOKEN, s2c}, out = {sizeof c2s, SECBUFFER_TOKEN, c2s};
        SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, outd = {SECBUFFER_VERSION, 1, &out};
        ULONG attrs = 0xdeadbeef;
        v->client_status = InitializeSecurityContextA(v->client_made ? NULL : &v->client_cred,
                                                      v->client_made ? &v->client : NULL, (SEC_CHAR *)target, isc_req,
                                                      0, SECURITY_NATIVE_DREP, v->client_made ? &ind : NULL, 0,
                                                      &v->client, &outd, &attrs, NULL);
        if (FAILED(v->client_status))
            return;
        v->client_made = 1;
        if (v->client_calls < 4)
            v->client_attrs[v->client_calls++] = attrs;
        c2s_len = out.cbBuffer;
        if (!c2s_len)
            break;
        if (v->mitm)
            v->mitm(hop, c2s, &c2s_len, v->arg);
        hop++;
        ck_assert_sec_status(v->server_status, SEC_I_CONTINUE_NEEDED);
        SecBuffer sin = {c2s_len, SECBUFFER_TOKEN, c2s}, sout = {sizeof s2c, SECBUFFER_TOKEN, s2c};
        SecBufferDesc sind = {SECBUFFER_VERSION, 1, &sin}, soutd = {SECBUFFER_VERSION, 1, &sout};
        attrs = 0xdeadbeef;
        v->server_status = AcceptSecurityContext(&v->server_cred, v->server_made ? &v->server : NULL, &sind, asc_req,
                                                 SECURITY_NATIVE_DREP, &v->server, &soutd, &attrs, NULL);
        if (FAILED(v->server_status))
            return;
        v->server_made = 1;
        if (v->server_calls < 4)
            v->server_attrs[v->server_calls++] = attrs;
        s2c_len = sout.cbBuffer;
        if (s2c_len && v->mitm)
            v->mitm(hop, s2c, &s2c_len, v->arg);
        hop++;
        if (!s2c_len)
            break;
    }
}

__attribute__((unused)) static void conv_free(struct conv *v)
{
    if (v->client_made)
        DeleteSecurityContext(&v->client);
    if (v->server_made)
        DeleteSecurityContext(&v->server);
    FreeCredentialsHandle(&v->client_cred);
    FreeCredentialsHandle(&v->server_cred);
}

/* Removes MsvAvTimestamp from an NTLM CHALLENGE's target info (MS-NLMP 2.2.1.2), so that the client sends no MIC
 * and a test may rewrite the other messages' flags unseen. */
__attribute__((unused)) static void conv_ntlm_strip_timestamp(unsigned char *msg, ULONG *len)
{
    unsigned ti_len = msg[40] | msg[41] << 8;
    uint32_t ti_off = msg[44] | msg[45] << 8 | msg[46] << 16 | (uint32_t)msg[47] << 24;
    ck_assert_uint_le(ti_off + ti_len, *len);
    unsigned char out[4096];
    size_t n = 0, at = ti_off;
    while (at + 4 <= ti_off + ti_len) {
        unsigned id = msg[at] | msg[at + 1] << 8, l = msg[at + 2] | msg[at + 3] << 8;
        if (id != 7) { /* MsvAvTimestamp */
            memcpy(out + n, msg + at, 4 + l);
            n += 4 + l;
        }
        at += 4 + l;
        if (id == 0)
            break;
    }
    size_t tail = *len - (ti_off + ti_len);
    memmove(msg + ti_off + n, msg + ti_off + ti_len, tail);
    memcpy(msg + ti_off, out, n);
    *len = (ULONG)(ti_off + n + tail);
    msg[40] = msg[42] = (unsigned char)n;
    msg[41] = msg[43] = (unsigned char)(n >> 8);
}

#endif
