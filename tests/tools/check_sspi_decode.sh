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
# decodes_to GOLDEN ARG...: sspi-decode ARG... exits 0 and prints GOLDEN exactly (a pipe would hide its exit).
decodes_to() {
    want=$1
    shift
    "$decode" "$@" > "$tmp/decoded.txt" && cmp -s "$tmp/decoded.txt" "$want"
}

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
decodes_to "$data/golden/initial_context_token_neg_token_init.txt" "Authorization: Negotiate $(base64 -w0 < "$data/windows-tokens/initial_context_token_neg_token_init")" || fail "an Authorization: Negotiate header"

hex=$(od -An -v -tx1 "$data/windows-tokens/ntlm_negotiate" | tr -d ' \n')
b64=$(base64 -w0 < "$data/windows-tokens/ntlm_negotiate")
decodes_to "$data/golden/ntlm_negotiate.txt" "$hex" || fail "hex input"
decodes_to "$data/golden/ntlm_negotiate.txt" "$b64" || fail "base64 input"
decodes_to "$data/golden/ntlm_negotiate.txt" "Authorization: NTLM $b64" || fail "an Authorization header"
printf 'WWW-Authenticate: NTLM %s\r\n' "$(base64 -w0 < "$data/windows-tokens/ntlm_challenge")" > "$tmp/header.txt"
decodes_to "$data/golden/ntlm_challenge.txt" - < "$tmp/header.txt" || fail "a WWW-Authenticate header on standard input"

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

# ---- every input form people paste (issue 15) ----
neg="$data/windows-tokens/ntlm_negotiate"
gold="$data/golden/ntlm_negotiate.txt"
od -An -v -tx1 "$neg" > "$tmp/spaced.hex"                     # hex with spaces and newlines
decodes_to "$gold" "$(cat "$tmp/spaced.hex")" || fail "hex with spaces and newlines"
od -An -v -tx1 "$neg" | tr -d ' \n' | fold -w 60 > "$tmp/xxd.hex" # xxd -p: 60 hex digits a line
decodes_to "$gold" "$tmp/xxd.hex" || fail "xxd -p output in a file"
decodes_to "$gold" - < "$tmp/xxd.hex" || fail "xxd -p output on standard input"
base64 "$data/windows-tokens/ntlm_authenticate" > "$tmp/auth.b64"  # wrapped at 76 columns
[ "$(wc -l < "$tmp/auth.b64")" -gt 1 ] || fail "the base64 file should span lines"
decodes_to "$data/golden/ntlm_authenticate.txt" "$tmp/auth.b64" || fail "base64 in a file"
decodes_to "$gold" "$neg" || fail "a positional argument naming a file of raw bytes"
decodes_to "$gold" "> Authorization: NTLM $b64" || fail "a request line copied from curl -v"
decodes_to "$data/golden/neg_token_resp.txt" "< WWW-Authenticate: Negotiate $(base64 -w0 < "$data/windows-tokens/neg_token_resp")" || fail "a response line copied from curl -v"
decodes_to "$gold" "NTLM $b64" || fail "a scheme and its token"
printf 'HTTP/1.1 401 Unauthorized\r\nServer: Microsoft-IIS/10.0\r\nWWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM %s\r\nContent-Length: 0\r\n\r\n' \
    "$(base64 -w0 < "$data/windows-tokens/ntlm_challenge")" > "$tmp/response.txt"
decodes_to "$data/golden/ntlm_challenge.txt" "$tmp/response.txt" || fail "a whole HTTP response (the bare Negotiate offer skipped)"
printf 'GET / HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n' > "$tmp/noauth.txt"
rc=0; "$decode" "$tmp/no-such-file.b64" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "^sspi-decode: '$tmp/no-such-file.b64' is no file, nor hex or base64$" "$tmp/err" || fail "a missing file: exit $rc, $(cat "$tmp/err")"
rc=0; "$decode" "$tmp/noauth.txt" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q '^sspi-decode: the headers carry no Authorization or WWW-Authenticate token$' "$tmp/err" ||
    fail "headers without a token: exit $rc, $(cat "$tmp/err")"
# A whole curl -v transcript is one conversation: three messages in order, and what the server refused.
"$decode" --no-domain "$data/sspi-decode/ntlm-curl-v.txt" > "$tmp/curl.txt" || fail "a curl -v transcript"
[ "$(grep -c '^NTLM .*_MESSAGE (type [123])' "$tmp/curl.txt")" -eq 3 ] || fail "the transcript's three legs"
grep -q '^    OEM                    the server chose UNICODE: one character set is agreed$' "$tmp/curl.txt" ||
    fail "the flag the server refused, explained"
! grep -q 'check' "$tmp/curl.txt" || fail "--no-domain still checked the proof"

