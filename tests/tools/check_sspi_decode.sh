#!/bin/sh
# tools/sspi-decode on real Windows tokens (golden files made from its output, read and checked by
# hand), in every input form, and its messages and exit codes on bad input.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
decode="$top_builddir/tools/sspi-decode"
data="$top_srcdir/tests/data"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }

for t in negotiate challenge authenticate; do
    "$decode" -f "$data/windows-tokens/ntlm_$t" > "$tmp/$t.txt" || fail "decoding ntlm_$t"
    cmp -s "$tmp/$t.txt" "$data/golden/ntlm_$t.txt" || { fail "ntlm_$t differs from its golden file"; diff "$data/golden/ntlm_$t.txt" "$tmp/$t.txt" | head; }
done

hex=$(od -An -v -tx1 "$data/windows-tokens/ntlm_negotiate" | tr -d ' \n')
b64=$(base64 -w0 < "$data/windows-tokens/ntlm_negotiate")
"$decode" "$hex" | cmp -s - "$data/golden/ntlm_negotiate.txt" || fail "hex input"
"$decode" "$b64" | cmp -s - "$data/golden/ntlm_negotiate.txt" || fail "base64 input"
"$decode" "Authorization: NTLM $b64" | cmp -s - "$data/golden/ntlm_negotiate.txt" || fail "an Authorization header"
printf 'WWW-Authenticate: NTLM %s\r\n' "$(base64 -w0 < "$data/windows-tokens/ntlm_challenge")" | "$decode" - |
    cmp -s - "$data/golden/ntlm_challenge.txt" || fail "a WWW-Authenticate header on standard input"

head -c 60 "$data/windows-tokens/ntlm_challenge" > "$tmp/short"
rc=0; "$decode" -f "$tmp/short" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q '^sspi-decode: offset 12: TargetName claims 12 bytes at offset 56, past the end of the 60-byte message$' "$tmp/err" ||
    fail "a truncated CHALLENGE: exit $rc, $(cat "$tmp/err")"
rc=0; "$decode" 'zz!!' > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q 'neither hex nor base64' "$tmp/err" || fail "garbage: exit $rc"
rc=0; "$decode" 6082 > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 3 ] && grep -q 'offset 0: a GSS-API token' "$tmp/err" || fail "a GSS token: exit $rc"
rc=0; "$decode" 4e544c4d5353500009000000 > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q 'unknown type' "$tmp/err" || fail "an unknown NTLM type: exit $rc"
[ $status -eq 0 ] && echo "PASS: sspi-decode: golden files, hex, base64, headers, and exact errors"
exit $status
