#!/bin/sh
# FAKESSPI_PCAP on unchanged Windows programs: examples/sspi_server and examples/sspi_client each write what
# their SSPI calls handed out and took in as a pcapng capture in the SSPI samples' framing, and tshark, with
# tools/fakesspi-sspi.lua to frame the messages, shows the NTLM user, decrypts the sealed messages with the
# password (-o ntlmssp.nt_password), and with the keytab of sspi-decode --export-keytab shows the client
# named inside the Kerberos ticket.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/lib/server.sh"
server="$top_builddir/examples/sspi_server"
client="$top_builddir/examples/sspi_client"
lua="$top_srcdir/tools/fakesspi-sspi.lua"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN FAKESSPI_PCAP FAKESSPI_PCAP_CARRIER
export FAKESSPI_SEED=1

if ! command -v tshark > /dev/null 2>&1; then
    [ "$(id -u)" = 0 ] && { echo "FAIL: tshark is missing (tools/deps.sh installs it)"; exit 1; }
    echo "SKIP: tshark is missing"
    exit 77
fi
# tshark's own fields from a capture, the samples' framing read by the Lua dissector.
fields() { file=$1; shift; tshark -X "lua_script:$lua" -r "$file" "$@" 2> /dev/null; }
# The bytes Wireshark decrypted, as text, one sealed message a line (its hex dump read back).
decrypted() {
    fields "$@" -x | awk 'function nibble(c) { return index("0123456789abcdef", c) - 1 }
        /^Decrypted data/ { on = 1; next }
        /^$/ { if (on) print ""; on = 0 }
        on { for (i = 2; i <= 17 && $i ~ /^[0-9a-f][0-9a-f]$/; i++) printf "%c", nibble(substr($i, 1, 1)) * 16 + nibble(substr($i, 2, 1)) }'
}

# run PACKAGE TARGET: the server and the client, each writing its own capture.
run() {
    FAKESSPI_USER=svc_server FAKESSPI_PCAP="$tmp/server.pcapng"
    export FAKESSPI_USER FAKESSPI_PCAP
    start_server "$tmp/srv.txt" "$tmp/srv.txt" "$server" 0 Engineering "$1" || { unset FAKESSPI_USER FAKESSPI_PCAP; fail "$1: no server"; return 0; }
    unset FAKESSPI_USER
    FAKESSPI_PCAP="$tmp/client.pcapng" "$client" 127.0.0.1 "$server_port" "$1" "$2" 'EXAMPLE\alice' 'Passw0rd!' > "$tmp/cli.txt" 2>&1 ||
        fail "$1: the client failed: $(cat "$tmp/cli.txt")"
    unset FAKESSPI_PCAP
    wait_server
    [ "$server_rc" -eq 0 ] || fail "$1: the server exited $server_rc: $(cat "$tmp/srv.txt")"
}

run NTLM HOST/anything
for side in server client; do
    fields "$tmp/$side.pcapng" -Y ntlmssp -T fields -e ntlmssp.messagetype -e ntlmssp.auth.username -e fakesspi_sspi.status > "$tmp/ntlm.fields"
    printf '0x00000001\t\t\n0x00000002\t\t0x00090312\n0x00000003\talice\t\n' | cmp -s - "$tmp/ntlm.fields" ||
        fail "the $side's capture, NTLM as tshark reads it: $(cat "$tmp/ntlm.fields")"
    decrypted "$tmp/$side.pcapng" -o 'ntlmssp.nt_password:Passw0rd!' > "$tmp/plain.txt"
    printf 'EXAMPLE\\alice is a member of EXAMPLE\\Engineering\nthank you\n' | cmp -s - "$tmp/plain.txt" ||
        fail "tshark did not open the $side's sealed messages with the password: $(cat "$tmp/plain.txt")"
    decrypted "$tmp/$side.pcapng" -o 'ntlmssp.nt_password:wrong' | grep -q 'thank you' && fail "a wrong password opened them"
    [ "$(fields "$tmp/$side.pcapng" -Y 'tcp.analysis.flags' | wc -l)" -eq 0 ] || fail "tshark finds TCP problems in the $side's capture"
done
# The server saw the whole conversation: its final SEC_E_OK too, which the client's calls never see.
[ "$(fields "$tmp/server.pcapng" -Y 'fakesspi_sspi.status == 0' | wc -l)" -eq 1 ] || fail "the server's last status"

# Kerberos: the ticket opened with the domain's keys.
"$top_builddir/tools/sspi-decode" --export-keytab "$tmp/domain.keytab" > /dev/null || fail "sspi-decode --export-keytab"
run Kerberos HTTP/server.example.test
fields "$tmp/server.pcapng" -o kerberos.decrypt:TRUE -o "kerberos.file:$tmp/domain.keytab" -Y kerberos -T fields \
    -e kerberos.msg_type -e kerberos.CNameString > "$tmp/krb.fields"
printf '14\talice,alice\n15\t\n' | cmp -s - "$tmp/krb.fields" ||
    fail "tshark with the domain's keytab did not show the ticket's client: $(cat "$tmp/krb.fields")"

# The same seed, the same capture.
cp "$tmp/server.pcapng" "$tmp/first.pcapng"
run Kerberos HTTP/server.example.test
cmp -s "$tmp/first.pcapng" "$tmp/server.pcapng" || fail "the same seed wrote another capture"

[ $status -eq 0 ] && echo "PASS: FAKESSPI_PCAP on the socket examples: tshark shows the NTLM user, opens the sealed messages with the password and the ticket with the domain's keytab"
exit $status
