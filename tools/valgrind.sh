#!/bin/sh
# Runs every Check suite of a built tree under valgrind memcheck; any error or definite leak fails.
#   tools/valgrind.sh [BUILD_DIR]      (default _build/plain, as tools/check.sh leaves it)
# The suites run side by side, one per core (VALGRIND_JOBS overrides): valgrind runs a program on one
# thread at a time, so a serial pass leaves all but one core idle and is the longest step of CI.
set -eu
build=${1:-_build/plain}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
# Fewer rounds of the two suites whose loops take minutes under valgrind (a million forged handles, 200 forks).
# Suites that set their own timeout get it doubled: two suites side by side on a busy machine run slower than one.
export top_srcdir=$(cd "$(dirname "$0")/.." && pwd) FUZZ_ITERATIONS=20000 FORK_ROUNDS=20 CK_DEFAULT_TIMEOUT=600 \
    CK_TIMEOUT_MULTIPLIER=2

if [ "${1:-}" = --one ]; then # --one BUILD_DIR SUITE: one suite, its verdict on one line
    build=$2 t=$3 log="/tmp/valgrind.$(basename "$3").log" rc=0
    # libtool runs the real binary behind its wrapper, with the library path set.
    "$build/libtool" --mode=execute valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --suppressions="$top_srcdir/tests/interop/peer-leaks.valgrind.supp" --trace-children=no "$t" > "$log" 2>&1 || rc=$?
    case $rc in
    0) echo "PASS: $t" ;;
    77) echo "SKIP: $t ($(grep -m1 '^SKIP' "$log"))" ;; # it says why
    *) echo "FAIL: $t (see $log)" ;;
    esac
    exit 0
fi

suites=$(for t in "$build"/tests/*/test_* "$build"/tests/*/*/test_* "$build"/doc/example/test_*; do
    [ -x "$t" ] && [ -f "$t" ] || continue
    case "$t" in *.o|*.log|*.trs) continue ;; esac
    echo "$t"
done)
verdicts=$(printf '%s\n' "$suites" | xargs -P "${VALGRIND_JOBS:-$(nproc)}" -I{} "$0" --one "$build" {})
printf '%s\n' "$verdicts" | sort
printf '%s\n' "$verdicts" | grep -q '^FAIL' && exit 1
[ "$(printf '%s\n' "$verdicts" | grep -c -E '^(PASS|SKIP)')" = "$(printf '%s\n' "$suites" | grep -c .)" ] ||
    { echo "valgrind: a suite gave no verdict"; exit 1; }
exit 0
