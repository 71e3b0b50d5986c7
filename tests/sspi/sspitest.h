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
};

static SEC_WINNT_AUTH_IDENTITY_A identity_a(const char *user, const char *domain, const char *password)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)user, (ULONG)strlen(user), (unsigned char *)domain,
                                    domain ? (ULONG)strlen(domain) : 0, (unsigned char *)password,
                                    (ULONG)strlen(password), SEC_WINNT_AUTH_IDENTITY_ANSI};
    return id;
}

/* Acquires both credentials; a NULL user means the default (process) credentials. */
__attribute__((unused)) static void pair_credentials(struct pair *p, const char *user, const char *password)
{
    SEC_WINNT_AUTH_IDENTITY_A id = identity_a(user ? user : "", "EXAMPLE", password ? password : "");
    TimeStamp expiry;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, user ? &id : NULL, NULL,
                                                   NULL, &p->client_cred, &expiry), SEC_E_OK);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                                   &p->server_cred, &expiry), SEC_E_OK);
}

/* Runs the three NTLM legs with the given flags; returns the server's final status. */
__attribute__((unused)) static SECURITY_STATUS pair_handshake(struct pair *p, ULONG isc_req, ULONG asc_req,
                                                              const char *target)
{
    unsigned char c2s[4096], s2c[4096];
    SecBuffer out_c = {sizeof c2s, SECBUFFER_TOKEN, c2s}, out_s = {sizeof s2c, SECBUFFER_TOKEN, s2c};
    SecBufferDesc out_cd = {SECBUFFER_VERSION, 1, &out_c}, out_sd = {SECBUFFER_VERSION, 1, &out_s};
    SecBuffer in_c, in_s;
    SecBufferDesc in_cd = {SECBUFFER_VERSION, 1, &in_c}, in_sd = {SECBUFFER_VERSION, 1, &in_s};
    TimeStamp expiry;

    p->last_client = InitializeSecurityContextA(&p->client_cred, NULL, (SEC_CHAR *)target, isc_req, 0,
                                                SECURITY_NATIVE_DREP, NULL, 0, &p->client, &out_cd,
                                                &p->client_attrs, &expiry);
    ck_assert_sec_status(p->last_client, SEC_I_CONTINUE_NEEDED);
    in_s = (SecBuffer){out_c.cbBuffer, SECBUFFER_TOKEN, c2s};
    p->last_server = AcceptSecurityContext(&p->server_cred, NULL, &in_sd, asc_req, SECURITY_NATIVE_DREP, &p->server,
                                           &out_sd, &p->server_attrs, &expiry);
    ck_assert_sec_status(p->last_server, SEC_I_CONTINUE_NEEDED);
    in_c = (SecBuffer){out_s.cbBuffer, SECBUFFER_TOKEN, s2c};
    out_c.cbBuffer = sizeof c2s;
    p->last_client = InitializeSecurityContextA(&p->client_cred, &p->client, (SEC_CHAR *)target, isc_req, 0,
                                                SECURITY_NATIVE_DREP, &in_cd, 0, &p->client, &out_cd,
                                                &p->client_attrs, &expiry);
    ck_assert_sec_status(p->last_client, SEC_E_OK);
    in_s = (SecBuffer){out_c.cbBuffer, SECBUFFER_TOKEN, c2s};
    out_s.cbBuffer = sizeof s2c;
    p->last_server = AcceptSecurityContext(&p->server_cred, &p->server, &in_sd, asc_req, SECURITY_NATIVE_DREP,
                                           &p->server, &out_sd, &p->server_attrs, &expiry);
    if (p->last_server == SEC_E_OK)
        ck_assert_uint_eq(out_s.cbBuffer, 0); /* the last leg has nothing to say */
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
