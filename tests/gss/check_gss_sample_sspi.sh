#!/bin/sh
# MIT's gss-client (Debian krb5-gss-samples), unmodified, through the GSSAPI module (doc/gssapi.md) as alice,
# against an SSPI program: examples/gss_sample_server, which speaks gss-sample's protocol with
# AcceptSecurityContext, DecryptMessage and MakeSignature, running as svc_server (the owner of
# host/server.example.test) on 127.0.0.1. Checked: the login with mutual authentication (the client reads the
# server's AP-REP), a message wrapped with confidentiality and the server's MIC over it verified by the client,
# messages wrapped without confidentiality and sent as they are, and, with the server run as bob (who owns no
# such SPN), no login on either side.
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
module="$top_builddir/.libs/fakesspi_gss.so"
server="$top_builddir/examples/gss_sample_server"
missing=
[ -f "$module" ] || missing="the GSSAPI module (apt-get install libkrb5-dev, then reconfigure)"
command -v gss-client >/dev/null || missing="$missing gss-client (apt-get install krb5-gss-samples)"
if [ -n "$missing" ]; then
    echo "missing: $missing"
    [ "$(id -u)" = 0 ] && exit 1
    exit 77
fi
. "$top_srcdir/tests/lib/server.sh"

dir=$(mktemp -d)
server_pid=""
trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN GSS_MECH_CONFIG
echo "fakesspi_krb5 2.25.210393196397943433797370956326399584433 $(cd "$(dirname "$module")" && pwd)/fakesspi_gss.so <interposer>" \
    > "$dir/mech.conf"
export KRB5_CONFIG=/nonexistent/krb5.conf KRB5CCNAME=FILE:/nonexistent/ccache KRB5_KTNAME=FILE:/nonexistent/keytab \
    FAKESSPI_SEED=17
# A sanitizer build's module needs its runtime loaded first in gss-client, which is built without it; MIT's
# programs free little on their way out, which is theirs to answer for: LeakSanitizer stays off in them.
preload=$(ldd "$module" | awk '/lib(asan|tsan|ubsan)\.so/ { printf "%s%s", sep, $3; sep = ":" }')
client() {
    env GSS_MECH_CONFIG="$dir/mech.conf" \
        ${preload:+LD_PRELOAD="$preload" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"} \
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

# The server as bob, who owns no host/ SPN: the ticket is not for him (SEC_E_WRONG_PRINCIPAL), no login.
start_server "$dir/bob.out" "$dir/bob.out" env FAKESSPI_USER=bob "$server" 0 1 ||
    { echo "FAIL: examples/gss_sample_server did not start as bob"; exit 1; }
rc=0
client 127.0.0.1 host@server.example.test "$msg" > "$dir/client3.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "gss-client logged in to a server running as bob"
wait_server
server_pid=""
cat "$dir/bob.out"
[ "$server_rc" = 1 ] || fail "the SSPI server running as bob exited with $server_rc, not 1"
grep -q '^AcceptSecurityContext failed: 0x80090322$' "$dir/bob.out" ||
    fail "the SSPI server running as bob did not answer SEC_E_WRONG_PRINCIPAL"

# (gss-client leaves its half-made context undeleted when the login fails: client3's leak report is its own.)
if grep -q '^fakesspi: ' "$dir/client1.out" "$dir/client2.out" "$dir/server.out" "$dir/bob.out"; then
    fail "a misuse or a leak was reported"
fi
[ $status -eq 0 ] && echo "PASS: MIT's gss-client logged in to an SSPI server as alice, with mutual authentication, wrap and MIC"
exit $status
