#!/bin/sh
# The GoogleTest helpers, built as a user builds them (the public headers and libfakesspi only): the
# kit's own tests pass, and a planted leak and a wrong status fail their tests with the report and names.
set -u
if [ ! -f /usr/include/gtest/gtest.h ]; then
    [ "$(id -u)" = 0 ] && { echo "FAIL: libgtest-dev is missing (tools/deps.sh installs it)"; exit 1; }
    echo "SKIP: libgtest-dev is not installed"; exit 77
fi
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
lib="$top_builddir/.libs"
${CXX:-c++} ${SAN_FLAGS:-} -std=c++17 -Wall -Wextra -Werror -I"$top_srcdir/include" -o "$tmp/kit" "$top_srcdir/tests/gtest/test_gtest_kit.cpp" \
    -L"$lib" -Wl,-rpath,"$lib" -lfakesspi -lgtest -pthread || { echo "FAIL: the GoogleTest kit does not build"; exit 1; }
"$tmp/kit" || { echo "FAIL: the kit's own tests fail"; exit 1; }
# doc/testing.md's GoogleTest example, its text taken from the doc, builds and passes.
sh "$top_srcdir/tests/tree/doc_block.sh" gtest > "$tmp/doc_example.cpp" || exit 1
${CXX:-c++} ${SAN_FLAGS:-} -std=c++17 -Wall -Wextra -Werror -I"$top_srcdir/include" -o "$tmp/doc_example" "$tmp/doc_example.cpp" \
    -L"$lib" -Wl,-rpath,"$lib" -lfakesspi -lgtest -pthread || { echo "FAIL: doc/testing.md's GoogleTest example does not build"; exit 1; }
"$tmp/doc_example" > "$tmp/doc_example.out" 2>&1 && grep -q "\[  PASSED  \] 1 test" "$tmp/doc_example.out" ||
    { cat "$tmp/doc_example.out"; echo "FAIL: doc/testing.md's GoogleTest example does not pass"; exit 1; }
FAKESSPI_ON_MISUSE=silent "$tmp/kit" --planted > "$tmp/out" 2>&1 && { cat "$tmp/out"; echo "FAIL: the planted leak passed"; exit 1; }
status=0
for want in "libfakesspi: not clean after the test:" "was never closed" "handed out by OpenProcessToken" "[  FAILED  ] Planted.LeaksAToken" \
            "DeleteSecurityContext(nullptr) returned SEC_E_INVALID_HANDLE, expected SEC_E_OK" \
            "[  FAILED  ] Planted.NamesTheWrongStatus"; do
    grep -qF -- "$want" "$tmp/out" || { echo "FAIL: the failure text lacks: $want"; status=1; }
done
[ $status = 0 ] || cat "$tmp/out"
exit $status
