#!/bin/sh
# Runs every Check suite of a built tree under valgrind memcheck; any error or definite leak fails.
#   tools/valgrind.sh [BUILD_DIR]      (default _build/plain, as tools/check.sh leaves it)
set -eu
build=${1:-_build/plain}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
# Fewer rounds of the two suites whose loops take minutes under valgrind (a million forged handles, 200 forks).
export top_srcdir=$(cd "$(dirname "$0")/.." && pwd) FUZZ_ITERATIONS=20000 FORK_ROUNDS=20 CK_DEFAULT_TIMEOUT=600
status=0
for t in "$build"/tests/*/test_* "$build"/tests/*/*/test_* "$build"/doc/example/test_*; do
    [ -x "$t" ] && [ -f "$t" ] || continue
    case "$t" in *.o|*.log|*.trs) continue ;; esac
    # libtool runs the real binary behind its wrapper, with the library path set.
    rc=0
    "$build/libtool" --mode=execute valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --suppressions="$top_srcdir/tests/interop/peer-leaks.valgrind.supp" --trace-children=no "$t" > "/tmp/valgrind.$(basename "$t").log" 2>&1 || rc=$?
    case $rc in
    0) echo "PASS: $t" ;;
    77) echo "SKIP: $t ($(grep -m1 '^SKIP' "/tmp/valgrind.$(basename "$t").log"))" ;; # it says why
    *) echo "FAIL: $t (see /tmp/valgrind.$(basename "$t").log)"; status=1 ;;
    esac
done
exit $status