# Options: --version, --help, unknown options refused with the usage and exit 2.
"$decode" --version > "$tmp/v" && grep -q '^sspi-decode (libfakesspi) [0-9][0-9.]*$' "$tmp/v" || fail "--version: $(cat "$tmp/v")"
"$decode" --help | grep -q '^usage: sspi-decode' || fail "--help"
for bad in --bogus -x; do
    rc=0; "$decode" $bad "$b64" > "$tmp/out" 2> "$tmp/err" || rc=$?
    [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q '^usage: sspi-decode' "$tmp/err" && grep -q 'unknown' "$tmp/err" ||
        fail "the unknown option $bad: exit $rc, $(cat "$tmp/err")"
done
rc=0; "$decode" --nt-hash 1234 "$b64" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "^sspi-decode: --nt-hash wants 32 hex digits, not '1234'$" "$tmp/err" || fail "a short --nt-hash: exit $rc"
rc=0; "$decode" > /dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || fail "no input: exit $rc"

# --json: the schema of doc/tools.md, read by a JSON parser.
"$decode" --json "$data/windows-tokens/initial_context_token_neg_token_init2" "$data/windows-tokens/neg_token_resp" \
    "$data/windows-tokens/ntlm_authenticate" > "$tmp/out.json" || fail "--json exited $?"
python3 - "$tmp/out.json" <<'PY' || fail "the JSON document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["program"] == "sspi-decode", d
init, resp, auth = d["messages"]
assert init["title"].startswith("SPNEGO NegTokenInit"), init["title"]
hints = [f for f in init["fields"] if f["name"] == "negHints"][0]
assert hints["fields"][0]["name"] == "hintName" and "not_defined_in_RFC4178@please_ignore" in hints["fields"][0]["value"]
token = [f for f in resp["fields"] if f["name"] == "responseToken"][0]
assert token["offset"] == 30 and token["length"] == 156, token
assert token["message"]["title"].startswith("Kerberos AP-REP"), token["message"]
key = [f for f in auth["fields"] if f["name"] == "EncryptedRandomSessionKey"][0]
assert key["value"] == "3765d5afd13ec3a6c97c0726ce9f30c9" and key["offset"] == 404 and key["length"] == 16, key
assert "does not cross the wire" in key["fields"][0]["value"]
nt = [f for f in auth["fields"] if f["name"] == "NT response"][0]
assert nt["offset"] == 72 and nt["length"] == 252 and nt["fields"][0]["name"] == "NTProofStr", nt
for m in d["messages"]:
    assert "error" not in m
PY
rc=0; "$decode" --json 4e544c4d5353500002000000 > "$tmp/bad.json" 2> /dev/null || rc=$?
[ $rc -eq 1 ] && python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))["messages"][0]
assert m["error"] == {"offset": 12, "what": "the message ends inside a field header"}, m
assert m["fields"] == [], m' "$tmp/bad.json" || fail "--json on a malformed token: exit $rc"

# ---- what the bytes are (issue 15) ----
# These golden files are the tools' output, compared byte for byte above and in check_sspi_handshake.sh.
grep -q '^  EncryptedRandomSessionKey 3765d5afd13ec3a6c97c0726ce9f30c9 (16 bytes at offset 404)$' "$data/golden/ntlm_authenticate.txt" &&
    grep -q 'the session key does not cross the wire' "$data/golden/ntlm_authenticate.txt" || fail "the golden names EncryptedRandomSessionKey"
grep -q '^  LM response              24 zero bytes: no LMv2 response' "$data/golden/sspi-handshake.txt" || fail "the LM response labelled"
grep -q '^    hintName               "not_defined_in_RFC4178@please_ignore"' "$data/golden/initial_context_token_neg_token_init2.txt" ||
    fail "negHints' hintName"

# ---- with the secret: the proof checked, the session key derived, signatures and sealed messages opened ----
conv="$data/sspi-decode/ntlm-curl-v.txt $data/sspi-decode/ntlm-signature.hex $data/sspi-decode/ntlm-sealed.hex"
"$decode" $conv > "$tmp/conv.txt" || fail "the conversation with the embedded domain"
cmp -s "$tmp/conv.txt" "$data/golden/sspi-decode-ntlm-conversation.txt" ||
    { fail "the decrypted NTLM conversation differs from its golden file"; diff "$data/golden/sspi-decode-ntlm-conversation.txt" "$tmp/conv.txt" | head; }
rc=0; "$decode" --domain "$data/small_domain.ini" $conv > "$tmp/small.txt" || rc=$?
[ $rc -eq 0 ] && grep -q "^  check                    CORP has no user 'bob' with a password (give --password or --nt-hash to check the proof)$" "$tmp/small.txt" ||
    fail "--domain FILE, a domain without bob: exit $rc"
rc=0; "$decode" --password wrong $conv > "$tmp/wrong.txt" || rc=$?
[ $rc -eq 1 ] && grep -q '^  NTProofStr check         FAILED with the NT hash given: the password differs' "$tmp/wrong.txt" &&
    grep -q '^  check                    needs the session key' "$tmp/wrong.txt" || fail "a wrong password: exit $rc"
rc=0; "$decode" --no-domain "$data/sspi-decode/ntlm-signature.hex" > "$tmp/sig.txt" || rc=$?
[ $rc -eq 0 ] && grep -q '^NTLM NTLMSSP_MESSAGE_SIGNATURE (MS-NLMP 2.2.2.9.1), 37 bytes, then the message$' "$tmp/sig.txt" &&
    grep -q '^  sequence number          0 (4 bytes at offset 12)$' "$tmp/sig.txt" || fail "a signature without keys: exit $rc"
