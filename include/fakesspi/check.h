/* Check (libcheck) helpers for tests of code that uses libfakesspi. Header-only: include it after
 * <check.h> only in test programs; libfakesspi itself never links Check.
 *
 *   #include <check.h>
 *   #include <fakesspi/check.h>
 *
 *   START_TEST(login_works)
 *   {
 *       ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, NULL,
 *                                                      NULL, NULL, &cred, NULL), SEC_E_OK);
 *       ...
 *   }
 *   END_TEST
 *   ...
 *   TCase *tc = tcase_create("login");
 *   fakesspi_ck_fixture(tc);      // reset before each test; fail it on any leak or misuse after it
 *
 * A test that provokes misuse on purpose says so: fakesspi_ck_expect_misuse(FAKESSPI_MISUSE_DOUBLE_CLOSE, 1).
 * With Check's default fork mode the fixture runs in each test's own process. */
#ifndef FAKESSPI_CHECK_H
#define FAKESSPI_CHECK_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakesspi.h"
#include "sspi.h"
#include "windows.h"

static fakesspi_snapshot fakesspi_ck_snapshot_;
static size_t fakesspi_ck_expected_[FAKESSPI_MISUSE_KIND_COUNT];

/* Reports still go to stderr as they happen; the teardown turns them into a failure. */
static inline void fakesspi_ck_setup(void)
{
    fakesspi_reset();
    memset(fakesspi_ck_expected_, 0, sizeof fakesspi_ck_expected_);
    fakesspi_snapshot_take(&fakesspi_ck_snapshot_);
}

static inline void fakesspi_ck_expect_misuse(fakesspi_misuse_kind kind, size_t count)
{
    if ((unsigned)kind < FAKESSPI_MISUSE_KIND_COUNT)
        fakesspi_ck_expected_[kind] += count;
}

static inline void fakesspi_ck_teardown(void)
{
    /* The trace goes on across tests (one file per run): mark where this one ended, by name. */
    char note[256];
    snprintf(note, sizeof note, "end of test %s", tcase_name() ? tcase_name() : "?");
    fakesspi_trace_note(note);
    /* Expected misuse is taken out of the comparison before anything is judged. */
    fakesspi_snapshot base = fakesspi_ck_snapshot_;
    for (int k = 0; k < FAKESSPI_MISUSE_KIND_COUNT; k++)
        base.counts.misuse[k] += fakesspi_ck_expected_[k];
    char *report = fakesspi_check_since(&base);
    if (report) {
        char text[4096];
        snprintf(text, sizeof text, "libfakesspi: not clean after the test:\n%s", report);
        free(report);
        ck_abort_msg("%s", text);
    }
}

static inline void fakesspi_ck_fixture(TCase *tc)
{
    tcase_add_checked_fixture(tc, fakesspi_ck_setup, fakesspi_ck_teardown);
}

static inline const char *fakesspi_ck_status_(LONG s)
{
    const char *name = fakesspi_status_name(s);
    return name ? name : "an unknown status";
}

static inline const char *fakesspi_ck_error_(DWORD e)
{
    const char *name = fakesspi_error_name(e);
    return name ? name : "an unknown error";
}

/* Fails with the names of both statuses, not their numbers. */
#define ck_assert_sec_status(expr, expected)                                                          \
    do {                                                                                              \
        LONG fakesspi_got_ = (LONG)(expr), fakesspi_want_ = (LONG)(expected);                         \
        ck_assert_msg(fakesspi_got_ == fakesspi_want_, "%s returned %s (0x%08lx), expected %s (0x%08lx)", \
                      #expr, fakesspi_ck_status_(fakesspi_got_), (unsigned long)(uint32_t)fakesspi_got_,  \
                      fakesspi_ck_status_(fakesspi_want_), (unsigned long)(uint32_t)fakesspi_want_);     \
    } while (0)

#define ck_assert_last_error(expected)                                                                 \
    do {                                                                                               \
        DWORD fakesspi_got_ = GetLastError(), fakesspi_want_ = (DWORD)(expected);                      \
        ck_assert_msg(fakesspi_got_ == fakesspi_want_, "GetLastError() is %s (%lu), expected %s (%lu)", \
                      fakesspi_ck_error_(fakesspi_got_), (unsigned long)fakesspi_got_,                 \
                      fakesspi_ck_error_(fakesspi_want_), (unsigned long)fakesspi_want_);              \
    } while (0)

#endif
