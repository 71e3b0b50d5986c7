/* Shared by the Check suites: a clean emulation per test, misuse capture, readable failures (statuses and last
 * errors by name, through the project's own fakesspi/check.h). */
#ifndef FS_TESTUTIL_H
#define FS_TESTUTIL_H

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakesspi.h"
#include "fakesspi/check.h" /* ck_assert_sec_status, ck_assert_last_error: what users of the library get */
#include "windows.h"

/* The last misuse report and how many arrived since the fixture ran. */
__attribute__((unused)) static char test_last_report[8192];
__attribute__((unused)) static int test_reports;

__attribute__((unused)) static pthread_mutex_t test_capture_lock = PTHREAD_MUTEX_INITIALIZER;

/* Misuse callbacks run on whichever thread misused: the capture takes a lock. */
__attribute__((unused)) static void test_capture(fakesspi_misuse_kind kind, const char *report, void *arg)
{
    (void)kind;
    (void)arg;
    pthread_mutex_lock(&test_capture_lock);
    snprintf(test_last_report, sizeof test_last_report, "%s", report);
    test_reports++;
    pthread_mutex_unlock(&test_capture_lock);
}

/* Each test starts from a clean emulation that records misuse silently (the tests assert on it). */
__attribute__((unused)) static void test_setup(void)
{
    fakesspi_reset();
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    fakesspi_set_misuse_callback(test_capture, NULL);
    test_last_report[0] = '\0';
    test_reports = 0;
}

/* Each test ends clean: the forked child must not report at exit what a test left behind on purpose. */
__attribute__((unused)) static void test_teardown(void)
{
    fakesspi_set_misuse_callback(NULL, NULL);
    fakesspi_reset();
}

/* An LSA function's NTSTATUS, checked as SECURITY_STATUS values are: fakesspi_status_name names both. */
#define ck_assert_nt(expr, expected) ck_assert_sec_status(expr, expected)

#define ck_assert_misuse(kind, n) \
    ck_assert_msg(fakesspi_misuse_count(FAKESSPI_MISUSE_##kind) == (size_t)(n), \
                  "%s misuse count %zu, expected %d", #kind, fakesspi_misuse_count(FAKESSPI_MISUSE_##kind), (int)(n))

/* Wine's habit for out-parameters of a call that must fail: fill them with a sentinel first (the bytes of
 * 0xdeadbeef, repeated), then check that the call left every byte as it was.
 *   PSecPkgInfoA info;
 *   SENTINEL(info);
 *   ck_assert_sec_status(QuerySecurityPackageInfoA("Winetest", &info), SEC_E_SECPKG_NOT_FOUND);
 *   ck_assert_untouched(info); */
static const uint8_t sentinel_pattern[4] = {0xef, 0xbe, 0xad, 0xde};

__attribute__((unused)) static void sentinel_fill(void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ((uint8_t *)p)[i] = sentinel_pattern[i % 4];
}

__attribute__((unused)) static int sentinel_intact(const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (((const uint8_t *)p)[i] != sentinel_pattern[i % 4])
            return 0;
    return 1;
}

#define SENTINEL(var) sentinel_fill(&(var), sizeof(var))
#define ck_assert_untouched(var) \
    ck_assert_msg(sentinel_intact(&(var), sizeof(var)), "%s was written by a call that failed", #var)

/* Asserts that the needles appear in text in this order; a failure shows the whole text. */
__attribute__((unused)) static void assert_in_order(const char *text, const char *const *needles, size_t n)
{
    ck_assert_msg(text != NULL, "no text at all");
    const char *at = text;
    for (size_t i = 0; i < n; i++) {
        const char *hit = strstr(at, needles[i]);
        ck_assert_msg(hit != NULL, "'%s' missing or out of order after offset %td in:\n%s", needles[i], at - text,
                      text);
        at = hit + strlen(needles[i]);
    }
}

/* Hex text (no spaces) to bytes; returns the count. For known-answer tests. */
__attribute__((unused)) static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++)
        sscanf(hex + 2 * i, "%2hhx", &out[i]);
    return n;
}

#define ck_assert_hex(bytes, len, hex)                                                   \
    do {                                                                                 \
        uint8_t want_[1024];                                                             \
        size_t want_len_ = unhex(hex, want_);                                            \
        ck_assert_uint_eq((len), want_len_);                                             \
        ck_assert_msg(!memcmp((bytes), want_, want_len_), "bytes differ from %s", hex); \
    } while (0)

/* A capture from tests/data/windows-tokens into buf; returns its size. */
__attribute__((unused)) static size_t read_capture(const char *name, uint8_t *buf, size_t cap)
{
    char path[512];
    snprintf(path, sizeof path, "%s/windows-tokens/%s", TEST_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* Runs one suite; the exit status is what automake's test driver reads. */
__attribute__((unused)) static int test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* A TCase with the fixture, in one line. */
__attribute__((unused)) static TCase *test_case(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, test_setup, test_teardown);
    return tc;
}

#endif
