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

# SPNEGO and Kerberos tokens Windows wrote, each with its inner token explained in turn.
for t in initial_context_token_neg_token_init initial_context_token_neg_token_init2 neg_token_resp \
         initial_context_token_krb_ap_req initial_context_token_krb_ap_rep; do
    "$decode" -f "$data/windows-tokens/$t" > "$tmp/$t.txt" || fail "decoding $t"
    cmp -s "$tmp/$t.txt" "$data/golden/$t.txt" || { fail "$t differs from its golden file"; diff "$data/golden/$t.txt" "$tmp/$t.txt" | head; }
done
"$decode" "Authorization: Negotiate $(base64 -w0 < "$data/windows-tokens/initial_context_token_neg_token_init")" |
    cmp -s - "$data/golden/initial_context_token_neg_token_init.txt" || fail "an Authorization: Negotiate header"

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
[ $rc -eq 1 ] && grep -q '^sspi-decode: offset 0: length field too long or cut short$' "$tmp/err" || fail "a cut GSS token: exit $rc"
rc=0; "$decode" 600e060a2b06010401823702020a0000 > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q '^sspi-decode: offset 4: a GSS-API token for mechanism 1.3.6.1.4.1.311.2.2.10, not Kerberos or SPNEGO$' "$tmp/err" ||
    fail "another mechanism's GSS token: exit $rc"
head -c 700 "$data/windows-tokens/initial_context_token_neg_token_init" > "$tmp/cut"
rc=0; "$decode" -f "$tmp/cut" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q '^sspi-decode: offset 0: length runs past the end$' "$tmp/err" || fail "a cut NegTokenInit: exit $rc, $(cat "$tmp/err")"
rc=0; "$decode" 4e544c4d5353500009000000 > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q 'unknown type' "$tmp/err" || fail "an unknown NTLM type: exit $rc"
[ $status -eq 0 ] && echo "PASS: sspi-decode: golden files (NTLM, SPNEGO, Kerberos), hex, base64, headers, and exact errors"
exit $status