# Windows' own tokens (pyspnego's capture; its test password): the proof checks, by password and by NT hash.
win="$data/windows-tokens/ntlm_challenge $data/windows-tokens/ntlm_authenticate"
"$decode" --password VagrantPass1 $win > "$tmp/win.txt" &&
    grep -q '^  NTProofStr check         verified with the NT hash given$' "$tmp/win.txt" &&
    grep -q '^  ExportedSessionKey       4e10f9b8aa8c2a5df0a2ad75a8ecf433$' "$tmp/win.txt" || fail "Windows' AUTHENTICATE with its password"
# MD4 of UTF-16LE "VagrantPass1", as `iconv -t UTF-16LE | openssl dgst -md4` gives it
"$decode" --nt-hash 35816cd15a8a341dd2828bfc6c375e06 $win > "$tmp/win-hash.txt" &&
    grep -q '^  NTProofStr check         verified with the NT hash given$' "$tmp/win-hash.txt" || fail "Windows' AUTHENTICATE with --nt-hash"
# ---- Kerberos with the domain's keys: the ticket, the authenticator, the AP-REP, then MIC and Wrap opened ----
k="$data/sspi-decode"
kconv="$k/krb-ap-req.hex $k/krb-ap-rep.hex $k/krb-mic.hex $k/krb-wrap.hex"
"$decode" $kconv > "$tmp/kconv.txt" || fail "the Kerberos conversation exited $?"
cmp -s "$tmp/kconv.txt" "$data/golden/sspi-decode-krb-conversation.txt" ||
    { fail "the decrypted Kerberos conversation differs from its golden file"; diff "$data/golden/sspi-decode-krb-conversation.txt" "$tmp/kconv.txt" | head; }
# Negotiate wraps the same AP-REQ in SPNEGO: the inner ticket is opened too (sspi-handshake makes the tokens;
# its --json carries whole tokens, a Kerberos one included).
"$top_builddir/tools/sspi-handshake" --package Negotiate --json > "$tmp/neg.json" || fail "sspi-handshake --package Negotiate"
python3 -c '
import json, sys
print(" ".join(s["token"] for s in json.load(open(sys.argv[1])) if s.get("token")))' "$tmp/neg.json" > "$tmp/neg.tokens"
"$decode" $(cat "$tmp/neg.tokens") > "$tmp/neg.txt" || fail "the Negotiate conversation exited $?"
grep -q '^SPNEGO NegTokenInit' "$tmp/neg.txt" && grep -q '^    client                 bob@EXAMPLE.TEST (NT-PRINCIPAL)$' "$tmp/neg.txt" &&
    grep -q '^  enc-part, decrypted      with the ticket.s session key (usage 12)$' "$tmp/neg.txt" ||
    fail "the ticket inside SPNEGO: $(head -3 "$tmp/neg.txt")"
rc=0; "$decode" --domain "$data/small_domain.ini" "$k/krb-ap-req.hex" > "$tmp/other.txt" || rc=$?
[ $rc -eq 0 ] && grep -q '^  decrypted                no: the domain CORP.EXAMPLE has no service HOST/server.example.test@EXAMPLE.TEST$' "$tmp/other.txt" ||
    fail "a ticket for another domain: exit $rc, $(grep decrypted "$tmp/other.txt")"
"$decode" --no-domain $kconv > "$tmp/nokeys.txt" || fail "--no-domain on Kerberos exited $?"
! grep -q 'decrypted\|verified' "$tmp/nokeys.txt" && grep -q '^  check                    needs the key: give the Kerberos exchange before it$' "$tmp/nokeys.txt" ||
    fail "--no-domain opened something"
# One byte of the ticket's ciphertext changed (offset 200, inside enc-part at 143..458): the key no longer fits.
hex=$(cat "$k/krb-ap-req.hex")
flipped=$(printf '%s' "$hex" | cut -c1-400)$(printf '%s' "$hex" | cut -c401-402 | tr '0-9a-f' '1-9a-f0')$(printf '%s' "$hex" | cut -c403-)
rc=0; "$decode" "$flipped" > "$tmp/flip.txt" || rc=$?
[ $rc -eq 1 ] && grep -q "^  decrypted                FAILED: svc_server's key does not open the ticket (KRB_AP_ERR_MODIFIED)$" "$tmp/flip.txt" ||
    fail "an altered ticket: exit $rc"
# DCE style (doc/semantics.md §60): the bare AP-REQ with GSS_C_DCE_STYLE, the server's bare AP-REP, the client's own
# AP-REP as the third leg (which leaves the server's subkey in charge), then a Wrap token with its block of filler.
dconv="$k/krb-dce-ap-req.hex $k/krb-dce-ap-rep.hex $k/krb-dce-third-leg.hex $k/krb-dce-wrap.hex"
"$decode" $dconv > "$tmp/dce.txt" || fail "the DCE-style conversation exited $?"
[ "$(grep -c '^Kerberos AP-RE[QP] (RFC 4120 5.5.[12]), bare (no GSS-API framing: DCE style, MS-KILE 3.4.5.1)' "$tmp/dce.txt")" = 3 ] &&
    grep -q '^      flags .*GSS_C_MUTUAL_FLAG .*GSS_C_DCE_STYLE_FLAG$' "$tmp/dce.txt" &&
    grep -q '^      DCE style            three legs (MS-KILE 3.4.5.1): this bare AP-REQ' "$tmp/dce.txt" &&
    grep -q "^  DCE style                the client's own AP-REP, the third leg" "$tmp/dce.txt" &&
    grep -q '^  EC                       16 ' "$tmp/dce.txt" &&
    grep -q "^  check                    verified: sealed by the initiator, with the acceptor's subkey from the AP-REP" "$tmp/dce.txt" &&
    grep -q '^  decrypted                "Hello in DCE style"$' "$tmp/dce.txt" || fail "the DCE-style conversation explained"
