#!/bin/sh
# One command on a fresh Debian machine: install what is missing, build from scratch, and run the
# whole suite twice, plainly and under AddressSanitizer + UndefinedBehaviorSanitizer.
#   tools/check.sh           both runs
#   tools/check.sh --plain   the plain run only
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/deps.sh"
cd "$top"
./autogen.sh >/dev/null 2>&1 || ./autogen.sh
jobs=$(nproc)

run() { # run NAME CONFIGURE-ARGS...
    name=$1; shift
    echo "=== $name ($(date -u +%T)): configure $*"
    rm -rf "_build/$name" && mkdir -p "_build/$name"
    (cd "_build/$name" && ../../configure --quiet --enable-werror "$@" && make -s -j"$jobs" &&
        if ! make -s -j"$jobs" check; then cat test-suite.log; exit 1; fi)
}

run plain
[ "${1:-}" = "--plain" ] && exit 0
# Any sanitizer report fails the run: the runtime aborts on the first one.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run sanitizers --enable-sanitizers
# ThreadSanitizer for the suites that run threads; test_fork forks fewer times (each is slow under TSan).
echo "=== tsan ($(date -u +%T)): configure --enable-sanitizers=thread"
rm -rf _build/tsan && mkdir -p _build/tsan
(cd _build/tsan && ../../configure --quiet --enable-werror --enable-sanitizers=thread && make -s -j"$jobs" &&
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 FORK_ROUNDS=40 \
    make -s -j"$jobs" check TESTS="tests/core/test_brlock tests/core/test_rng tests/api/test_threads tests/api/test_fork tests/api/test_tokenapi tests/core/test_leaks tests/packages/ntlm/test_ntlm_security tests/packages/negotiate/test_negotiate" ||
    { cat test-suite.log; exit 1; })
echo "=== all tests passed ($(date -u +%T)): plainly, under ASan+UBSan, and the threaded ones under TSan"
