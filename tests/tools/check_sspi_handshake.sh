#!/bin/sh
# tools/sspi-handshake: the whole walk-through against its golden file (made with the default seed and
# checked by hand: flags, statuses, the decoded tokens, bob's groups and privileges, the misuse report),
# the JSON form read by a JSON parser, and its exit codes and messages on failure and bad usage.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
tool="$top_builddir/tools/sspi-handshake"
golden="$top_srcdir/tests/data/golden/sspi-handshake.txt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN FAKESSPI_CLOCK
export FAKESSPI_SEED=0

# Thread numbers are the kernel's: the only part of the output that changes between runs.
"$tool" --no-color --misuse > "$tmp/out.txt" || fail "the walk-through exited $?"
sed -E 's/thread [0-9]+/thread T/g' "$tmp/out.txt" > "$tmp/norm.txt"
cmp -s "$tmp/norm.txt" "$golden" || { fail "the walk-through differs from its golden file"; diff "$golden" "$tmp/norm.txt" | head -20; }

"$tool" --json --misuse > "$tmp/out.json" || fail "--json exited $?"
python3 - "$tmp/out.json" <<'PY' || fail "the JSON form"
import json, sys
steps = json.load(open(sys.argv[1]))
names = [s["step"] for s in steps]
assert names == ["client credentials", "server credentials", "leg 1", "leg 2", "leg 3", "leg 4", "names", "token",
                 "impersonation", "sign", "seal", "misuse"], names
legs = {s["step"]: s for s in steps}
assert legs["leg 1"]["status"] == "SEC_I_CONTINUE_NEEDED" and legs["leg 1"]["token"].startswith("4e544c4d53535000010000")
assert legs["leg 2"]["token"].startswith("4e544c4d53535000020000")
assert legs["leg 3"]["status"] == "SEC_E_OK" and legs["leg 3"]["token"].startswith("4e544c4d53535000030000")
assert legs["leg 4"]["status"] == "SEC_E_OK" and legs["leg 4"]["token"] == ""
assert legs["token"]["user"] == "EXAMPLE\\bob"
assert "MISUSE CLOSE_BORROWED" in legs["misuse"]["report"]
assert legs["seal"]["decrypted"] == '"Hello from the client"'
PY

# A wrong password: the server refuses the last leg, the tool says so and exits 1.
rc=0; "$tool" --no-color --password wrong > "$tmp/out" 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q '^sspi-handshake: AcceptSecurityContext failed: SEC_E_LOGON_DENIED (0x8009030c)$' "$tmp/err" &&
    grep -q 'SEC_E_LOGON_DENIED  the logon attempt failed' "$tmp/out" || fail "a wrong password: exit $rc, $(cat "$tmp/err")"
rc=0; "$tool" --package Kerberos > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q 'only NTLM is emulated so far' "$tmp/err" || fail "an unemulated package: exit $rc"
rc=0; "$tool" --bogus > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q '^usage: sspi-handshake' "$tmp/err" || fail "a bad option: exit $rc"
rc=0; "$tool" --help > "$tmp/out" || rc=$?
[ $rc -eq 0 ] && grep -q 'SEC_I_CONTINUE_NEEDED: send the token and call again' "$tmp/out" || fail "--help: exit $rc"
# Colour only when asked or on a terminal; never in the golden run above.
"$tool" --color | grep -q "$(printf '\033')\[1m" || fail "--color wrote no colour"
grep -q "$(printf '\033')" "$tmp/out.txt" && fail "colour in a run to a file"

# Two processes over loopback TCP: the server names its port, the client connects; each explains its own
# legs, and a sealed message goes each way.
two_processes() { # two_processes PASSWORD: leaves $srv_rc, $cli_rc and the outputs in $tmp
    rm -f "$tmp/srv.err"
    "$tool" --no-color --listen 0 > "$tmp/srv.txt" 2> "$tmp/srv.err" &
    pid=$!
    port=""
    for _ in $(seq 50); do
        port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$tmp/srv.err")
        [ -n "$port" ] && break
        sleep 0.1
    done
    cli_rc=0; "$tool" --no-color --password "$1" --connect "127.0.0.1:$port" > "$tmp/cli.txt" 2> "$tmp/cli.err" || cli_rc=$?
    srv_rc=0; wait $pid || srv_rc=$?
}
two_processes 'Hunter2!'
[ $srv_rc -eq 0 ] && [ $cli_rc -eq 0 ] || fail "two processes: server exit $srv_rc, client exit $cli_rc: $(cat "$tmp/srv.err" "$tmp/cli.err")"
grep -q '^Leg 2: the server calls AcceptSecurityContext' "$tmp/srv.txt" && ! grep -q '^Leg 1' "$tmp/srv.txt" ||
    fail "the server explains only its own legs"
grep -q '^Leg 3: the client calls InitializeSecurityContext' "$tmp/cli.txt" && ! grep -q '^Leg 2' "$tmp/cli.txt" ||
    fail "the client explains only its own legs"
grep -q 'decrypted              "Hello from the client"' "$tmp/srv.txt" || fail "the server did not open the client's message"
grep -q 'decrypted              "Hello, EXAMPLE\\bob"' "$tmp/cli.txt" || fail "the client did not open the server's reply"
grep -q 'user                   EXAMPLE\\bob' "$tmp/srv.txt" || fail "the server did not show the client's token"
two_processes wrong
[ $srv_rc -eq 1 ] && [ $cli_rc -eq 1 ] || fail "a wrong password over TCP: server exit $srv_rc, client exit $cli_rc"
grep -q "server's status        SEC_E_LOGON_DENIED" "$tmp/cli.txt" || fail "the client was not told the server refused"
rc=0; "$tool" --connect nowhere > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q "wants HOST:PORT" "$tmp/err" || fail "a bad --connect: exit $rc"
rc=0; "$tool" --listen 70000 > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "a port from 0 to 65535" "$tmp/err" || fail "a bad --listen: exit $rc"

[ $status -eq 0 ] && echo "PASS: sspi-handshake: golden walk-through, JSON, two processes over TCP, failures and usage"
exit $status