rc=0; "$decode" "$k/krb-ap-req.hex" "$k/krb-ap-rep.hex" "$k/krb-wrap.hex" "$k/krb-mic.hex" > "$tmp/order.txt" || rc=$?
[ $rc -eq 0 ] && grep -q '^  check                    verified: signed by the initiator' "$tmp/order.txt" || fail "tokens checked out of order: exit $rc"

# ---- the KDC's messages, captured from a real MIT KDC: every message and its padata by name ----
m="$data/mit-kdc"
kdc="$m/as-req $m/krb-error-preauth-required $m/as-req-enc-timestamp $m/as-rep $m/tgs-req $m/tgs-rep $m/krb-error-s-principal-unknown $m/krb-cred"
"$decode" --no-domain $kdc > "$tmp/kdc.txt" || fail "the MIT KDC's messages exited $?"
cmp -s "$tmp/kdc.txt" "$data/golden/sspi-decode-mit-kdc.txt" ||
    { fail "the MIT KDC's messages differ from their golden file"; diff "$data/golden/sspi-decode-mit-kdc.txt" "$tmp/kdc.txt" | head; }
for kind in 'AS-REQ (RFC 4120 5.4.1)' 'AS-REP (RFC 4120 5.4.2)' 'TGS-REQ (RFC 4120 5.4.1)' 'TGS-REP (RFC 4120 5.4.2)' \
            'KRB-ERROR (RFC 4120 5.9.1)' 'KRB-CRED (RFC 4120 5.8.1)' 'AP-REQ (RFC 4120 5.5.1)'; do
    grep -q "^Kerberos $kind" "$tmp/kdc.txt" || fail "no $kind among the KDC's messages"
done
for pa in 'PA-ETYPE-INFO2 (19)' 'PA-ENC-TIMESTAMP (2)' 'PA-FX-COOKIE (133)' 'PA-TGS-REQ (1)' 'PA-FX-FAST (136)' 'PA-REQ-ENC-PA-REP (149)'; do
    grep -q "^ *$pa " "$tmp/kdc.txt" || fail "padata $pa not named"
done
grep -q '^      aes256-cts-hmac-sha1-96 etype 18, salt "MIT.TESTalice"$' "$tmp/kdc.txt" || fail "ETYPE-INFO2's salt"
grep -q '^  error-code               25 KDC_ERR_PREAUTH_REQUIRED$' "$tmp/kdc.txt" || fail "PREAUTH_REQUIRED by name"
head -c 100 "$m/as-req" > "$tmp/cut-as-req"
rc=0; "$decode" -f "$tmp/cut-as-req" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q '^sspi-decode: offset 0: length runs past the end$' "$tmp/err" || fail "a cut AS-REQ: exit $rc, $(cat "$tmp/err")"

# --keytab: another realm's keys (MIT's kadmin export) open its tickets: the AS-REP's TGT, the TGS-REQ's TGT,
# the TGS-REP's service ticket and the KRB-CRED's TGT.
"$decode" --no-domain --keytab "$m/mit.keytab" "$m/as-rep" "$m/tgs-req" "$m/tgs-rep" "$m/krb-cred" > "$tmp/kt.txt" ||
    fail "--keytab exited $?"
cmp -s "$tmp/kt.txt" "$data/golden/sspi-decode-mit-kdc-keytab.txt" ||
    { fail "the tickets opened with the keytab differ from their golden file"; diff "$data/golden/sspi-decode-mit-kdc-keytab.txt" "$tmp/kt.txt" | head; }
[ "$(grep -c '^ *ticket, decrypted  *with the keytab.s ' "$tmp/kt.txt")" -eq 4 ] &&
    [ "$(grep -c '^ *client  *alice@MIT.TEST (NT-PRINCIPAL)$' "$tmp/kt.txt")" -eq 4 ] || fail "the four tickets opened"
rc=0; "$decode" --no-domain --keytab "$m/mit.keytab" "$k/krb-ap-req.hex" > "$tmp/ktbad.txt" || rc=$?
[ $rc -eq 1 ] && grep -q '^  decrypted                FAILED: no key of the keytab opens the ticket (KRB_AP_ERR_MODIFIED)$' "$tmp/ktbad.txt" ||
    fail "another realm's ticket with the keytab: exit $rc"
