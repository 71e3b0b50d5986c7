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

# One login: gss-server behind a listener with the environment $2, gss-client with $3 and the options after $4,
# sending the message $4; leg $1's files are $dir/{listen,server,client}$1.*. Checks what both legs share.
leg() {
    n=$1 server_env=$2 client_env=$3 msg=$4
    shift 4
    # shellcheck disable=SC2086
    start_server "$dir/listen$n.out" "$dir/listen$n.out" env $server_env python3 "$top_srcdir/tests/lib/inetd_listen.py" 1 \
        gss-server -inetd -verbose -logfile "$dir/server$n.log" host@server.example.test || exit 1
    rc=0
    # shellcheck disable=SC2086
    env $client_env gss-client -port "$server_port" -mech "$mech" "$@" 127.0.0.1 host@server.example.test "$msg" \
        > "$dir/client$n.out" 2>&1 || rc=$?
    cat "$dir/client$n.out"
    wait_server
    server_log "$dir/server$n.log"
    [ "$rc" = 0 ] || fail "leg $n: gss-client exited with $rc (its login, or its check of the server's MIC)"
    [ "$server_rc" = 0 ] || fail "leg $n: gss-server exited with $server_rc"
    grep -q '^Accepted connection using mechanism OID { 1 3 6 1 4 1 311 2 2 10 }\.$' "$dir/server$n.log" ||
        fail "leg $n: gss-server did not accept the login with NTLMSSP"
    grep -qF "Received message: \"$msg\"" "$dir/server$n.log" || fail "leg $n: gss-server did not unwrap the message"
}

# 1. gss-ntlmssp's initiator, the module's acceptor.
leg 1 "$ours $sanitized" "$theirs" "from gss-ntlmssp" -q -nw -user 'EXAMPLE\alice' -pass 'Passw0rd!'
# 2. The module's initiator, gss-ntlmssp's acceptor.
leg 2 "$theirs" "$ours FAKESSPI_TRACE=$dir/trace $sanitized" "from the module"
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
