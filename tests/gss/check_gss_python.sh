#!/bin/sh
# python3-gssapi (Debian python3-gssapi) over the GSSAPI module: tests/gss/gss_python.py runs a whole Kerberos
# login, wrap/unwrap and MICs both ways, in one process, with no KDC and no keytab (doc/gssapi.md).
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
. "$top_srcdir/tests/gss/gss_env.sh"
# The interpreter that has the module: Debian's, also when another python3 comes first on PATH.
python=
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import gssapi' 2>/dev/null; then
        python=$p
        break
    fi
done
[ -n "$python" ] || gss_need "python3-gssapi (apt-get install python3-gssapi)"
gss_skip_unless_ready
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
gss_no_kdc
{ gss_mech_line
  echo "gssntlmssp_v1 1.3.6.1.4.1.311.2.2.10 /nonexistent/gssntlmssp.so"; } > "$dir/mech.conf"
export GSS_MECH_CONFIG="$dir/mech.conf"
rc=0
# shellcheck disable=SC2086
env $sanitized "$python" "$top_srcdir/tests/gss/gss_python.py" > "$dir/out" 2>&1 || rc=$?
cat "$dir/out"
[ "$rc" = 0 ] || exit 1
if grep -q '^fakesspi: ' "$dir/out"; then
    echo "FAIL: the module reported a misuse or a leak"
    exit 1
fi