rc=0; "$decode" --keytab "$m/as-req" "$k/krb-ap-req.hex" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "^sspi-decode: --keytab: $m/as-req: not an MIT keytab of version 0x502$" "$tmp/err" || fail "a keytab that is not one: exit $rc"
# --export-keytab: the domain's service keys as a keytab, which opens the domain's own tickets with no domain
# loaded, and which MIT's klist reads (every SPN, AES256 and AES128, kvno 2).
"$decode" --export-keytab "$tmp/domain.keytab" || fail "--export-keytab exited $?"
"$decode" --no-domain --keytab "$tmp/domain.keytab" "$k/krb-ap-req.hex" > "$tmp/own.txt" ||
    fail "the domain's ticket with the exported keytab: exit $?"
grep -q "^  ticket, decrypted        with the keytab's host/server.example.test@EXAMPLE.TEST key (aes256-cts-hmac-sha1-96, kvno 2)$" \
    "$tmp/own.txt" || fail "the exported keytab did not open the domain's ticket"
if command -v klist > /dev/null 2>&1; then
    klist -k -e "$tmp/domain.keytab" > "$tmp/klist.txt" || fail "klist -k could not read the exported keytab"
    for principal in HTTP/server.example.test host/server.example.test cifs/server.example.test; do
        for etype in aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96; do
            grep -q "^   2 $principal@EXAMPLE.TEST ($etype) *$" "$tmp/klist.txt" || fail "klist -k: no $principal $etype"
        done
    done
    # An account whose supported_enctypes has RC4 exports its RC4 key too (the NT hash: doc/semantics.md §53).
    printf '[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1-2-3\n[group Domain Users]\nrid = 513\n[user svc_rc4]\nrid = 1200\npassword = S3rv1ce!pass\nspn = HTTP/rc4.example.test\nsupported_enctypes = 0x1c\n[user svc_aes]\nrid = 1201\npassword = x\nspn = HTTP/aes.example.test\n' > "$tmp/rc4.ini"
    "$decode" --domain "$tmp/rc4.ini" --export-keytab "$tmp/rc4.keytab" || fail "--export-keytab (RC4) exited $?"
    klist -k -e -K "$tmp/rc4.keytab" > "$tmp/klist-rc4.txt" || fail "klist -k could not read the RC4 keytab"
    grep -q "^   2 HTTP/rc4.example.test@EXAMPLE.TEST (DEPRECATED:arcfour-hmac)  (0x908c31a4bdb0f50bdbad2adb549acece) *$" \
        "$tmp/klist-rc4.txt" || fail "klist -k: no RC4 key (the NT hash of S3rv1ce!pass, as MIT ktutil makes it) for the RC4 account"
    [ "$(grep -c arcfour "$tmp/klist-rc4.txt")" -eq 1 ] || fail "klist -k: an RC4 key for an account without RC4"
elif [ "$(id -u)" -eq 0 ]; then
    fail "klist (krb5-user) is missing, and CI installs it"
fi
rc=0; "$decode" --no-domain --export-keytab "$tmp/x.keytab" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "cannot go with --no-domain" "$tmp/err" || fail "--export-keytab with --no-domain: exit $rc"
rc=0; "$decode" --export-keytab "$tmp/no/such/dir.keytab" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "^sspi-decode: --export-keytab: $tmp/no/such/dir.keytab: No such file or directory$" "$tmp/err" ||
    fail "--export-keytab to a missing directory: exit $rc, $(cat "$tmp/err")"

# ---- the KDC's encrypted parts: the AS-REP with the client's password, the TGS-REQ's authenticator and the
# TGS-REP with the keys the run learnt (the reply is FAST-armored, as MIT's TGS replies are: RFC 6113's armor key
# and strengthen-key), and a delegated KRB-CRED with the AP-REQ's session key ----
"$decode" --no-domain --password alicepw "$m/as-rep" "$m/tgs-req" "$m/tgs-rep" > "$tmp/pw.txt" || fail "--password on the KDC's messages exited $?"
cmp -s "$tmp/pw.txt" "$data/golden/sspi-decode-mit-kdc-password.txt" ||
    { fail "the KDC's messages opened with the password differ from their golden file"; diff "$data/golden/sspi-decode-mit-kdc-password.txt" "$tmp/pw.txt" | head; }
grep -q '^  enc-part, decrypted      with the password given (string-to-key, salt "MIT.TESTalice") (usage 3)$' "$tmp/pw.txt" &&
    grep -q '^  authenticator, decrypted with the AS-REP.s session key (usage 7)$' "$tmp/pw.txt" &&
    grep -q '^  enc-part, decrypted      with the TGS-REQ.s subkey strengthened with FAST.s strengthen-key (usage 9)$' "$tmp/pw.txt" ||
    fail "the AS-REP, the TGS-REQ's authenticator and the TGS-REP opened in turn"
# The TGS-REP's session key is the service ticket's, as the service's own key (the keytab) shows it.
[ "$(grep -c 'session key  *aes256-cts-hmac-sha1-96 (18) ed291446bc229f2b9147fa3f55d3fca061bc043df47c3f0e055089641c54d5ce$' "$tmp/kt.txt")" -eq 2 ] ||
    fail "the TGS-REP's session key and the service ticket's differ"
