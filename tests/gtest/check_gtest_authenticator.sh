#!/bin/sh
# A ported Windows C++ class (tests/gtest/ported/, unchanged Windows code) and its GoogleTest tests, built as a
# user builds them (the public headers and libfakesspi only, UNICODE as a Windows project sets it): every test
# passes, each under the kit's listener (a reset per test, leaks and misuse fail it).
set -u
if [ ! -f /usr/include/gtest/gtest.h ]; then
    [ "$(id -u)" = 0 ] && { echo "FAIL: libgtest-dev is missing (tools/deps.sh installs it)"; exit 1; }
    echo "SKIP: libgtest-dev is not installed"; exit 77
fi
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
lib="$top_builddir/.libs"
${CXX:-c++} ${SAN_FLAGS:-} -std=c++17 -Wall -Wextra -Werror -DUNICODE -I"$top_srcdir/include" -I"$top_srcdir/tests/gtest" \
    -o "$tmp/authenticator" "$top_srcdir/tests/gtest/test_server_authenticator.cpp" \
    "$top_srcdir/tests/gtest/ported/server_authenticator.cpp" -L"$lib" -Wl,-rpath,"$lib" -lfakesspi -lgtest -pthread ||
    { echo "FAIL: the ported authenticator or its tests do not build"; exit 1; }
"$tmp/authenticator" > "$tmp/out" 2>&1 && grep -q "\[  PASSED  \] 6 tests" "$tmp/out" ||
    { cat "$tmp/out"; echo "FAIL: the ported authenticator's tests fail"; exit 1; }
grep -E "^\[       OK \]|^walked" "$tmp/out"
