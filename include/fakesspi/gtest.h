/* GoogleTest helpers for tests of code ported from Windows (C++). In main(), or in a
 * ::testing::Environment of your own, call fakesspi::InstallGTestListener() after
 * ::testing::InitGoogleTest(): every test then starts from a fresh emulation (fakesspi_reset, its name
 * marked in the trace) and fails, with the report, when it leaks a handle or memory or misuses one.
 * EXPECT_SEC_STATUS / ASSERT_SEC_STATUS / EXPECT_LAST_ERROR print names, not numbers. */
#ifndef FAKESSPI_GTEST_H
#define FAKESSPI_GTEST_H

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "fakesspi.h"

namespace fakesspi {

inline std::string StatusName(LONG status)
{
    const char *name = fakesspi_status_name(status);
    char text[32];
    std::snprintf(text, sizeof text, "%#lx", static_cast<unsigned long>(static_cast<ULONG>(status)));
    return name ? std::string(name) : std::string(text);
}

inline std::string ErrorName(DWORD error)
{
    const char *name = fakesspi_error_name(error);
    return name ? std::string(name) : std::to_string(static_cast<unsigned long>(error));
}

inline ::testing::AssertionResult SecStatusIs(const char *expr, const char *, LONG actual, LONG expected)
{
    if (actual == expected)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << expr << " returned " << StatusName(actual) << ", expected "
                                         << StatusName(expected);
}

inline ::testing::AssertionResult LastErrorIs(const char *, DWORD expected)
{
    DWORD actual = GetLastError();
    if (actual == expected)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "GetLastError() is " << ErrorName(actual) << ", expected "
                                         << ErrorName(expected);
}

/* Resets before each test and judges it after: leaks and misuse since the start fail it. */
class Listener : public ::testing::EmptyTestEventListener {
public:
    void OnTestStart(const ::testing::TestInfo &test) override
    {
        fakesspi_reset();
        std::string note = std::string("start of test ") + test.test_suite_name() + "." + test.name();
        fakesspi_trace_note(note.c_str());
        fakesspi_snapshot_take(&snapshot_);
    }
    void OnTestEnd(const ::testing::TestInfo &test) override
    {
        std::string note = std::string("end of test ") + test.test_suite_name() + "." + test.name();
        fakesspi_trace_note(note.c_str());
        char *report = fakesspi_check_since(&snapshot_);
        if (report) {
            ADD_FAILURE() << "libfakesspi: not clean after the test:\n" << report;
            std::free(report);
        }
        fakesspi_reset(); /* what the test left behind is not reported again at exit */
    }

private:
    fakesspi_snapshot snapshot_{};
};

/* Appends the listener after GoogleTest's printer: OnTestEnd runs in reverse order, so the verdict is in
 * before the printer says OK or FAILED. GoogleTest owns and deletes it. */
inline void InstallGTestListener()
{
    ::testing::UnitTest::GetInstance()->listeners().Append(new Listener);
}

} // namespace fakesspi

#define EXPECT_SEC_STATUS(expr, expected) EXPECT_PRED_FORMAT2(::fakesspi::SecStatusIs, expr, expected)
#define ASSERT_SEC_STATUS(expr, expected) ASSERT_PRED_FORMAT2(::fakesspi::SecStatusIs, expr, expected)
#define EXPECT_LAST_ERROR(expected) EXPECT_PRED_FORMAT1(::fakesspi::LastErrorIs, expected)

#endif
