#!/bin/sh
# One command on a fresh Debian machine: install what is missing, build from scratch, and run the
# whole suite twice, plainly and under AddressSanitizer + UndefinedBehaviorSanitizer.
# The plain run is `make distcheck`: the suite runs in a tree built from the release tarball, which proves the
# tarball whole, and the build in _build/plain is left with its test programs (tools/valgrind.sh runs them).
#   tools/check.sh           both runs
#   tools/check.sh --plain   the plain run only
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/deps.sh"
cd "$top"
./autogen.sh >/dev/null 2>&1 || ./autogen.sh
jobs=$(nproc)

configure() { # configure NAME CONFIGURE-ARGS...: a fresh, built tree in _build/NAME
    name=$1; shift
    echo "=== $name ($(date -u +%T)): configure $*"
    rm -rf "_build/$name" && mkdir -p "_build/$name"
    (cd "_build/$name" && ../../configure --quiet --enable-werror "$@" && make -s -j"$jobs")
}

configure plain
(cd _build/plain && make -s -j"$jobs" check TESTS= &&
    if ! make -s -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror > distcheck.log 2>&1; then
        tail -40 distcheck.log; cat libfakesspi-*/_build/sub/test-suite.log 2>/dev/null; exit 1
    fi && grep -E "^# (TOTAL|PASS|SKIP|FAIL|XFAIL|XPASS|ERROR):|archives ready for distribution" distcheck.log)
[ "${1:-}" = "--plain" ] && exit 0
# Any sanitizer report fails the run: the runtime aborts on the first one.
configure sanitizers --enable-sanitizers
(cd _build/sanitizers && if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 make -s -j"$jobs" check; then cat test-suite.log; exit 1; fi)
# ThreadSanitizer for the suites that run threads, and only those built; test_fork forks fewer times (each is slow
# under TSan).
threaded="tests/core/test_brlock tests/core/test_handles tests/core/test_rng tests/api/test_threads tests/api/test_fork tests/api/test_tokenapi tests/core/test_leaks tests/packages/ntlm/test_ntlm_security tests/packages/negotiate/test_negotiate"
configure tsan --enable-sanitizers=thread
(cd _build/tsan && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 FORK_ROUNDS=40 \
    make -s -j"$jobs" check TESTS="$threaded" check_PROGRAMS="$threaded" || { cat test-suite.log; exit 1; })
echo "=== all tests passed ($(date -u +%T)): plainly, under ASan+UBSan, and the threaded ones under TSan"
