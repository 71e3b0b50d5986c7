#!/bin/sh
# examples/access_server with examples/sspi_client, both Windows code built unchanged: the server
# authenticates the client over loopback TCP, impersonates it, takes its token with OpenThreadToken and lets
# AccessCheck decide against the object's SDDL; the client reads the verdict in a sealed message.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/lib/server.sh"
server="$top_builddir/examples/access_server"
client="$top_builddir/examples/sspi_client"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN
export FAKESSPI_SEED=1

# run SDDL PACKAGE TARGET USER PASSWORD: leaves $srv_rc, $cli_rc, $tmp/srv.txt and $tmp/cli.txt
run() {
    srv_rc=-1 cli_rc=-1
    : > "$tmp/cli.txt"
    FAKESSPI_USER=svc_server # the account that owns the SPNs (doc/semantics.md §41)
    export FAKESSPI_USER
    start_server "$tmp/srv.txt" "$tmp/srv.txt" "$server" 0 "$1" "$2" || { unset FAKESSPI_USER; return 0; }
    unset FAKESSPI_USER
    cli_rc=0; "$client" 127.0.0.1 "$server_port" "$2" "$3" "$4" "$5" > "$tmp/cli.txt" 2>&1 || cli_rc=$?
    wait_server
    srv_rc=$server_rc
}

# Engineering may read; alice is in it (over Kerberos, then NTLM), bob is not.
for package in "Negotiate HTTP/server.example.test" "NTLM HOST/anything"; do
    set -- $package
    run "O:BAG:BAD:(A;;FR;;;S-1-5-21-1000000001-2000000002-3000000003-1104)(A;;FA;;;BA)" "$1" "$2" 'EXAMPLE\alice' 'Passw0rd!'
    [ $srv_rc -eq 0 ] && [ $cli_rc -eq 0 ] || fail "alice over $1: server exit $srv_rc, client exit $cli_rc: $(cat "$tmp/srv.txt")"
    grep -qx 'the server says: EXAMPLE\\alice may read the object (granted 0x120089; everything it may do: 0x120089)' "$tmp/cli.txt" ||
        fail "alice over $1: the sealed verdict: $(cat "$tmp/cli.txt")"
    grep -qx 'the client says: thank you' "$tmp/srv.txt" || fail "alice over $1: the sealed reply"
done

# A group in the ACE: Authenticated Users may read, and a deny for bob comes first.
run 'O:BAG:BAD:(D;;FA;;;S-1-5-21-1000000001-2000000002-3000000003-1105)(A;;FR;;;AU)' Negotiate HTTP/server.example.test 'EXAMPLE\bob' 'Hunter2!'
[ $srv_rc -eq 3 ] && [ $cli_rc -eq 0 ] || fail "bob: server exit $srv_rc (want 3), client exit $cli_rc"
grep -qx 'the server says: EXAMPLE\\bob may not read the object (error 5; everything it may do: 0x0)' "$tmp/cli.txt" ||
    fail "bob's verdict: $(cat "$tmp/cli.txt")"
run 'O:BAG:BAD:(D;;FA;;;S-1-5-21-1000000001-2000000002-3000000003-1105)(A;;FR;;;AU)' Negotiate HTTP/server.example.test 'EXAMPLE\alice' 'Passw0rd!'
[ $srv_rc -eq 0 ] || fail "alice through Authenticated Users: server exit $srv_rc"

# A descriptor that does not parse stops the server before it listens.
rc=0; "$server" 0 'O:BAG:BAD:(A;;XX;;;WD)' > "$tmp/bad.txt" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q '^ConvertStringSecurityDescriptorToSecurityDescriptor failed: 0x0000053' "$tmp/bad.txt" ||
    fail "bad SDDL: exit $rc, $(cat "$tmp/bad.txt")"

[ $status -eq 0 ] && echo "PASS: access_server: impersonate, OpenThreadToken, AccessCheck, over every package"
exit $status
