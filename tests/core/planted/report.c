/* Plants a borrowed close and a leak, then exits: libfakesspi writes the misuse report at once and the
 * leak report at exit. tests/core/check_origin_reports.sh runs it twice and compares the two. */
#include <stdio.h>

#include "planted.h"

/* A static function, as the frames of real code are: its name must be in the report. */
static void close_the_borrowed_token(CtxtHandle *server)
{
    SecPkgContext_AccessToken borrowed;
    if (QueryContextAttributesA(server, SECPKG_ATTR_ACCESS_TOKEN, &borrowed) != SEC_E_OK)
        return;
    CloseHandle(borrowed.AccessToken); /* PLANTED: borrowed close */
}

static void leak_a_token(CtxtHandle *server)
{
    HANDLE token;
    QuerySecurityContextToken(server, &token); /* PLANTED: leak */
}

int main(void)
{
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    if (!planted_handshake(&client_cred, &server_cred, &client, &server)) {
        fprintf(stdout, "handshake failed\n");
        return 2;
    }
    close_the_borrowed_token(&server);
    leak_a_token(&server);
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
    FreeCredentialsHandle(&client_cred);
    FreeCredentialsHandle(&server_cred);
    return 0;
}
