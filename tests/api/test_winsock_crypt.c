/* The porting aids around SSPI: Winsock's start-up bookkeeping and error codes, and CryptoAPI's
 * base64/hex conversions that HTTP authentication code uses for its tokens. */
#include <unistd.h>

#include "testutil.h"
#include "winsock2.h"
#include "wincrypt.h"

START_TEST(wsastartup_grants_two_two_and_cleanup_counts)
{
    WSADATA wsa;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
    ck_assert_uint_eq(wsa.wVersion, MAKEWORD(2, 2));
    ck_assert_uint_eq(wsa.wHighVersion, MAKEWORD(2, 2));
    ck_assert_int_eq(WSAStartup(MAKEWORD(1, 1), &wsa), 0);
    ck_assert_uint_eq(wsa.wVersion, MAKEWORD(1, 1));
    ck_assert_int_eq(WSAStartup(MAKEWORD(3, 0), &wsa), 0);
    ck_assert_uint_eq(wsa.wVersion, MAKEWORD(2, 2));
    ck_assert_int_eq(WSAStartup(MAKEWORD(0, 9), &wsa), WSAVERNOTSUPPORTED);
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), NULL), WSAEFAULT);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(WSACleanup(), 0);
    ck_assert_int_eq(WSACleanup(), SOCKET_ERROR);
    ck_assert_int_eq(WSAGetLastError(), WSANOTINITIALISED);
}
END_TEST

/* What WSAStartup writes to stderr, once started with the environment's seed setting. */
static void startup_stderr(const char *seed, int set_seed, char *text, size_t cap)
{
    if (seed)
        setenv("FAKESSPI_SEED", seed, 1);
    else
        unsetenv("FAKESSPI_SEED");
    fakesspi_reset();
    unsetenv("FAKESSPI_SEED");
    if (set_seed)
        fakesspi_set_seed(7);
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    WSADATA wsa;
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
        ck_assert_int_eq(WSACleanup(), 0);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    size_t n = fread(text, 1, cap - 1, tmp);
    text[n] = '\0';
    fclose(tmp);
}

/* Each test runs in its own process, so the once-per-process warning is fresh in each. */
START_TEST(a_network_program_on_the_default_seed_is_warned_once)
{
    char text[2048];
    startup_stderr(NULL, 0, text, sizeof text);
    const char *w = strstr(text, "fakesspi: warning: FAKESSPI_SEED is not set, so every challenge, session key and "
                                 "ticket key is the same in every run; never use the default where the traffic matters");
    ck_assert_msg(w != NULL, "got: %s", text);
    ck_assert_msg(!strstr(w + 20, "FAKESSPI_SEED is not set"), "twice: %s", text);
}
END_TEST

START_TEST(a_chosen_seed_is_not_warned_about)
{
    char text[2048];
    startup_stderr("random", 0, text, sizeof text);
    ck_assert_str_eq(text, "");
}
END_TEST

START_TEST(a_seed_set_through_the_control_api_is_not_warned_about)
{
    char text[2048];
    startup_stderr("0", 0, text, sizeof text);
    ck_assert_str_eq(text, ""); /* FAKESSPI_SEED=0 is a choice too */
    startup_stderr(NULL, 1, text, sizeof text);
    ck_assert_str_eq(text, "");
}
END_TEST

START_TEST(socket_errors_read_as_wsa_codes)
{
    WSASetLastError(0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert(s != INVALID_SOCKET);
    SOCKADDR_IN addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(1); /* nothing listens on port 1 of loopback */
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(s, (SOCKADDR *)&addr, sizeof addr), SOCKET_ERROR);
    ck_assert_int_eq(WSAGetLastError(), WSAECONNREFUSED);
    ck_assert_int_eq(closesocket(s), 0);
    ck_assert_int_eq(closesocket(s), SOCKET_ERROR);
    ck_assert_int_eq(WSAGetLastError(), WSAEBADF);
    WSASetLastError(WSAEWOULDBLOCK);
    ck_assert_int_eq(WSAGetLastError(), WSAEWOULDBLOCK);
    WSASetLastError(0);
    ck_assert_int_eq(WSAGetLastError(), 0);
}
END_TEST

/* Windows keeps one value per thread: GetLastError after a failed socket call is its WSA code, and
 * WSASetLastError and SetLastError set the same value. */
START_TEST(get_last_error_and_wsa_get_last_error_are_one_value)
{
    SetLastError(0xdeadbeef);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert(s != INVALID_SOCKET);
    SOCKADDR_IN addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(1);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(s, (SOCKADDR *)&addr, sizeof addr), SOCKET_ERROR);
    ck_assert_uint_eq(GetLastError(), WSAECONNREFUSED);
    ck_assert_int_eq(WSAGetLastError(), WSAECONNREFUSED);
    ck_assert_int_eq(closesocket(s), 0);

    WSASetLastError(WSAEWOULDBLOCK);
    ck_assert_uint_eq(GetLastError(), WSAEWOULDBLOCK);
    SetLastError(ERROR_ACCESS_DENIED);
    ck_assert_int_eq(WSAGetLastError(), ERROR_ACCESS_DENIED);

    /* A Win32 call of ours that fails sets its own code, whatever it did to errno inside. */
    char sid[SECURITY_MAX_SID_SIZE], domain[64];
    DWORD cb = sizeof sid, cch = sizeof domain;
    SID_NAME_USE use;
    errno = ECONNRESET;
    ck_assert(!LookupAccountNameA(NULL, "nobody-at-all", sid, &cb, domain, &cch, &use));
    ck_assert_uint_eq(GetLastError(), ERROR_NONE_MAPPED);
    ck_assert_int_eq(WSAGetLastError(), ERROR_NONE_MAPPED);
}
END_TEST

