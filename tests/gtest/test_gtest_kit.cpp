// The GoogleTest helpers (fakesspi/gtest.h): names in failures, a reset per test, leaks fail the test.
// Run with --planted-leak it runs only the test that leaks, which must fail with the report.
#define SECURITY_WIN32
#include <cstring>

#include "windows.h"
#include "security.h"
#include "fakesspi/gtest.h"

TEST(Kit, StatusesAndLastErrorsPassByValue)
{
    CredHandle cred;
    ASSERT_SEC_STATUS(AcquireCredentialsHandleA(nullptr, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, nullptr, nullptr,
                                                nullptr, nullptr, &cred, nullptr), SEC_E_OK);
    EXPECT_SEC_STATUS(FreeCredentialsHandle(&cred), SEC_E_OK);
    HANDLE h;
    EXPECT_FALSE(LogonUserA("bob", "EXAMPLE", "wrong", LOGON32_LOGON_NETWORK, 0, &h));
    EXPECT_LAST_ERROR(ERROR_LOGON_FAILURE);
}

TEST(Kit, EachTestStartsClean)
{
    fakesspi_counts c;
    fakesspi_get_counts(&c);
    EXPECT_EQ(c.live_handles, 0u);
}

TEST(Planted, LeaksAToken)
{
    HANDLE h;
    ASSERT_TRUE(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &h));
}

TEST(Planted, NamesTheWrongStatus)
{
    EXPECT_SEC_STATUS(DeleteSecurityContext(nullptr), SEC_E_OK);
}

int main(int argc, char **argv)
{
    bool planted = argc > 1 && !std::strcmp(argv[1], "--planted");
    ::testing::InitGoogleTest(&argc, argv);
    ::testing::GTEST_FLAG(filter) = planted ? "Planted.*" : "Kit.*";
    fakesspi::InstallGTestListener();
    return RUN_ALL_TESTS();
}
