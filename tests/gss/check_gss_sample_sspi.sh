#!/bin/sh
# MIT's gss-client (Debian krb5-gss-samples), unmodified, through the GSSAPI module (doc/gssapi.md) as alice,
# against an SSPI program: examples/gss_sample_server, which speaks gss-sample's protocol with
# AcceptSecurityContext, DecryptMessage and MakeSignature, running as svc_server (the owner of
# host/server.example.test) on 127.0.0.1. Checked: the login with mutual authentication (the client reads the
# server's AP-REP), a message wrapped with confidentiality and the server's MIC over it verified by the client,
# messages wrapped without confidentiality, and, with the server run as bob (who owns no such SPN), no login on
# either side. Then the other way: examples/gss_sample_client (InitializeSecurityContext, EncryptMessage,
# VerifySignature) as alice against MIT's gss-server through the module, run as inetd would run it behind a
# listener on 127.0.0.1: the login with mutual authentication, a sealed message that gss-server unwraps, and its MIC
# checked; a ticket for another account's service (HTTP/) is refused.
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
server="$top_builddir/examples/gss_sample_server"
. "$top_srcdir/tests/gss/gss_env.sh"
command -v gss-client >/dev/null && command -v gss-server >/dev/null ||
    gss_need "gss-client/gss-server (apt-get install krb5-gss-samples)"
command -v python3 >/dev/null || gss_need "python3 (for the loopback listener)"
gss_skip_unless_ready
. "$top_srcdir/tests/lib/server.sh"

dir=$(mktemp -d)
server_pid=""
trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
gss_no_kdc
gss_mech_line > "$dir/mech.conf"
# shellcheck disable=SC2086
client() {
    env GSS_MECH_CONFIG="$dir/mech.conf" $sanitized \
        gss-client -port "$server_port" "$@"
}
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

start_server "$dir/server.out" "$dir/server.out" env FAKESSPI_USER=svc_server "$server" 0 2 ||
    { echo "FAIL: examples/gss_sample_server did not start"; exit 1; }

msg="the fake domain says hello to an SSPI server"
rc=0
client 127.0.0.1 host@server.example.test "$msg" > "$dir/client1.out" 2>&1 || rc=$?
cat "$dir/client1.out"
[ "$rc" = 0 ] || fail "gss-client exited with $rc"
grep -q '^context flag: GSS_C_MUTUAL_FLAG$' "$dir/client1.out" || fail "gss-client has no mutual authentication"
grep -q '^"alice@EXAMPLE.TEST" to "host/server.example.test@EXAMPLE.TEST", lifetime [1-9][0-9]*, flags [0-9a-f]*, locally initiated, open$' \
    "$dir/client1.out" || fail "gss-client's context is not alice's to host/server.example.test, open"
grep -q '^Signature verified\.$' "$dir/client1.out" || fail "gss-client did not verify the SSPI server's MIC"

# Another seed: with the same one, on the same fixed clock, this client's authenticator would be the first's
# byte for byte, which the server's replay cache refuses (SEC_E_LOGON_DENIED), as a real one would.
rc=0
FAKESSPI_SEED=18 client -nx -mcount 2 127.0.0.1 host@server.example.test "signed only" > "$dir/client2.out" 2>&1 || rc=$?
cat "$dir/client2.out"
[ "$rc" = 0 ] || fail "gss-client -nx exited with $rc"
[ "$(grep -c '^Signature verified\.$' "$dir/client2.out")" = 2 ] || fail "gss-client -nx -mcount 2 did not verify two MICs"

wait_server
server_pid=""
cat "$dir/server.out"
[ "$server_rc" = 0 ] || fail "examples/gss_sample_server exited with $server_rc"
[ "$(grep -c '^accepted EXAMPLE\\alice$' "$dir/server.out")" = 2 ] || fail "the SSPI server did not accept alice twice"
grep -q '^context flags: mutual confidentiality integrity$' "$dir/server.out" ||
    fail "the SSPI server's context has not the flags gss-client asked for"
grep -q '^unwrapped a message sealed$' "$dir/server.out" || fail "the SSPI server did not open a sealed message"
grep -qF "received message: \"$msg\"" "$dir/server.out" || fail "the SSPI server did not get the first message"
[ "$(grep -c '^unwrapped a message signed only$' "$dir/server.out")" = 2 ] ||
    fail "the SSPI server did not open two messages wrapped without confidentiality"
grep -q '^warning' "$dir/server.out" && fail "the SSPI server found a message marked encrypted that was not"

# The server as bob, who owns no host/ SPN: first a client whose context token is not one (SEC_E_INVALID_TOKEN),
# then gss-client, whose ticket is not for bob (SEC_E_WRONG_PRINCIPAL): no login.
start_server "$dir/bob.out" "$dir/bob.out" env FAKESSPI_USER=bob "$server" 0 2 ||
    { echo "FAIL: examples/gss_sample_server did not start as bob"; exit 1; }
