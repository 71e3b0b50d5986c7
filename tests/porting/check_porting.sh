#!/bin/sh
# Windows SSPI code built unchanged (tests/porting/*.c): with gcc as C (gnu11 and c11) and with g++ as C++17,
# -Wall -Werror, against our headers and libfakesspi, and run. check_porting_mingw.sh cross-compiles the same
# sources with MinGW-w64 against Windows' own headers, which shows they are Windows code and not written for us.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}" "${CXX:=c++}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
lib="$top_builddir/.libs"
[ -f "$lib/libfakesspi.so" ] || { echo "FAIL: no $lib/libfakesspi.so"; exit 1; }
san="${SAN_FLAGS:-}"
src="$top_srcdir/tests/porting"
programs=$(cd "$src" && for f in *.c; do printf '%s ' "${f%.c}"; done) # every program of the directory
status=0
for p in $programs; do
    # L"" code needs WCHAR to be wchar_t: -fshort-wchar, as doc/porting.md says.
    extra=""
    [ "$p" = wide_logon ] || [ "$p" = lsa_logon ] && extra="-fshort-wchar"
    # FARPROC is Windows' INT_PTR (WINAPI *)(): casting it to the real type draws -Wcast-function-type
    # (in -Wextra) with Windows' own headers too (MinGW-w64); doc/porting.md says so.
    [ "$p" = load_provider ] && extra="-Wno-cast-function-type"
    # The loopback's server side runs as the service account that owns the SPN (doc/semantics.md §41).
    user=alice
    [ "$p" = sspi_loopback ] && user=svc_server
    for build in "$CC -std=gnu11" "$CC -std=c11" "$CXX -x c++ -std=c++17"; do
        if ! $build $extra -Wall -Wextra -Werror $san -I"$top_srcdir/include" -o "$tmp/$p" "$src/$p.c" \
            -L"$lib" -lfakesspi -Wl,-rpath,"$(cd "$lib" && pwd)" 2>"$tmp/err"; then
            cat "$tmp/err"; echo "FAIL: $p does not build with $build $extra"; status=1; continue
        fi
        if ! FAKESSPI_USER=$user FAKESSPI_BACKTRACE=0 "$tmp/$p" > "$tmp/$p.out" 2>&1; then
            cat "$tmp/$p.out"; echo "FAIL: $p ($build) exited $?"; status=1
        fi
    done
done
# What the wide program printed: the split, the lengths, the groups and Windows' error text.
for want in 'EXAMPLE\alice: 13 characters, domain "EXAMPLE", user "alice"' \
            'bob: 3 characters, domain "", user "bob"' \
            '  member of Users' '  alice logged on (15)' \
            'LogonUser failed: 1326 The user name or password is incorrect. '; do
    grep -qxF "$want" "$tmp/wide_logon.out" || { cat "$tmp/wide_logon.out"; echo "FAIL: wide_logon did not print: $want"; status=1; }
done
# What the loading program printed: the version Windows reports without a manifest, the packages, the errors.
for want in 'Windows 6.2 (build 9200), provider loaded' 'packages: Negotiate Kerberos NTLM' \
            'missing function: NULL, error 127' 'missing module: error 126'; do
    grep -qxF "$want" "$tmp/load_provider.out" || { cat "$tmp/load_provider.out"; echo "FAIL: load_provider did not print: $want"; status=1; }
done
# What the LSA program printed: the logon, the sub-status of a wrong password, the lookups (doc/semantics.md §44),
# the sessions (doc/semantics.md §48).
for want in 'token user: S-1-5-21-1000000001-2000000002-3000000003-1104' 'full name: Alice Liddell' \
            'LsaLogonUser: 0xc000006d (1326) The user name or password is incorrect. ' 'sub-status: 0xc000006a' \
            'account domain: EXAMPLE' 'LsaLookupNames2: 0x00000107' \
            'alice is S-1-5-21-1000000001-2000000002-3000000003-1104 in domain 0' 'and back: alice' \
            'of domain: EXAMPLE' 'alice is RID 1104 of EXAMPLE' 'S-1-5-18 is SYSTEM' \
            'system session: 0xc0000022 (5) Access is denied. ' 'own session: logon type 2, session 1' \
            '  user: alice' '  domain: EXAMPLE' '  package: Kerberos' '  upn: alice@example.test'; do
    grep -qxF "$want" "$tmp/lsa_logon.out" || { cat "$tmp/lsa_logon.out"; echo "FAIL: lsa_logon did not print: $want"; status=1; }
done
grep -q '^SEC_E_KDC_CERT_REVOKED .*0x8009035b The domain controller certificate used for smartcard logon has been revoked' \
    "$tmp/error_table.out" 2>/dev/null || { cat "$tmp/error_table.out"; echo "FAIL: error_table's text"; status=1; }

[ $status -eq 0 ] && echo "PASS: $programs built with gcc (gnu11, c11) and g++ (c++17), and ran"
exit $status
