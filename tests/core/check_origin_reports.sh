#!/bin/sh
# A misuse failure names its origin (doc/testing.md, "When a test fails with misuse"):
# 1. two runs of a program with a planted borrowed close and a leak, separate processes with the
#    address-space layout randomised, write byte-identical misuse and leak reports, whose stacks name
#    the planted lines (function, file:line; a static function too) and print no absolute address;
# 2. a Check suite with the same borrowed close fails, and its failure message carries the report:
#    handle, kind, who handed it out and who misused it, with the file:line of the CloseHandle.
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
src="$top_srcdir/tests/core/planted"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
line_of() { grep -n "PLANTED: $2" "$src/$1" | cut -d: -f1; }

[ "$(cat /proc/sys/kernel/randomize_va_space 2>/dev/null || echo 2)" != 0 ] ||
    echo "note: address-space randomisation is off on this machine; the comparison is weaker"

for run in 1 2; do
    FAKESSPI_SEED=7 FAKESSPI_BACKTRACE=1 "$top_builddir/tests/core/planted/report" > "$tmp/out$run" 2> "$tmp/err$run" ||
        fail "the planted program exited with $? ($(cat "$tmp/out$run"))"
done
cat "$tmp/err1"
cmp "$tmp/err1" "$tmp/err2" || { diff "$tmp/err1" "$tmp/err2"; fail "two runs wrote different reports"; }
close_line=$(line_of report.c "borrowed close")
leak_line=$(line_of report.c "leak")
grep -q '^fakesspi: MISUSE CLOSE_BORROWED: CloseHandle' "$tmp/err1" || fail "no misuse report"
grep -q '^fakesspi: LEAK ' "$tmp/err1" || fail "no leak report"
grep -q "#0 close_the_borrowed_token at .*tests/core/planted/report.c:$close_line\$" "$tmp/err1" ||
    fail "the misuse is not placed at report.c:$close_line in a static function"
grep -q "#0 leak_a_token at .*tests/core/planted/report.c:$leak_line\$" "$tmp/err1" ||
    fail "the leak is not placed at report.c:$leak_line"
grep -q "#1 main at .*tests/core/planted/report.c:" "$tmp/err1" || fail "main is not the next frame"
if grep -E '0x[0-9a-f]{9,}' "$tmp/err1"; then fail "an absolute address is printed"; fi

# 3. doc/testing.md's recipe: FAKESSPI_ON_MISUSE=abort under gdb stops in the misused call, the planted
#    line among the frames.
if command -v gdb > /dev/null 2>&1; then
    FAKESSPI_ON_MISUSE=abort "$top_builddir/libtool" --mode=execute gdb -q -batch -ex run -ex bt \
        --args "$top_builddir/tests/core/planted/report" > "$tmp/gdb" 2>&1 || true
    grep -q "SIGABRT" "$tmp/gdb" || { cat "$tmp/gdb"; fail "gdb did not stop on the abort"; }
    grep -q "CloseHandle" "$tmp/gdb" && grep -q "close_the_borrowed_token .*report.c:$close_line" "$tmp/gdb" ||
        { cat "$tmp/gdb"; fail "gdb's backtrace lacks the misused call"; }
    # The doc's own command, its text taken from doc/testing.md, with the planted Check suite (its borrowed
    # close unexpected, as in a suite that has the bug) standing for ./test_gate.
    mkdir "$tmp/gdb-recipe"
    sh "$top_srcdir/tests/tree/doc_block.sh" gdb > "$tmp/gdb-recipe/run.sh"
    suite="$top_builddir/tests/core/planted/.libs/check_suite" # libtool's real program behind its wrapper
    [ -f "$suite" ] || suite="$top_builddir/tests/core/planted/check_suite"
    ln -s "$(cd "$(dirname "$suite")" && pwd)/check_suite" "$tmp/gdb-recipe/test_gate"
    libs=$(cd "$top_builddir/.libs" && pwd)
    (cd "$tmp/gdb-recipe" && LD_LIBRARY_PATH="$libs" timeout 300 sh -e run.sh < /dev/null > out 2>&1) || true
    suite_line=$(line_of check_suite.c "borrowed close")
    grep -q "SIGABRT" "$tmp/gdb-recipe/out" && grep -q "CloseHandle" "$tmp/gdb-recipe/out" &&
        grep -q "check_suite.c:$suite_line" "$tmp/gdb-recipe/out" ||
        { cat "$tmp/gdb-recipe/out"; fail "doc/testing.md's gdb recipe did not stop at the misused CloseHandle"; }
else
    [ "$(id -u)" = 0 ] && fail "gdb is missing (tools/deps.sh installs it)"
    echo "note: no gdb here; the FAKESSPI_ON_MISUSE=abort recipe is not run"
fi

status=0
CK_FORK=yes FAKESSPI_BACKTRACE=1 "$top_builddir/tests/core/planted/check_suite" > "$tmp/check" 2>&1 || status=$?
cat "$tmp/check"
[ "$status" != 0 ] || fail "the planted Check test passed"
close_line=$(line_of check_suite.c "borrowed close")
message=$(sed -n '/:borrowed:the_server_closes_what_it_borrowed:/,$p' "$tmp/check")
[ -n "$message" ] || fail "no failure line"
for want in "1 x MISUSE CLOSE_BORROWED since the snapshot" "fakesspi: MISUSE CLOSE_BORROWED: CloseHandle" \
    "handle:      0x" "(token, BORROWED)" "handed out by QueryContextAttributesA" "misused by   CloseHandle" \
    "#0 the_server_closes_what_it_borrowed_fn at " "tests/core/planted/check_suite.c:$close_line"; do
    printf '%s\n' "$message" | grep -qF -- "$want" || fail "the failure message lacks '$want'"
done
echo "PASS"
