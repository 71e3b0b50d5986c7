#!/bin/sh
# MIT's sample programs gss-client and gss-server (Debian krb5-gss-samples), which no one here wrote, log in to
# the fake domain through the GSSAPI module (doc/gssapi.md) with no KDC and no keytab: MIT's own Kerberos is
# pointed at files that do not exist, so only the module can answer. gss-server runs as inetd would run it,
# behind a listener on 127.0.0.1 at a port the kernel picks (it has no option to listen on loopback only), once
# per client. Two clients: a message wrapped with confidentiality and signed back (gss-client's defaults, and its
# -verbose report of gss_inquire_context and gss_inquire_names_for_mech), then a file wrapped without
# confidentiality three times (-f -nx -mcount 3). Then a second gss-server with -export, against a Kerberos and a
# SPNEGO client.
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
. "$top_srcdir/tests/gss/gss_env.sh"
command -v gss-client >/dev/null && command -v gss-server >/dev/null || gss_need "gss-client/gss-server (apt-get install krb5-gss-samples)"
command -v python3 >/dev/null || gss_need "python3 (for the loopback listener)"
gss_skip_unless_ready
. "$top_srcdir/tests/lib/server.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
gss_no_kdc
gss_mech_line > "$dir/mech.conf"
export GSS_MECH_CONFIG="$dir/mech.conf"
# shellcheck disable=SC2086
run() { env $sanitized "$@"; }

# The listener: one gss-server per connection, the connection as its standard input (gss-server -inetd).
# shellcheck disable=SC2086
start_server "$dir/listen.out" "$dir/listen.out" \
    python3 "$top_srcdir/tests/lib/inetd_listen.py" 2 env $sanitized \
    gss-server -inetd -verbose -logfile "$dir/server.log" host@server.example.test || exit 1
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

msg="the fake domain says hello to gss-server"
rc=0
run gss-client -port "$server_port" 127.0.0.1 host@server.example.test "$msg" > "$dir/client1.out" 2>&1 || rc=$?
cat "$dir/client1.out"
[ "$rc" = 0 ] || fail "gss-client exited with $rc"
grep -q '^"alice@EXAMPLE.TEST" to "host/server.example.test@EXAMPLE.TEST", lifetime [1-9][0-9]*, flags [0-9a-f]*, locally initiated, open$' \
    "$dir/client1.out" || fail "gss-client did not report the context's names (gss_inquire_context)"
grep -q '^Mechanism { 1 2 840 113554 1 2 2 } supports 5 names$' "$dir/client1.out" ||
    fail "gss-client did not list the mechanism's name types (gss_inquire_names_for_mech)"
grep -q '^Signature verified\.$' "$dir/client1.out" || fail "gss-client did not verify the server's MIC"

printf 'line one\nline two of a file\n' > "$dir/message.txt"
rc=0
run gss-client -port "$server_port" -f -nx -mcount 3 127.0.0.1 host@server.example.test "$dir/message.txt" \
    > "$dir/client2.out" 2>&1 || rc=$?
cat "$dir/client2.out"
[ "$rc" = 0 ] || fail "gss-client -f -nx exited with $rc"
[ "$(grep -c '^Signature verified\.$' "$dir/client2.out")" = 3 ] || fail "gss-client -mcount 3 did not verify three MICs"

wait_server
# The server's log without its hex dumps of the tokens.
cat "$dir/listen.out"
grep -v '^\([0-9a-f][0-9a-f] \)*$' "$dir/server.log" || true
[ "$server_rc" = 0 ] || fail "gss-server (or its listener) exited with $server_rc"
[ "$(grep -c '^Accepted connection using mechanism OID { 1 2 840 113554 1 2 2 }\.$' "$dir/server.log")" = 2 ] ||
    fail "gss-server did not accept both clients with the Kerberos mechanism"
grep -qF "Received message: \"$msg\"" "$dir/server.log" || fail "gss-server did not unwrap the first client's message"
[ "$(grep -c '^line two of a file$' "$dir/server.log")" = 3 ] || fail "gss-server did not unwrap the file three times"
if grep -q 'GSS-API error' "$dir/server.log" "$dir/client1.out" "$dir/client2.out"; then
    fail "a GSS-API error was reported"
fi
if grep -q '^fakesspi: ' "$dir/client1.out" "$dir/client2.out" "$dir/listen.out"; then
    fail "the module reported a misuse or a leak"
fi

# gss-server -export: every accepted context exported and imported back before the server uses it
# (doc/semantics.md §72), so the client's wrapped message is unwrapped, and the server's MIC of it made, by the
# imported context. Once with Kerberos, once with SPNEGO (gss-client -spnego).
# shellcheck disable=SC2086
start_server "$dir/listen_export.out" "$dir/listen_export.out" \
    python3 "$top_srcdir/tests/lib/inetd_listen.py" 2 env $sanitized \
    gss-server -inetd -export -verbose -logfile "$dir/server_export.log" host@server.example.test || exit 1
for how in krb5 spnego; do
    rc=0
    run gss-client -port "$server_port" $([ "$how" = spnego ] && echo -spnego) 127.0.0.1 host@server.example.test \
        "$msg ($how, exported)" > "$dir/client_export_$how.out" 2>&1 || rc=$?
    cat "$dir/client_export_$how.out"
    [ "$rc" = 0 ] || fail "gss-client ($how) against gss-server -export exited with $rc"
    grep -q '^Signature verified\.$' "$dir/client_export_$how.out" ||
        fail "gss-client ($how) did not verify the MIC of the server's imported context"
    grep -qF "Received message: \"$msg ($how, exported)\"" "$dir/server_export.log" ||
        fail "gss-server -export did not unwrap the $how client's message with the imported context"
done
wait_server
cat "$dir/listen_export.out"
grep -v '^\([0-9a-f][0-9a-f] \)*$' "$dir/server_export.log" || true
[ "$server_rc" = 0 ] || fail "gss-server -export (or its listener) exited with $server_rc"
[ "$(grep -c '^Importing context: ' "$dir/server_export.log")" -ge 2 ] ||
    fail "gss-server -export did not export and import the contexts"
if grep -q 'GSS-API error' "$dir/server_export.log" "$dir/client_export_krb5.out" "$dir/client_export_spnego.out"; then
    fail "a GSS-API error was reported with gss-server -export"
fi
if grep -q '^fakesspi: ' "$dir/client_export_krb5.out" "$dir/client_export_spnego.out" "$dir/listen_export.out"; then
    fail "the module reported a misuse or a leak with gss-server -export"
fi
exit $status
