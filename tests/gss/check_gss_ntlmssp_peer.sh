#!/bin/sh
# The module's NTLMSSP mechanism (1.3.6.1.4.1.311.2.2.10, answered by the NTLM SSPI package; doc/semantics.md §64)
# against the real gss-ntlmssp, which no one here wrote, in another process without the module: MIT's sample
# programs gss-client and gss-server (Debian krb5-gss-samples) with -mech NTLMSSP, one through the module, the
# other through gss-ntlmssp alone (its own mech.d line, its users from NTLM_USER_FILE). Both ways:
#   - gss-ntlmssp's initiator (alice by her password) logs in to gss-server through the module, which answers the
#     client's plain message with a MIC that gss-ntlmssp verifies (gss-client asks for no confidentiality, so the
#     client sends the message unwrapped, -nw);
#   - gss-client through the module (the process's user, alice, whose key the domain knows) logs in to gss-server
#     through gss-ntlmssp, wraps a message that gss-ntlmssp unwraps (its Wrap token: the 16-byte signature, then
#     the sealed data), and verifies gss-ntlmssp's MIC.
# gss-ntlmssp checks a CHALLENGE's timestamp against its own clock: the module's side runs on real time.
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
ntlmssp_conf=/etc/gss/mech.d/mech.ntlmssp.conf
. "$top_srcdir/tests/gss/gss_env.sh"
command -v gss-client >/dev/null && command -v gss-server >/dev/null || gss_need "gss-client/gss-server (apt-get install krb5-gss-samples)"
[ -f "$ntlmssp_conf" ] || gss_need "gss-ntlmssp (apt-get install gss-ntlmssp)"
command -v python3 >/dev/null || gss_need "python3 (for the loopback listener)"
gss_skip_unless_ready
. "$top_srcdir/tests/lib/server.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
gss_no_kdc
unset FAKESSPI_SEED
ntlmssp_lib=$(awk '$2 == "1.3.6.1.4.1.311.2.2.10" { print $3 }' "$ntlmssp_conf")
{ gss_mech_line
  echo "gssntlmssp_v1 1.3.6.1.4.1.311.2.2.10 $ntlmssp_lib"; } > "$dir/ours.conf"
printf 'EXAMPLE:alice:Passw0rd!\n' > "$dir/users"
ours="GSS_MECH_CONFIG=$dir/ours.conf FAKESSPI_CLOCK=real"
theirs="GSS_MECH_CONFIG=$ntlmssp_conf NTLM_USER_FILE=$dir/users"
mech='{ 1 3 6 1 4 1 311 2 2 10 }'

status=0
fail() {
    echo "FAIL: $*"
    status=1
}
server_log() { grep -v '^\([0-9a-f][0-9a-f] \)*$' "$1" || true; }

# 1. gss-ntlmssp's initiator, the module's acceptor.
# shellcheck disable=SC2086
start_server "$dir/listen1.out" "$dir/listen1.out" env $ours $sanitized python3 "$top_srcdir/tests/lib/inetd_listen.py" 1 \
    gss-server -inetd -verbose -logfile "$dir/server1.log" host@server.example.test || exit 1
rc=0
# shellcheck disable=SC2086
env $theirs gss-client -q -nw -port "$server_port" -mech "$mech" -user 'EXAMPLE\alice' -pass 'Passw0rd!' \
    127.0.0.1 host@server.example.test "from gss-ntlmssp" > "$dir/client1.out" 2>&1 || rc=$?
cat "$dir/client1.out"
wait_server
server_log "$dir/server1.log"
[ "$rc" = 0 ] || fail "gss-client through gss-ntlmssp exited with $rc (its login, or its check of the module's MIC)"
[ "$server_rc" = 0 ] || fail "gss-server through the module exited with $server_rc"
grep -q '^Accepted connection using mechanism OID { 1 3 6 1 4 1 311 2 2 10 }\.$' "$dir/server1.log" ||
    fail "the module did not accept gss-ntlmssp's login with NTLMSSP"
grep -qF 'Received message: "from gss-ntlmssp"' "$dir/server1.log" || fail "gss-server did not get the message"

# 2. The module's initiator, gss-ntlmssp's acceptor.
# shellcheck disable=SC2086
start_server "$dir/listen2.out" "$dir/listen2.out" env $theirs python3 "$top_srcdir/tests/lib/inetd_listen.py" 1 \
    gss-server -inetd -verbose -logfile "$dir/server2.log" host@server.example.test || exit 1
rc=0
# shellcheck disable=SC2086
env $ours FAKESSPI_TRACE="$dir/trace" $sanitized gss-client -port "$server_port" -mech "$mech" 127.0.0.1 \
    host@server.example.test "from the module" > "$dir/client2.out" 2>&1 || rc=$?
cat "$dir/client2.out"
wait_server
server_log "$dir/server2.log"
[ "$rc" = 0 ] || fail "gss-client through the module exited with $rc"
[ "$server_rc" = 0 ] || fail "gss-server through gss-ntlmssp exited with $server_rc"
grep -q '^Accepted connection using mechanism OID { 1 3 6 1 4 1 311 2 2 10 }\.$' "$dir/server2.log" ||
    fail "gss-ntlmssp did not accept the module's login"
grep -qF 'Received message: "from the module"' "$dir/server2.log" ||
    fail "gss-ntlmssp did not unwrap the module's Wrap token"
grep -q '^Signature verified\.$' "$dir/client2.out" || fail "the module did not verify gss-ntlmssp's MIC"
grep 'gss_init_sec_context' "$dir/trace" | grep -q 'NTLMSSP' || fail "the module's NTLMSSP did not answer gss-client"
if grep -q 'GSS-API error' "$dir/server1.log" "$dir/server2.log" "$dir/client1.out" "$dir/client2.out"; then
    fail "a GSS-API error was reported"
fi
if grep -q '^fakesspi: ' "$dir/client2.out" "$dir/listen1.out"; then
    fail "the module reported a misuse or a leak"
fi
[ $status -eq 0 ] && echo "PASS: gss-ntlmssp and the module's NTLMSSP log in to each other both ways, with wrap and MIC"
exit $status
