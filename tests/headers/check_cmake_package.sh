#!/bin/sh
# A CMake project finds the installed library as ported CMake projects do: find_package(fakesspi) and the
# imported target fakesspi::fakesspi, with nothing but CMAKE_PREFIX_PATH pointing at a staged install.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
if ! command -v cmake >/dev/null; then
    [ "$(id -u)" = 0 ] && { echo "FAIL: cmake missing (tools/deps.sh installs it)"; exit 1; }
    echo "SKIP: cmake not installed"; exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
${MAKE:-make} -s -C "$top_builddir" install DESTDIR="$root" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "FAIL: make install"; exit 1; }
prefix=$(sed -n 's/^prefix=//p' "$top_builddir/fakesspi.pc")
libdir=$(pkg-config --variable=libdir "$top_builddir/fakesspi.pc")
[ -f "$root$libdir/cmake/fakesspi/fakesspiConfig.cmake" ] || { echo "FAIL: fakesspiConfig.cmake not installed in $libdir/cmake/fakesspi"; exit 1; }
mkdir "$tmp/project"
cat > "$tmp/project/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.13)
project(port C)
find_package(fakesspi 0.1 REQUIRED)
add_executable(port port.c)
target_link_libraries(port PRIVATE fakesspi::fakesspi)
CMAKE
cat > "$tmp/project/port.c" <<'C'
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <stdio.h>
int main(void)
{
    CredHandle cred;
    TimeStamp expiry;
    SECURITY_STATUS st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Negotiate", SECPKG_CRED_INBOUND, NULL, NULL,
                                                   NULL, NULL, &cred, &expiry);
    if (st != SEC_E_OK)
        return 1;
    FreeCredentialsHandle(&cred);
    char text[128];
    FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)SEC_E_OK, 0, text,
                   sizeof text, NULL);
    printf("%s", text);
    return 0;
}
C
cmake -S "$tmp/project" -B "$tmp/build" -DCMAKE_PREFIX_PATH="$root$prefix" -DCMAKE_C_FLAGS="-Wall -Werror ${SAN_FLAGS:-}" \
    >"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log"; echo "FAIL: cmake configure"; exit 1; }
cmake --build "$tmp/build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; echo "FAIL: cmake build"; exit 1; }
LD_LIBRARY_PATH="$root$libdir" "$tmp/build/port" > "$tmp/out" || { echo "FAIL: the CMake-built program"; exit 1; }
out=$(tr -d '\r' < "$tmp/out")
[ "$out" = "The operation completed successfully." ] || { echo "FAIL: printed '$out'"; exit 1; }
# An incompatible version request is refused.
sed -i 's/find_package(fakesspi 0.1 REQUIRED)/find_package(fakesspi 7 REQUIRED)/' "$tmp/project/CMakeLists.txt"
if cmake -S "$tmp/project" -B "$tmp/build2" -DCMAKE_PREFIX_PATH="$root$prefix" >/dev/null 2>&1; then
    echo "FAIL: find_package(fakesspi 7) accepted version 0.1"; exit 1
fi
echo "PASS: find_package(fakesspi) gave fakesspi::fakesspi; the program built with CMake and ran"