START_TEST(binary_to_base64_asks_then_fills_with_windows_line_breaks)
{
    BYTE data[60];
    for (int i = 0; i < 60; i++)
        data[i] = (BYTE)i;
    DWORD need = 0;
    ck_assert(CryptBinaryToStringA(data, sizeof data, CRYPT_STRING_BASE64, NULL, &need));
    ck_assert_uint_eq(need, 80 + 2 * 2 + 1); /* 80 characters in lines of 64, CRLF after each, NUL */
    char text[128];
    DWORD len = need - 1;
    SetLastError(0);
    ck_assert(!CryptBinaryToStringA(data, sizeof data, CRYPT_STRING_BASE64, text, &len));
    ck_assert_last_error(ERROR_MORE_DATA);
    len = sizeof text;
    ck_assert(CryptBinaryToStringA(data, sizeof data, CRYPT_STRING_BASE64, text, &len));
    ck_assert_uint_eq(len, need - 1);
    ck_assert(!memcmp(text + 64, "\r\n", 2));
    ck_assert(!memcmp(text + len - 2, "\r\n", 2));
    len = sizeof text;
    ck_assert(CryptBinaryToStringA((const BYTE *)"hello", 5, CRYPT_STRING_BASE64 | CRYPT_STRING_NOCRLF, text, &len));
    ck_assert_str_eq(text, "aGVsbG8=");
    ck_assert_uint_eq(len, 8);
    len = sizeof text;
    ck_assert(CryptBinaryToStringA((const BYTE *)"\x01\xab", 2, CRYPT_STRING_HEXRAW | CRYPT_STRING_NOCRLF, text, &len));
    ck_assert_str_eq(text, "01ab");
    ck_assert(!CryptBinaryToStringA((const BYTE *)"x", 1, CRYPT_STRING_BINARY, text, &len));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(base64_to_binary_skips_whitespace_and_refuses_garbage)
{
    BYTE out[16];
    DWORD len = 0, skip = 9, flags = 9;
    ck_assert(CryptStringToBinaryA("aGVs\r\nbG8=", 0, CRYPT_STRING_BASE64, NULL, &len, NULL, NULL));
    ck_assert_uint_eq(len, 5);
    len = 4;
    ck_assert(!CryptStringToBinaryA("aGVsbG8=", 0, CRYPT_STRING_BASE64, out, &len, NULL, NULL));
    ck_assert_last_error(ERROR_MORE_DATA);
    ck_assert_uint_eq(len, 5);
    len = sizeof out;
    ck_assert(CryptStringToBinaryA("aGVsbG8=", 0, CRYPT_STRING_BASE64, out, &len, &skip, &flags));
    ck_assert_uint_eq(len, 5);
    ck_assert(!memcmp(out, "hello", 5));
    ck_assert_uint_eq(skip, 0);
    ck_assert_uint_eq(flags, CRYPT_STRING_BASE64);
    len = sizeof out;
    ck_assert(CryptStringToBinaryA("aGVsbG8=garbage", 8, CRYPT_STRING_BASE64, out, &len, NULL, NULL));
    ck_assert_uint_eq(len, 5);
    len = sizeof out;
    ck_assert(!CryptStringToBinaryA("not*base64", 0, CRYPT_STRING_BASE64, out, &len, NULL, NULL));
    ck_assert_last_error(ERROR_INVALID_DATA);
    ck_assert(!CryptStringToBinaryA("0g", 0, CRYPT_STRING_HEXRAW, out, &len, NULL, NULL));
    ck_assert_last_error(ERROR_INVALID_DATA);
    len = sizeof out;
    ck_assert(CryptStringToBinaryA("01 AB", 0, CRYPT_STRING_HEXRAW, out, &len, NULL, NULL));
    ck_assert_uint_eq(len, 2);
    ck_assert_uint_eq(out[1], 0xab);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/winsock-crypt");
    TCase *tc = test_case("porting-aids");
    tcase_add_test(tc, wsastartup_grants_two_two_and_cleanup_counts);
    tcase_add_test(tc, socket_errors_read_as_wsa_codes);
    tcase_add_test(tc, get_last_error_and_wsa_get_last_error_are_one_value);
    tcase_add_test(tc, a_network_program_on_the_default_seed_is_warned_once);
    tcase_add_test(tc, a_chosen_seed_is_not_warned_about);
    tcase_add_test(tc, a_seed_set_through_the_control_api_is_not_warned_about);
    tcase_add_test(tc, binary_to_base64_asks_then_fills_with_windows_line_breaks);
    tcase_add_test(tc, base64_to_binary_skips_whitespace_and_refuses_garbage);
    suite_add_tcase(s, tc);
    return test_run(s);
}
