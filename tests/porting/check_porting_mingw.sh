#!/bin/sh
# The programs of tests/porting, cross-compiled and linked with MinGW-w64 against Windows' own headers and import
# libraries: they are Windows code, not code written for us (check_porting.sh builds and runs them against ours).
# Nothing here depends on how libfakesspi was configured, so sanitizer builds leave this test out (Makefile.am).
set -eu
: "${top_srcdir:=.}"
src="$top_srcdir/tests/porting"
programs=$(cd "$src" && for f in *.c; do printf '%s ' "${f%.c}"; done) # every program of the directory
if ! command -v x86_64-w64-mingw32-gcc >/dev/null || ! command -v x86_64-w64-mingw32-g++ >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        echo "FAIL: x86_64-w64-mingw32-gcc/g++ missing (tools/deps.sh installs gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64)"
        exit 1
    fi
    echo "SKIP: MinGW-w64 cross compilers not installed (gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64)"
    exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0
for p in $programs; do
    for build in "x86_64-w64-mingw32-gcc -std=gnu11" "x86_64-w64-mingw32-g++ -x c++ -std=c++17"; do
        $build -Wall -Werror -o "$tmp/$p.exe" "$src/$p.c" -lsecur32 -lnetapi32 -ladvapi32 -lws2_32 2>"$tmp/err" ||
            { cat "$tmp/err"; echo "FAIL: $p does not build with $build"; status=1; }
    done
done
[ $status -eq 0 ] && echo "PASS: $programs built and linked with MinGW-w64 (gnu11, c++17) against Windows' headers"
exit $status
