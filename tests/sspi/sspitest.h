/* Handshake helpers for the SSPI suites: two contexts talking in memory, as a socket would carry it. */
#ifndef FS_SSPITEST_H
#define FS_SSPITEST_H

#define SECURITY_WIN32
#include "testutil.h"
#include "security.h"
#include "sddl.h"

struct pair {
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    ULONG client_attrs, server_attrs;
    SECURITY_STATUS last_client, last_server;
    /* The last token each side wrote, as the wire carries it to the other; and whether each side's context
     * exists yet (a failed first leg makes none). */
    unsigned char c2s[4096], s2c[4096];
    ULONG c2s_len, s2c_len;
    int client_made, server_made;
};

static SEC_WINNT_AUTH_IDENTITY_A identity_a(const char *user, const char *domain, const char *password)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)user, (ULONG)strlen(user), (unsigned char *)domain,
                                    domain ? (ULONG)strlen(domain) : 0, (unsigned char *)password,
                                    (ULONG)strlen(password), SEC_WINNT_AUTH_IDENTITY_ANSI};
    return id;
}

/* The inbound credential of the embedded domain's service account, which owns HTTP/, host/ and cifs/
 * server.example.test: a Kerberos acceptor takes tickets for its own account's SPNs only
 * (doc/semantics.md §41). */
__attribute__((unused)) static SECURITY_STATUS acquire_service_credential(const char *package, CredHandle *out)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a("svc_server", "EXAMPLE", "S3rv1ce!pass");
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, SECPKG_CRED_INBOUND, NULL, &id, NULL, NULL, out,
                                     NULL);
}

/* An explicit Kerberos credential of EXAMPLE\user for use (SECPKG_CRED_OUTBOUND or SECPKG_CRED_INBOUND), which must
 * be acquired: the Kerberos suites' one way to hold a named principal's credential. */
__attribute__((unused)) static void kerberos_credential(const char *user, const char *password, ULONG use,
                                                        CredHandle *out)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(user, "EXAMPLE", password);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", use, NULL, &id, NULL, NULL, out, NULL), SEC_E_OK);
}

/* The Kerberos suites' usual two ends: alice's outbound credential, and the inbound one of svc_server, the account
 * that owns HTTP/server.example.test (doc/semantics.md §41). The contexts start invalid, so that a test that stops
 * before a leg deletes only what it made (kerberos_ends_free). */
struct kerberos_ends {
    CredHandle cc, sc;
    CtxtHandle client, server;
};

__attribute__((unused)) static void kerberos_ends_acquire(struct kerberos_ends *e)
{
    SecInvalidateHandle(&e->client);
    SecInvalidateHandle(&e->server);
    kerberos_credential("alice", "Passw0rd!", SECPKG_CRED_OUTBOUND, &e->cc);
    kerberos_credential("svc_server", "S3rv1ce!pass", SECPKG_CRED_INBOUND, &e->sc);
}

/* Deletes the contexts that were made and frees both credentials. */
__attribute__((unused)) static void kerberos_ends_free(struct kerberos_ends *e)
{
    if (SecIsValidHandle(&e->client))
        DeleteSecurityContext(&e->client);
    if (SecIsValidHandle(&e->server))
        DeleteSecurityContext(&e->server);
    FreeCredentialsHandle(&e->cc);
    FreeCredentialsHandle(&e->sc);
}

/* Acquires both credentials; a NULL user means the default (process) credentials. */
__attribute__((unused)) static void pair_credentials(struct pair *p, const char *user, const char *password)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(user ? user : "", "EXAMPLE", password ? password : "");
    TimeStamp expiry;
    p->c2s_len = p->s2c_len = 0;
    p->client_made = p->server_made = 0;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, user ? &id : NULL, NULL,
                                                   NULL, &p->client_cred, &expiry), SEC_E_OK);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                   &p->server_cred, &expiry), SEC_E_OK);
}

/* One leg of the client, as a program that carries tokens over a socket calls it: the first (no input,
 * phContext NULL) until its context exists, then a continuation fed the server's last token. The credential
 * is passed while the pair still holds it; a test that dropped it (SecInvalidateHandle) continues with NULL,
 * as Windows allows (doc/semantics.md §7). The status, flags and token are left in the pair. */
__attribute__((unused)) static SECURITY_STATUS pair_client_step(struct pair *p, ULONG isc_req, const char *target)
{
    SecBuffer out = {sizeof p->c2s, SECBUFFER_TOKEN, p->c2s}, in = {p->s2c_len, SECBUFFER_TOKEN, p->s2c};
    SecBufferDesc out_d = {SECBUFFER_VERSION, 1, &out}, in_d = {SECBUFFER_VERSION, 1, &in};
    TimeStamp expiry;
    p->last_client = InitializeSecurityContextA(SecIsValidHandle(&p->client_cred) ? &p->client_cred : NULL,
                                                p->client_made ? &p->client : NULL, (SEC_CHAR *)target, isc_req, 0,
                                                SECURITY_NATIVE_DREP, p->client_made ? &in_d : NULL, 0, &p->client,
                                                &out_d, &p->client_attrs, &expiry);
    p->c2s_len = out.cbBuffer;
    if (!p->client_made)
        p->client_made = SEC_SUCCESS(p->last_client);
    return p->last_client;
}

/* One leg of the server, fed the client's last token: the first until its context exists, then continuations. */
__attribute__((unused)) static SECURITY_STATUS pair_server_step(struct pair *p, ULONG asc_req)
{
    SecBuffer out = {sizeof p->s2c, SECBUFFER_TOKEN, p->s2c}, in = {p->c2s_len, SECBUFFER_TOKEN, p->c2s};
    SecBufferDesc out_d = {SECBUFFER_VERSION, 1, &out}, in_d = {SECBUFFER_VERSION, 1, &in};
    TimeStamp expiry;
    p->last_server = AcceptSecurityContext(&p->server_cred, p->server_made ? &p->server : NULL, &in_d, asc_req,
                                           SECURITY_NATIVE_DREP, &p->server, &out_d, &p->server_attrs, &expiry);
    p->s2c_len = out.cbBuffer;
    if (!p->server_made)
        p->server_made = SEC_SUCCESS(p->last_server);
    return p->last_server;
}

/* Runs the three NTLM legs with the given flags; returns the server's final status. */
__attribute__((unused)) static SECURITY_STATUS pair_handshake(struct pair *p, ULONG isc_req, ULONG asc_req,
                                                              const char *target)
{
    ck_assert_sec_status(pair_client_step(p, isc_req, target), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(pair_server_step(p, asc_req), SEC_I_CONTINUE_NEEDED);
    ck_assert_sec_status(pair_client_step(p, isc_req, target), SEC_E_OK);
    if (pair_server_step(p, asc_req) == SEC_E_OK)
        ck_assert_uint_eq(p->s2c_len, 0); /* the last leg has nothing to say */
    return p->last_server;
}

__attribute__((unused)) static void pair_free(struct pair *p)
{
    DeleteSecurityContext(&p->client);
    DeleteSecurityContext(&p->server);
    FreeCredentialsHandle(&p->client_cred);
    FreeCredentialsHandle(&p->server_cred);
}

#endif
