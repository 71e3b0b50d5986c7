#!/bin/sh
# examples/sspi_server and examples/sspi_client, Windows code built unchanged: over loopback TCP with each
# package, the server impersonating the client to check a group and the two exchanging sealed messages.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/lib/server.sh"
server="$top_builddir/examples/sspi_server"
client="$top_builddir/examples/sspi_client"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN FAKESSPI_SEED

# run GROUP PACKAGE TARGET USER PASSWORD: leaves $srv_rc, $cli_rc, $tmp/srv.txt and $tmp/cli.txt
run() {
    srv_rc=-1 cli_rc=-1 # -1: never ran
    : > "$tmp/cli.txt"
    # The server runs as the service account that owns the SPNs (doc/semantics.md §41), the client as alice.
    FAKESSPI_USER=svc_server
    export FAKESSPI_USER
    start_server "$tmp/srv.txt" "$tmp/srv.txt" "$server" 0 "$1" "$2" || { unset FAKESSPI_USER; return 0; }
    unset FAKESSPI_USER
    cli_rc=0; "$client" 127.0.0.1 "$server_port" "$2" "$3" "$4" "$5" > "$tmp/cli.txt" 2>&1 || cli_rc=$?
    wait_server
    srv_rc=$server_rc
}

for case in "Negotiate HTTP/server.example.test Kerberos" "Negotiate HOST/elsewhere.example.test NTLM" \
            "Kerberos cifs/server.example.test Kerberos" "NTLM HOST/anything NTLM"; do
    set -- $case
    run Engineering "$1" "$2" 'EXAMPLE\alice' 'Passw0rd!'
    [ $srv_rc -eq 0 ] && [ $cli_rc -eq 0 ] || fail "$1 to $2: server exit $srv_rc, client exit $cli_rc"
    grep -qx "authenticated EXAMPLE\\\\alice with $3" "$tmp/srv.txt" || fail "$1 to $2: not $3 on the server"
    grep -qx "authenticated with $3" "$tmp/cli.txt" || fail "$1 to $2: not $3 on the client"
    grep -qx 'impersonating: the thread ran as alice' "$tmp/srv.txt" || fail "$1: no impersonation"
    grep -qx 'the server says: EXAMPLE\\alice is a member of EXAMPLE\\Engineering' "$tmp/cli.txt" ||
        fail "$1 to $2: the sealed answer: $(cat "$tmp/cli.txt")"
    grep -qx 'the client says: thank you' "$tmp/srv.txt" || fail "$1 to $2: the sealed reply"
done

# A server on the default seed is told its keys repeat from run to run; one that chose a seed is not.
grep -q '^fakesspi: warning: FAKESSPI_SEED is not set' "$tmp/srv.txt" || fail "no warning about the default seed"
export FAKESSPI_SEED=random
run Engineering NTLM HOST/anything 'EXAMPLE\alice' 'Passw0rd!'
unset FAKESSPI_SEED
[ $srv_rc -eq 0 ] && ! grep -q 'FAKESSPI_SEED is not set' "$tmp/srv.txt" "$tmp/cli.txt" ||
    fail "FAKESSPI_SEED=random: server exit $srv_rc, or a warning anyway"

run Engineering Negotiate HTTP/server.example.test 'EXAMPLE\bob' 'Hunter2!'
[ $srv_rc -eq 3 ] && [ $cli_rc -eq 0 ] || fail "bob: server exit $srv_rc (want 3), client exit $cli_rc"
grep -qx 'the server says: EXAMPLE\\bob is not a member of EXAMPLE\\Engineering' "$tmp/cli.txt" || fail "bob's answer"

run Engineering NTLM HOST/x 'EXAMPLE\alice' 'wrong'
[ $srv_rc -eq 1 ] && [ $cli_rc -eq 1 ] || fail "a wrong password: server exit $srv_rc, client exit $cli_rc"
grep -q '^AcceptSecurityContext failed: 0x8009030c$' "$tmp/srv.txt" && grep -q '^the server refused: 0x8009030c$' "$tmp/cli.txt" ||
    fail "a wrong password is SEC_E_LOGON_DENIED on both sides"

run Engineering Kerberos HTTP/nowhere.example.test 'EXAMPLE\alice' 'Passw0rd!'
[ $cli_rc -eq 1 ] && grep -q '^InitializeSecurityContext failed: 0x80090303$' "$tmp/cli.txt" ||
    fail "an unknown SPN is SEC_E_TARGET_UNKNOWN at the client"

[ $status -eq 0 ] && echo "PASS: socket examples: Negotiate (Kerberos and NTLM), Kerberos, NTLM; impersonation, group check, sealed messages, refusals"
exit $status