python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(bytes([0x11, 0, 0, 0, 0, 0x02, 0, 0, 0, 10]) + b"not a tok!")
s.recv(1)' "$server_port" || fail "the client with a bad token could not send it"
rc=0
client 127.0.0.1 host@server.example.test "$msg" > "$dir/client3.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "gss-client logged in to a server running as bob"
wait_server
server_pid=""
cat "$dir/bob.out"
[ "$server_rc" = 1 ] || fail "the SSPI server running as bob exited with $server_rc, not 1"
grep -q '^AcceptSecurityContext failed: 0x80090308$' "$dir/bob.out" ||
    fail "the SSPI server did not answer a bad context token SEC_E_INVALID_TOKEN"
grep -q '^AcceptSecurityContext failed: 0x80090322$' "$dir/bob.out" ||
    fail "the SSPI server running as bob did not answer SEC_E_WRONG_PRINCIPAL"

# (gss-client leaves its half-made context undeleted when the login fails: client3's leak report is its own.)
# Our SSPI client against MIT's gss-server: one gss-server per connection, the connection as its standard input.
# Both sides read a domain where HTTP/server.example.test is another account's (svc_web), so that a ticket for it is
# one gss-server, holding host@server.example.test (svc_server's key), cannot open.
cat > "$dir/domain.ini" <<'EOF'
[domain]
netbios = EXAMPLE
dns = example.test
sid = S-1-5-21-1000000001-2000000002-3000000003
computer = SERVER
[group Domain Users]
rid = 513
[user krbtgt]
rid = 502
password = Krbtgt!key-of-EXAMPLE
disabled = yes
[user alice]
rid = 1104
password = Passw0rd!
[user svc_server]
rid = 1106
password = S3rv1ce!pass
spn = host/server.example.test
[user svc_web]
rid = 1107
password = W3b!pass-of-svc
spn = HTTP/server.example.test
EOF
export FAKESSPI_DOMAIN="$dir/domain.ini"
# shellcheck disable=SC2086
start_server "$dir/listen.out" "$dir/listen.out" python3 "$top_srcdir/tests/lib/inetd_listen.py" 2 env GSS_MECH_CONFIG="$dir/mech.conf" \
    $sanitized \
    gss-server -inetd -verbose -logfile "$dir/gss-server.log" host@server.example.test ||
    { echo "FAIL: gss-server's listener did not start"; exit 1; }
msg="the fake domain's SSPI client says hello to gss-server"
rc=0
"$top_builddir/examples/gss_sample_client" "$server_port" host/server.example.test "$msg" > "$dir/sspi1.out" 2>&1 || rc=$?
cat "$dir/sspi1.out"
[ "$rc" = 0 ] || fail "examples/gss_sample_client exited with $rc"
grep -q '^logged in with mutual authentication$' "$dir/sspi1.out" || fail "the SSPI client has no mutual authentication"
grep -q "^the server's MIC over the message is verified$" "$dir/sspi1.out" ||
    fail "the SSPI client did not verify gss-server's MIC"
rc=0
"$top_builddir/examples/gss_sample_client" "$server_port" HTTP/server.example.test "$msg" > "$dir/sspi2.out" 2>&1 || rc=$?
cat "$dir/sspi2.out"
[ "$rc" != 0 ] || fail "the SSPI client logged in to gss-server with a ticket for HTTP/"
wait_server
server_pid=""
cat "$dir/listen.out"
grep -v '^\([0-9a-f][0-9a-f] \)*$' "$dir/gss-server.log" || true
# (gss-server -inetd exits 0 after a refused login as after a served one: its log says which.)
[ "$server_rc" = 0 ] || fail "gss-server (or its listener) exited with $server_rc"
[ "$(grep -c '^Accepted connection using mechanism OID { 1 2 840 113554 1 2 2 }\.$' "$dir/gss-server.log")" = 1 ] ||
    fail "gss-server did not accept the SSPI client once with the Kerberos mechanism"
grep -q '^context flag: GSS_C_MUTUAL_FLAG$' "$dir/gss-server.log" || fail "gss-server's context has no mutual authentication"
grep -qF "Received message: \"$msg\"" "$dir/gss-server.log" || fail "gss-server did not unwrap the SSPI client's message"
# gss-server -inetd closes its standard error, where it would warn of a message not encrypted: the Wrap token's
# flags byte in its log says it instead (RFC 4121 4.2.2: Sealed, 0x02, from the initiator).
sed -n '/^Message token (flags=224):$/{n;p;}' "$dir/gss-server.log" | grep -q '^05 04 0[26] ' ||
    fail "the SSPI client's Wrap token is not sealed: $(sed -n '/^Message token/{n;p;}' "$dir/gss-server.log")"
grep -q 'GSS-API error accepting context' "$dir/gss-server.log" || fail "gss-server did not refuse the ticket for HTTP/"

if grep -q '^fakesspi: ' "$dir/client1.out" "$dir/client2.out" "$dir/server.out" "$dir/bob.out" "$dir/sspi1.out" \
    "$dir/sspi2.out" "$dir/listen.out"; then
    fail "a misuse or a leak was reported"
fi
[ $status -eq 0 ] && echo "PASS: MIT's gss-client against an SSPI server and an SSPI client against MIT's gss-server: logins, wrap and MIC"
exit $status
