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

[ $status -eq 0 ] && echo "PASS: sspi-handshake: golden walk-through, JSON, failures and usage"
exit $status
