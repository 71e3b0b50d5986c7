#!/bin/sh
# The man pages format without a warning, fakesspi(3) names every function of the control API, and
# sspi-handshake(1), sspi-decode(1) and fakesspi-gss-env(1) document every option the tool accepts.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
man="$top_srcdir/man"
status=0
fail() { echo "FAIL: $*"; status=1; }

for page in "$man/fakesspi.3" "$man/sspi-decode.1" "$man/sspi-handshake.1" "$man/sddl-explain.1"; do
    out=$(groff -man -ww -z -Tutf8 "$page" 2>&1) || fail "$page does not format"
    [ -z "$out" ] || fail "$page: $out"
done
for fn in $(sed -n 's/^FAKESSPI_API [^(]*[ *]\(fakesspi_[a-z_]*\)(.*/\1/p' "$top_srcdir/include/fakesspi.h"); do
    grep -q "$fn" "$man/fakesspi.3" || fail "fakesspi(3) does not describe $fn"
done
for opt in $("$top_builddir/tools/sspi-handshake" --help | grep -o -- '--[a-z-]*' | sort -u); do
    grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$man/sspi-handshake.1" || fail "sspi-handshake(1) does not document $opt"
done
for opt in $("$top_builddir/tools/sddl-explain" --help | grep -o -- '--[a-z-]*' | sort -u); do
    grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$man/sddl-explain.1" || fail "sddl-explain(1) does not document $opt"
done
for opt in $("$top_builddir/tools/sspi-decode" --help | grep -o -- '--[a-z-]*' | sort -u); do
    grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$man/sspi-decode.1" || fail "sspi-decode(1) does not document $opt"
done
# fakesspi-gss-env(1) is installed with the GSSAPI module, where configure found MIT's GSSAPI.
if [ -x "$top_builddir/tools/fakesspi-gss-env" ]; then
    out=$(groff -man -ww -z -Tutf8 "$man/fakesspi-gss-env.1" 2>&1) || fail "fakesspi-gss-env.1 does not format"
    [ -z "$out" ] || fail "fakesspi-gss-env.1: $out"
    for opt in $("$top_builddir/tools/fakesspi-gss-env" --help | grep -o -- '--[a-z-]*' | sort -u); do
        grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$man/fakesspi-gss-env.1" || fail "fakesspi-gss-env(1) does not document $opt"
    done
fi
[ $status -eq 0 ] && echo "PASS: man pages format cleanly and cover the API and the options"
exit $status
