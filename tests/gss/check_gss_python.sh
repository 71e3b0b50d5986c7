#!/bin/sh
# python3-gssapi (Debian python3-gssapi) over the GSSAPI module: tests/gss/gss_python.py runs a whole Kerberos
# login, wrap/unwrap and MICs both ways, in one process, with no KDC and no keytab (doc/gssapi.md).
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
module="$top_builddir/.libs/fakesspi_gss.so"
# The interpreter that has the module: Debian's, also when another python3 comes first on PATH.
python=
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import gssapi' 2>/dev/null; then
        python=$p
        break
    fi
done
if [ ! -f "$module" ] || [ -z "$python" ]; then
    echo "missing: the GSSAPI module (libkrb5-dev) or python3-gssapi (apt-get install python3-gssapi)"
    [ "$(id -u)" = 0 ] && exit 1
    exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN
{ echo "fakesspi_krb5 2.25.210393196397943433797370956326399584433 $(cd "$(dirname "$module")" && pwd)/fakesspi_gss.so <interposer>"
  echo "gssntlmssp_v1 1.3.6.1.4.1.311.2.2.10 /nonexistent/gssntlmssp.so"; } > "$dir/mech.conf"
export GSS_MECH_CONFIG="$dir/mech.conf" KRB5_CONFIG=/nonexistent/krb5.conf KRB5CCNAME=FILE:/nonexistent/ccache \
    KRB5_KTNAME=FILE:/nonexistent/keytab FAKESSPI_SEED=17
# A sanitizer build's module needs its runtime loaded first in an interpreter built without it; the
# interpreter's own allocations are not ours to answer for: LeakSanitizer stays off in it.
preload=$(ldd "$module" | awk '/lib(asan|tsan|ubsan)\.so/ { printf "%s%s", sep, $3; sep = ":" }')
rc=0
env ${preload:+LD_PRELOAD="$preload" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"} \
    "$python" "$top_srcdir/tests/gss/gss_python.py" > "$dir/out" 2>&1 || rc=$?
cat "$dir/out"
[ "$rc" = 0 ] || exit 1
if grep -q '^fakesspi: ' "$dir/out"; then
    echo "FAIL: the module reported a misuse or a leak"
    exit 1
fi
