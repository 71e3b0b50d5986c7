/* A Check suite as a user writes one, with fakesspi/check.h's fixture and one planted borrowed close:
 * its test must fail with the report in the message (tests/core/check_origin_reports.sh). */
#include <check.h>
#include <fakesspi/check.h>
#include <stdlib.h>

#include "planted.h"

START_TEST(the_server_closes_what_it_borrowed)
{
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    ck_assert(planted_handshake(&client_cred, &server_cred, &client, &server));
    SecPkgContext_AccessToken borrowed;
    ck_assert_sec_status(QueryContextAttributesA(&server, SECPKG_ATTR_ACCESS_TOKEN, &borrowed), SEC_E_OK);
    CloseHandle(borrowed.AccessToken); /* PLANTED: borrowed close */
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
    FreeCredentialsHandle(&client_cred);
    FreeCredentialsHandle(&server_cred);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("planted");
    TCase *tc = tcase_create("borrowed");
    fakesspi_ck_fixture(tc);
    tcase_add_test(tc, the_server_closes_what_it_borrowed);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