rc=0; "$decode" --no-domain --password wrongpw "$m/as-rep" "$m/tgs-req" "$m/tgs-rep" > "$tmp/badpw.txt" || rc=$?
[ $rc -eq 1 ] && grep -q '^  decrypted                FAILED: the password given (string-to-key, salt "MIT.TESTalice") does not open it: another password or key$' "$tmp/badpw.txt" &&
    grep -q '^  authenticator            needs the TGT.s session key: give the AS-REP before it, or the krbtgt key$' "$tmp/badpw.txt" &&
    grep -q '^  decrypted                needs the session key: give the AS-REP or the TGS-REQ before it$' "$tmp/badpw.txt" ||
    fail "a wrong password: exit $rc, $(grep decrypted "$tmp/badpw.txt")"
rc=0; "$decode" --no-domain --keytab "$m/mit.keytab" "$m/tgs-rep" > "$tmp/alone.txt" || rc=$?
[ $rc -eq 0 ] && grep -q '^  decrypted                needs the session key: give the AS-REP or the TGS-REQ before it$' "$tmp/alone.txt" ||
    fail "a TGS-REP without its TGS-REQ: exit $rc"
"$decode" --no-domain "$m/as-rep" "$m/tgs-rep" | grep -q 'decrypted\|needs' && fail "no key at all, yet a word about keys"
# --json: the decrypted parts are fields like any other (doc/tools.md).
"$decode" --json --no-domain --password alicepw "$m/as-rep" "$m/tgs-req" "$m/tgs-rep" > "$tmp/kdc.json" || fail "--json on the KDC's messages exited $?"
python3 - "$tmp/kdc.json" <<'PY' || fail "the decrypted KDC parts in JSON"
import json, sys
as_rep, tgs_req, tgs_rep = json.load(open(sys.argv[1]))["messages"]
def field(fields, name):
    return [f for f in fields if f["name"] == name][0]
dec = field(as_rep["fields"], "enc-part, decrypted")
assert dec["value"].startswith("with the password given"), dec
sub = {f["name"]: f.get("value") for f in dec["fields"]}
assert sub["session key"] == "aes256-cts-hmac-sha1-96 (18) 04fbb5e46d428c56622ad3fdabb8b40e1184d9ede61d041fecb9e070a6717341", sub
assert sub["nonce"].startswith("240463281 ") and sub["sname"] == "krbtgt/MIT.TEST (NT-SRV-INST)", sub
ap = field(field(tgs_req["fields"], "padata")["fields"], "PA-TGS-REQ (1)")["fields"][0]["message"]
auth = field(ap["fields"], "authenticator, decrypted")
assert field(auth["fields"], "subkey")["value"].endswith("b1823750b7f911ae265e082ba56c016207aae7ea043f7cf907f046fb6621474a"), auth
fast = field(tgs_rep["fields"], "PA-FX-FAST, decrypted")
assert field(fast["fields"], "strengthen-key")["value"].startswith("aes256-cts-hmac-sha1-96 (18) 0de81811"), fast
rep = field(tgs_rep["fields"], "enc-part, decrypted")
assert field(rep["fields"], "sname")["value"] == "HTTP/server.mit.test (NT-PRINCIPAL)", rep
PY
# Delegation: the KRB-CRED inside the authenticator checksum, its EncKrbCredPart opened with the session key and
# its TGT with the domain's krbtgt key (the AP-REQ: tests/data/sspi-decode/make-krb-deleg.c).
"$decode" "$k/krb-deleg-ap-req.hex" > "$tmp/deleg.txt" || fail "the delegating AP-REQ exited $?"
cmp -s "$tmp/deleg.txt" "$data/golden/sspi-decode-krb-delegation.txt" ||
    { fail "the delegating AP-REQ differs from its golden file"; diff "$data/golden/sspi-decode-krb-delegation.txt" "$tmp/deleg.txt" | head; }
grep -q '^  enc-part, decrypted      with the AP-REQ.s session key (usage 14)$' "$tmp/deleg.txt" &&
    grep -q "^    ticket, decrypted      with EXAMPLE.krbtgt's key (aes256-cts-hmac-sha1-96, kvno 2)$" "$tmp/deleg.txt" &&
    grep -q '^      pname                bob (NT-PRINCIPAL)$' "$tmp/deleg.txt" || fail "the delegated KRB-CRED opened"
"$decode" --no-domain "$k/krb-deleg-ap-req.hex" | grep -q 'KRB-CRED' && fail "--no-domain opened the authenticator"
"$decode" --json "$k/krb-deleg-ap-req.hex" > "$tmp/deleg.json" || fail "the delegating AP-REQ in JSON exited $?"
python3 - "$tmp/deleg.json" <<'PY' || fail "the delegated KRB-CRED in JSON: the authenticator field's inner message"
import json, sys
m = json.load(open(sys.argv[1]))["messages"][0]
auth = [f for f in m["fields"] if f["name"] == "authenticator, decrypted"][0]
deleg = [f for f in auth["fields"] if f["name"].startswith("Deleg (KRB-CRED")][0]
assert deleg["length"] == 1439 and deleg["message"]["title"].startswith("Kerberos KRB-CRED"), deleg
cred = [f for f in deleg["message"]["fields"] if f["name"] == "enc-part, decrypted"][0]
assert cred["value"] == "with the AP-REQ's session key (usage 14)", cred
info = {f["name"]: f.get("value") for f in cred["fields"][0]["fields"]}
assert info["pname"] == "bob (NT-PRINCIPAL)" and info["sname"] == "krbtgt/EXAMPLE.TEST (NT-SRV-INST)", info
PY

