#!/bin/sh
# Installs into a scratch root, then builds ported programs the way a user would, with
# `pkg-config --cflags --libs fakesspi`: C11, C++11 with UNICODE, and C with -fshort-wchar and L"".
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}" "${CXX:=c++}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
${MAKE:-make} -s -C "$top_builddir" install DESTDIR="$root" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "FAIL: make install"; exit 1; }
libdir=$(pkg-config --variable=libdir "$top_builddir/fakesspi.pc")
export PKG_CONFIG_PATH="$root$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
export LD_LIBRARY_PATH="$root$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cflags=$(pkg-config --cflags fakesspi)
libs=$(pkg-config --libs fakesspi)
# A sanitizer build of the library needs its programs built the same way.
san="${SAN_FLAGS:-}"
case "$cflags" in *"/fakesspi"*) ;; *) echo "FAIL: Cflags '$cflags' lack the fakesspi include dir"; exit 1 ;; esac
[ ! -e "$root/usr/local/include/windows.h" ] && [ ! -e "$root/usr/include/windows.h" ] ||
    { echo "FAIL: windows.h leaked into the global include dir"; exit 1; }

# <fakesspi/check.h> must resolve through the same -I as <windows.h>.
[ -n "$(find "$root" -path '*/fakesspi/fakesspi/check.h')" ] || { echo "FAIL: fakesspi/check.h is not installed"; exit 1; }

cat > "$tmp/port.c" <<'C'
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <sddl.h>
#include <stdio.h>
int main(void)
{
    HANDLE h;
    if (!LogonUserA("bob", "EXAMPLE", "Hunter2!", LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &h))
        return 1;
    char name[64];
    ULONG n = sizeof name;
    if (!ImpersonateLoggedOnUser(h) || !GetUserNameExA(NameSamCompatible, name, &n))
        return 2;
    RevertToSelf();
    CloseHandle(h);
    printf("%s\n", name);
    return 0;
}
C
$CC -std=c11 -Wall -Wextra -Werror $cflags $san -o "$tmp/port_c" "$tmp/port.c" $libs
[ "$("$tmp/port_c")" = 'EXAMPLE\bob' ] || { echo "FAIL: the C port"; exit 1; }

cp "$top_srcdir/tests/headers/test_cxx.cpp" "$tmp/port.cpp"
for std in c++11 c++17; do
    $CXX -std=$std -Wall -Wextra -Werror -DUNICODE $cflags $san -o "$tmp/port_cxx" "$tmp/port.cpp" $libs
    "$tmp/port_cxx" >/dev/null || { echo "FAIL: the C++ port ($std)"; exit 1; }
done

# Ported code full of L"..." builds with -fshort-wchar: WCHAR is then wchar_t.
cat > "$tmp/wide.c" <<'C'
#define UNICODE
#include <windows.h>
#ifdef __cplusplus
static_assert(sizeof(WCHAR) == 2 && sizeof(L"x"[0]) == 2, "WCHAR is wchar_t");
#else
_Static_assert(sizeof(WCHAR) == 2 && sizeof(L"x"[0]) == 2, "WCHAR is wchar_t");
#endif
int main(void)
{
    HANDLE h;
    LPCWSTR user = L"alice";
    if (!LogonUser(user, L"EXAMPLE", TEXT("Passw0rd!"), LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT, &h))
        return 1;
    return CloseHandle(h) ? 0 : 2;
}
C
$CC -std=c11 -fshort-wchar -Wall -Wextra -Werror $cflags $san -o "$tmp/wide" "$tmp/wide.c" $libs
"$tmp/wide" || { echo "FAIL: the -fshort-wchar port"; exit 1; }
$CXX -x c++ -std=c++11 -fshort-wchar -Wall -Wextra -Werror $cflags $san -o "$tmp/widexx" "$tmp/wide.c" $libs
"$tmp/widexx" || { echo "FAIL: the -fshort-wchar C++ port"; exit 1; }

# doc/testing.md's build command, its text taken from the doc, on the doc's example suite named as it names it.
mkdir "$tmp/gate"
cp "$top_srcdir/doc/example/test_engineering_gate.c" "$tmp/gate/test_gate.c"
cp "$top_srcdir/doc/example/engineering_gate.c" "$tmp/gate/gate.c"
cp "$top_srcdir/doc/example/engineering_gate.h" "$tmp/gate/"
sh "$top_srcdir/tests/tree/doc_block.sh" build > "$tmp/gate/build.sh"
# cc as the doc writes it, with this build's sanitizer flags when the library was built with them
(cd "$tmp/gate" && CC="$CC" san="$san" sh -e -c 'cc() { command $CC $san "$@"; }; . ./build.sh') ||
    { echo "FAIL: doc/testing.md's build command"; exit 1; }
(cd "$tmp/gate" && CK_FORK=no ./test_gate > out 2>&1) || { cat "$tmp/gate/out"; echo "FAIL: the suite the doc's command built"; exit 1; }
echo "PASS: C11, C++11, C++17 and -fshort-wchar programs, and doc/testing.md's build command, built against the installed headers and ran"
