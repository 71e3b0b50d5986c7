#!/bin/sh
# Interop: curl's own NTLM client (--ntlm) logs in to examples/http_server, built on AcceptSecurityContext,
# and so does curl --negotiate: SPNEGO through MIT GSSAPI and gss-ntlmssp (NTLM inside, mechListMICs both
# ways), which checks the server's final token.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/lib/server.sh"
if ! command -v curl >/dev/null; then
    echo "curl is not installed (apt-get install curl)"
    [ "$(id -u)" = 0 ] && exit 1
    exit 77
fi
tmp=$(mktemp -d)
server_pid=""
trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
# gss-ntlmssp refuses a CHALLENGE whose timestamp is far from its own clock: real peers need real time.
start_server "$tmp/server.log" "$tmp/server.log" env FAKESSPI_CLOCK=real "$top_builddir/examples/http_server" 0 4 ||
    { echo "FAIL: examples/http_server did not start"; exit 1; }
url="http://127.0.0.1:$server_port/"
status=0
body=$(curl -sS --max-time 10 --ntlm -u 'alice:Passw0rd!' "$url") || status=1
printf '%s\n' "$body" | grep -qx 'Hello EXAMPLE\\alice' || { echo "FAIL: alice's login: $body"; status=1; }
printf '%s\n' "$body" | grep -qx 'member of EXAMPLE\\Engineering' || { echo "FAIL: alice's groups: $body"; status=1; }
printf '%s\n' "$body" | grep -qx 'member of NT AUTHORITY\\NTLM Authentication' || { echo "FAIL: NTLM SID: $body"; status=1; }
code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' --ntlm -u 'alice:wrong' "$url") || true
[ "$code" = 401 ] || { echo "FAIL: a wrong password got HTTP $code"; status=1; }
body=$(curl -sS --max-time 10 --ntlm -u 'EXAMPLE\bob:Hunter2!' "$url") || status=1
printf '%s\n' "$body" | grep -qx 'Hello EXAMPLE\\bob' || { echo "FAIL: bob's login: $body"; status=1; }
if [ -f /etc/gss/mech.d/mech.ntlmssp.conf ]; then
    printf 'EXAMPLE:alice:Passw0rd!\n' > "$tmp/users"
    body=$(NTLM_USER_FILE="$tmp/users" USER=alice curl -sS --max-time 10 --negotiate -u : "$url" 2> "$tmp/curl.err") || status=1
    printf '%s\n' "$body" | grep -qx 'Hello EXAMPLE\\alice' && printf '%s\n' "$body" | grep -qx 'authenticated with NTLM' ||
        { echo "FAIL: curl --negotiate: $body $(cat "$tmp/curl.err")"; status=1; }
    grep -q 'gss_init_sec_context() failed' "$tmp/curl.err" && { echo "FAIL: curl refused our final token: $(cat "$tmp/curl.err")"; status=1; }
else
    echo "gss-ntlmssp missing: curl --negotiate not checked"
    [ "$(id -u)" = 0 ] && status=1
fi
[ $status -eq 0 ] && printf "%s\n" "PASS: curl --ntlm and curl --negotiate (SPNEGO) logged in to AcceptSecurityContext (alice, EXAMPLE\\bob), and a wrong password got 401"
exit $status