# ---- captures: pcap and pcapng, every token in order ----
"$decode" --no-domain "$m/kinit-kvno.pcap" > "$tmp/pcap.txt" || fail "a pcap of kinit and kvno exited $?"
grep '^Kerberos' "$tmp/pcap.txt" | sed 's/ (RFC.*//' | tr '\n' ',' > "$tmp/pcap.kinds"
[ "$(cat "$tmp/pcap.kinds")" = "Kerberos AS-REQ,Kerberos KRB-ERROR,Kerberos AS-REQ,Kerberos AS-REP,Kerberos TGS-REQ,Kerberos AP-REQ,Kerberos TGS-REP," ] ||
    fail "the pcap's messages (UDP and TCP port 88) in order: $(cat "$tmp/pcap.kinds")"
"$top_builddir/tools/sspi-handshake" --pcap "$tmp/ntlm.pcapng" > /dev/null || fail "sspi-handshake --pcap"
"$decode" "$tmp/ntlm.pcapng" > "$tmp/pcapng.txt" || fail "sspi-handshake's pcapng exited $?"
[ "$(grep -c '^NTLM .*_MESSAGE' "$tmp/pcapng.txt")" -eq 3 ] &&
    grep -q "^  NTProofStr check         verified with EXAMPLE.bob's password in the domain$" "$tmp/pcapng.txt" ||
    fail "the NTLM exchange read back from a pcapng"
# A capture is one run: the AS-REP's session key opens the TGS-REQ and the TGS-REP after it.
"$decode" --no-domain --password alicepw "$m/kinit-kvno.pcap" > "$tmp/pcap-pw.txt" || fail "the pcap with the password exited $?"
[ "$(grep -c '^  enc-part, decrypted  \|^  authenticator, decrypted ' "$tmp/pcap-pw.txt")" -eq 3 ] ||
    fail "the pcap's AS-REP, TGS-REQ and TGS-REP opened in turn: $(grep decrypted "$tmp/pcap-pw.txt")"
head -c 300 "$m/kinit-kvno.pcap" > "$tmp/cut.pcap"
rc=0; "$decode" "$tmp/cut.pcap" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "^sspi-decode: $tmp/cut.pcap: offset 258: a packet of 263 bytes runs past the end$" "$tmp/err" ||
    fail "a cut pcap: exit $rc, $(cat "$tmp/err")"
head -c 24 "$m/kinit-kvno.pcap" > "$tmp/empty.pcap"
rc=0; "$decode" "$tmp/empty.pcap" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "no authentication token in its 0 packets" "$tmp/err" || fail "a capture without tokens: exit $rc"

# ---- hostile and unusual input ----
# Tokens nested 20,000 deep (SPNEGO around SPNEGO): refused at a bound, not a stack overflow.
python3 - "$tmp/deep" <<'PY'
import sys
def header(tag, n):
    if n < 0x80: return bytes([tag, n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(b)]) + b
def der(tag, body): return header(tag, len(body)) + body
tok = b"NTLMSSP\x00\x01\x00\x00\x00\x07\x82\x08\xa2" + bytes(16)
spnego_oid = der(0x06, bytes.fromhex("2b0601050502"))
mech_types = der(0xa0, der(0x30, der(0x06, bytes.fromhex("2b06010401823702020a"))))
# Each level ends with the level inside it, so the token is every level's header, outermost first, then the
# innermost NEGOTIATE: lengths are counted from the inside out and nothing is copied twice.
heads, inner = [], len(tok)
for _ in range(20000):
    octets = header(0x04, inner)
    mech_token = header(0xa2, len(octets) + inner) + octets
    init = header(0x30, len(mech_types) + len(mech_token) + inner) + mech_types + mech_token
    neg = header(0xa0, len(init) + inner) + init
    outer = header(0x60, len(spnego_oid) + len(neg) + inner) + spnego_oid + neg
    heads.append(outer)
    inner += len(outer)
open(sys.argv[1], "wb").write(b"".join(reversed(heads)) + tok)
PY
rc=0; "$decode" -f "$tmp/deep" > "$tmp/deep.txt" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "tokens nested more than 8 deep" "$tmp/deep.txt" || fail "tokens nested 20,000 deep: exit $rc"
# An AUTHENTICATE says whether it carries a MIC in its NTLMv2 response's MsvAvFlags: with the bit cleared,
# bytes 72-87 are not shown as one.
auth=$(sed -n 's/^> Authorization: NTLM //p' "$data/sspi-decode/ntlm-curl-v.txt" | tail -1)
python3 - "$auth" "$tmp/nomic" <<'PY'
import base64, struct, sys
m = bytearray(base64.b64decode(sys.argv[1]))
n, _, off = struct.unpack_from("<HHI", m, 20)
i = off + 16 + 28
while i + 4 <= off + n:
    av, length = struct.unpack_from("<HH", m, i)
    if av == 0:
        break
    if av == 6:
        m[i + 4] &= ~2
    i += 4 + length
