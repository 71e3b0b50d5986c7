#!/bin/sh
# Interop: gss-ntlmssp (through MIT GSSAPI) as acceptor of our client and initiator to our server.
set -eu
: "${top_builddir:=.}"
prog="$top_builddir/tests/interop/gss_ntlmssp"
if [ ! -x "$prog" ] || [ ! -f /etc/gss/mech.d/mech.ntlmssp.conf ]; then
    echo "gss-ntlmssp or MIT GSSAPI headers missing (apt-get install gss-ntlmssp libkrb5-dev, then reconfigure)"
    [ "$(id -u)" = 0 ] && exit 1
    exit 77
fi
users=$(mktemp)
trap 'rm -f "$users"' EXIT
printf 'EXAMPLE:alice:Passw0rd!\nEXAMPLE:bob:Hunter2!\n' > "$users"
# gss-ntlmssp rejects a CHALLENGE whose timestamp is far from its own clock: real peers need real time.
# Under ASan, the peers' caches held until exit are not ours to report.
: "${top_srcdir:=.}"
LSAN_OPTIONS="suppressions=$top_srcdir/tests/interop/peer-leaks.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
NTLM_USER_FILE=$users FAKESSPI_CLOCK=real exec "$prog"