open(sys.argv[2], "wb").write(m)
PY
"$decode" "NTLM $auth" | grep -q '^  MIC  ' || fail "an AUTHENTICATE with MsvAvFlags' MIC bit shows its MIC"
"$decode" --no-domain -f "$tmp/nomic" > "$tmp/nomic.txt" || fail "an AUTHENTICATE without a MIC exited $?"
grep -q '^  MIC  ' "$tmp/nomic.txt" && fail "an AUTHENTICATE without MsvAvFlags' MIC bit was shown a MIC"
# A server offers Basic beside NTLM: the Basic header is passed over, not taken for a token.
neg=$(sed -n 's/^> Authorization: NTLM //p' "$data/sspi-decode/ntlm-curl-v.txt" | head -1)
printf 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="x"\r\nWWW-Authenticate: NTLM %s\r\n' "$neg" > "$tmp/basic.txt"
"$decode" "$tmp/basic.txt" > "$tmp/basic.out" 2>&1 && grep -q '^NTLM NEGOTIATE_MESSAGE' "$tmp/basic.out" ||
    fail "a Basic header beside an NTLM one: $(head -2 "$tmp/basic.out")"
# An OEM domain with an escape sequence and a byte that is not UTF-8: quoted in text, valid JSON.
printf 'NTLMSSP\000\001\000\000\000\002\020\000\000\012\000\012\000\040\000\000\000\000\000\000\000\000\000\000\000\377\033[31mEVIL' > "$tmp/oem"
"$decode" -f "$tmp/oem" > "$tmp/oem.txt" || fail "an OEM NEGOTIATE exited $?"
grep -q "$(printf '\033')" "$tmp/oem.txt" && fail "an escape sequence from a token reached the text output"
grep -q '"\\xff\\x1b\[31mEVIL"' "$tmp/oem.txt" || fail "the OEM domain quoted: $(grep -i domain "$tmp/oem.txt")"
"$decode" --json -f "$tmp/oem" > "$tmp/oem.json" || fail "an OEM NEGOTIATE in JSON exited $?"
python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$tmp/oem.json" || fail "JSON with a token's odd bytes"

# User-to-user's tokens (doc/semantics.md §66), under the user-to-user OID: a KERB-TGT-REQUEST (0x0400) and a
# KERB-TGT-REPLY (0x0401) around a TGT, each field named.
u2u_req=6052060a2a864886f7120102020304003042a003020105a103020110a2263024a003020102a11d301b1b04485454501b137365727665722e6578616d706c652e74657374a30e1b0c4558414d504c452e54455354
u2u_rep=607a060a2a864886f712010202030401306aa003020105a103020111a25e615c305aa003020105a10e1b0c4558414d504c452e54455354a221301fa003020102a11830161b066b72627467741b0c4558414d504c452e54455354a320301ea003020112a103020102a2120410000102030405060708090a0b0c0d0e0f
"$decode" "$u2u_req" > "$tmp/u2u_req.txt" || fail "a KERB-TGT-REQUEST exited $?"
for want in '^Kerberos KERB-TGT-REQUEST (draft-swift-win2k-krb-user2user 3), GSS-API framed under the user-to-user OID 1.2.840.113554.1.2.2.3, 84 bytes$' \
            '^  msg-type  *16 (KRB_TGT_REQ)$' '^  server-name  *HTTP/server.example.test (NT-SRV-INST)$' '^  realm  *EXAMPLE.TEST$'; do
    grep -q "$want" "$tmp/u2u_req.txt" || fail "the KERB-TGT-REQUEST lacks $want: $(cat "$tmp/u2u_req.txt")"
done
"$decode" "$u2u_rep" > "$tmp/u2u_rep.txt" || fail "a KERB-TGT-REPLY exited $?"
for want in '^Kerberos KERB-TGT-REPLY (draft-swift-win2k-krb-user2user 3), GSS-API framed under the user-to-user OID 1.2.840.113554.1.2.2.3, 124 bytes$' \
            '^  msg-type  *17 (KRB_TGT_REP)$' '^    sname  *krbtgt/EXAMPLE.TEST (NT-SRV-INST)$' \
            "^    enc-part  *aes256-cts-hmac-sha1-96 (18), kvno 2, encrypted in krbtgt's key (usage 2)"; do
    grep -q "$want" "$tmp/u2u_rep.txt" || fail "the KERB-TGT-REPLY lacks $want: $(cat "$tmp/u2u_rep.txt")"
done
# msg-type 16 in a reply's token id is no reply: an exact error
bad=$(printf '%s' "$u2u_rep" | sed 's/a103020111/a103020110/')
rc=0; "$decode" "$bad" > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q 'unexpected protocol version or message type' "$tmp/err" || fail "a KERB-TGT-REPLY of msg-type 16: exit $rc, $(cat "$tmp/err")"

[ $status -eq 0 ] && echo "PASS: sspi-decode: golden files (NTLM, SPNEGO, Kerberos), every input form, --json, options, labels, NTLM and Kerberos opened with the domain or a password, a real KDC's messages, pcap and pcapng captures, and exact errors"
exit $status
