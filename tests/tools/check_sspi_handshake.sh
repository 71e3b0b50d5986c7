#!/bin/sh
# tools/sspi-handshake: the whole walk-through against its golden file (made with the default seed and
# checked by hand: flags, statuses, the decoded tokens, bob's groups and privileges, the misuse report),
# the JSON form read by a JSON parser, and its exit codes and messages on failure and bad usage.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
. "$top_srcdir/tests/lib/server.sh"
tool="$top_builddir/tools/sspi-handshake"
golden="$top_srcdir/tests/data/golden/sspi-handshake.txt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN FAKESSPI_CLOCK
export FAKESSPI_SEED=0

# The same seed gives the same bytes: threads are logical ([1]) and events are call numbers.
"$tool" --no-color --misuse > "$tmp/out.txt" || fail "the walk-through exited $?"
cp "$tmp/out.txt" "$tmp/norm.txt" # threads are logical ([1]) and calls numbered: the bytes repeat
cmp -s "$tmp/norm.txt" "$golden" || { fail "the walk-through differs from its golden file"; diff "$golden" "$tmp/norm.txt" | head -20; }

# The last leg's flags explained: NTLM's MUTUAL_AUTH proves nothing, Kerberos' does; CONNECTION's absence.
grep -q "^  note                   ISC_RET_MUTUAL_AUTH is set as Windows' NTLM sets it on its last leg, yet nothing in NTLM proves" \
    "$tmp/out.txt" || fail "NTLM's hollow ISC_RET_MUTUAL_AUTH is not explained"
grep -q "^  not granted            ISC_REQ_CONNECTION: Windows' NTLM reports ISC_RET_CONNECTION on the first leg only" \
    "$tmp/out.txt" || fail "NTLM's missing ISC_RET_CONNECTION is not explained"
"$tool" --no-color --package Kerberos > "$tmp/krb.txt" || fail "the Kerberos walk-through exited $?"
grep -q "^  note                   ASC_RET_MUTUAL_AUTH: the client asked for it, so this leg answers with an AP-REP" \
    "$tmp/krb.txt" && grep -q "^  note                   ISC_RET_MUTUAL_AUTH: the server's AP-REP is encrypted" "$tmp/krb.txt" ||
    fail "Kerberos' mutual authentication is not explained"
grep -q "not granted" "$tmp/krb.txt" && fail "Kerberos granted everything asked, yet a flag is said not granted"

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
rc=0; "$tool" --package Digest > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q 'the packages are NTLM, Kerberos and Negotiate' "$tmp/err" || fail "an unknown package: exit $rc"

# Kerberos: an AP-REQ and, mutual authentication being asked, the AP-REP; then the same messages.
# The tool's server side runs as the service account that owns the SPN (doc/semantics.md §41).
FAKESSPI_USER=svc_server "$tool" --json --package Kerberos --target HTTP/server.example.test > "$tmp/krb.json" || fail "--package Kerberos exited $?"
python3 - "$tmp/krb.json" <<'PY' || fail "the Kerberos walk-through"
import json, sys
steps = json.load(open(sys.argv[1]))
legs = [s for s in steps if s["step"].startswith("leg")]
assert [(l["side"], l["status"]) for l in legs] == [("client", "SEC_I_CONTINUE_NEEDED"), ("server", "SEC_E_OK"),
                                                   ("client", "SEC_E_OK")], legs
assert legs[0]["token"].startswith("60") and "06092a864886f71201020201006e" in legs[0]["token"]  # GSS, AP-REQ
assert "06092a864886f71201020202006f" in legs[1]["token"]  # AP-REP
assert legs[2]["token"] == ""
by = {s["step"]: s for s in steps}
assert by["token"]["user"] == "EXAMPLE\\bob"
assert any(v == "Authentication authority asserted identity" for k, v in by["token"].items() if k.startswith("group"))
assert by["seal"]["decrypted"] == '"Hello from the client"'
assert by["sign"]["signature"].startswith("040404ffffffffff")  # an RFC 4121 MIC token
PY
# Negotiate: Kerberos inside SPNEGO for an SPN of the domain, NTLM (four legs and MICs) for anything else.
FAKESSPI_USER=svc_server "$tool" --no-color --package Negotiate --target HTTP/server.example.test > "$tmp/nego.txt" || fail "--package Negotiate exited $?"
grep -q '^SPNEGO NegTokenInit' "$tmp/nego.txt" && grep -q 'MS KRB5 (1.2.840.48018.1.2.2)  <- the optimistic token' "$tmp/nego.txt" &&
    grep -q '^Kerberos AP-REP' "$tmp/nego.txt" && grep -q 'negState                 0 (accept-completed)' "$tmp/nego.txt" ||
    fail "Negotiate over Kerberos, explained"
"$tool" --json --package Negotiate --target HOST/elsewhere > "$tmp/nego.json" || fail "Negotiate over NTLM exited $?"
python3 - "$tmp/nego.json" <<'PY' || fail "Negotiate falling back to NTLM"
import json, sys
steps = json.load(open(sys.argv[1]))
legs = [s for s in steps if s["step"].startswith("leg")]
assert [l["status"] for l in legs] == ["SEC_I_CONTINUE_NEEDED"] * 3 + ["SEC_E_OK", "SEC_E_OK"], legs
assert "4e544c4d535350000100" in legs[0]["token"]  # NTLM NEGOTIATE inside the NegTokenInit
assert legs[3]["token"].startswith("a1") and legs[4]["token"] == ""  # the server's MIC, then nothing
PY
rc=0; "$tool" --bogus > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q '^usage: sspi-handshake' "$tmp/err" || fail "a bad option: exit $rc"
rc=0; "$tool" --help > "$tmp/out" || rc=$?
[ $rc -eq 0 ] && grep -q 'SEC_I_CONTINUE_NEEDED: send the token and call again' "$tmp/out" || fail "--help: exit $rc"
# Colour only when asked or on a terminal; never in the golden run above.
"$tool" --color | grep -q "$(printf '\033')\[1m" || fail "--color wrote no colour"
grep -q "$(printf '\033')" "$tmp/out.txt" && fail "colour in a run to a file"

# Two processes over loopback TCP: the server names its port, the client connects; each explains its own
# legs, and a sealed message goes each way.
two_processes() { # two_processes PASSWORD [OPTION...]: leaves $srv_rc, $cli_rc and the outputs in $tmp
    srv_rc=-1 cli_rc=-1 # -1: never ran
    _password=$1
    shift
    : > "$tmp/cli.txt"
    : > "$tmp/cli.err"
    start_server "$tmp/srv.txt" "$tmp/srv.err" "$tool" --no-color --listen 0 "$@" || return 0
    cli_rc=0
    "$tool" --no-color --password "$_password" --connect "127.0.0.1:$server_port" "$@" > "$tmp/cli.txt" \
        2> "$tmp/cli.err" || cli_rc=$?
    wait_server
    srv_rc=$server_rc
}
# Every package: NTLM's three legs, Kerberos' AP-REQ/AP-REP (the client's last leg sends nothing), and
# Negotiate around each (an SPN of the domain gives Kerberos, any other target NTLM).
for package in "NTLM" "Kerberos" "Negotiate" "Negotiate --target HOST/elsewhere.example.org"; do
    # shellcheck disable=SC2086 # the package's options are words
    two_processes 'Hunter2!' --package $package
    [ $srv_rc -eq 0 ] && [ $cli_rc -eq 0 ] ||
        fail "$package in two processes: server exit $srv_rc, client exit $cli_rc: $(cat "$tmp/srv.err" "$tmp/cli.err")"
    grep -q '^Leg 2: the server calls AcceptSecurityContext' "$tmp/srv.txt" && ! grep -q '^Leg 1' "$tmp/srv.txt" ||
        fail "$package: the server explains only its own legs"
    grep -q '^Leg 3: the client calls InitializeSecurityContext' "$tmp/cli.txt" && ! grep -q '^Leg 2' "$tmp/cli.txt" ||
        fail "$package: the client explains only its own legs"
    grep -q 'decrypted              "Hello from the client"' "$tmp/srv.txt" ||
        fail "$package: the server did not open the client's message: $(cat "$tmp/srv.err")"
    grep -q 'decrypted              "Hello, EXAMPLE\\bob"' "$tmp/cli.txt" || fail "$package: the client did not open the server's reply"
    grep -q 'user                   EXAMPLE\\bob' "$tmp/srv.txt" || fail "$package: the server did not show the client's token"
done
grep -q 'NTLMSSP' "$tmp/cli.txt" || fail "Negotiate to a target that is no SPN did not fall back to NTLM"
two_processes wrong
[ $srv_rc -eq 1 ] && [ $cli_rc -eq 1 ] || fail "a wrong password over TCP: server exit $srv_rc, client exit $cli_rc"
grep -q "server's status        SEC_E_LOGON_DENIED" "$tmp/cli.txt" || fail "the client was not told the server refused"
two_processes wrong --package Kerberos # refused at the client's first leg: the server is told and stops
[ $srv_rc -eq 1 ] && [ $cli_rc -eq 1 ] || fail "a wrong Kerberos password over TCP: server exit $srv_rc, client exit $cli_rc"
rc=0; "$tool" --connect nowhere > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q "wants HOST:PORT" "$tmp/err" || fail "a bad --connect: exit $rc"
rc=0; "$tool" --listen 70000 > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "a port from 0 to 65535" "$tmp/err" || fail "a bad --listen: exit $rc"

# --html: one page with the sequence diagram, telling the whole story: whose credentials each side acquired,
# every flag asked for and granted (and why one did not come), the access token made at logon, lent and
# duplicated, impersonation and revert, the signed and sealed messages with their signature and trailer, the
# misuse in red. A failed logon is drawn as what happened: no access token is made. The text of every box
# and arrow fits it, and no lifeline runs through a box.
"$tool" --misuse --html "$tmp/run.html" > /dev/null || fail "--html exited $?"
rc=0; "$tool" --password wrong --html "$tmp/bad.html" > /dev/null 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "--html with a wrong password: exit $rc"
rc=0; "$tool" --package Kerberos --password wrong --html "$tmp/badkrb.html" > /dev/null 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "--html with a wrong Kerberos password: exit $rc"
diagram() { # diagram PAGE good|bad|badkrb|server|client|krb-server|krb-client|neg-server|neg-client|bad-server|bad-client|badkrb-server
    python3 - "$@" <<'PY'
import html.parser, sys
CHAR, LEFT, RIGHT = 7.3, 250, 800  # tools/handshake_diagram.c's layout: a character's width, the lifelines
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.groups, self.lives, self.group, self.text = [], [], None, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "g":
            self.group = {"class": a.get("class", ""), "rect": None, "lines": []}
            self.groups.append(self.group)
        elif tag == "rect" and self.group is not None:
            self.group["rect"] = tuple(float(a[k]) for k in ("x", "y", "width", "height"))
        elif tag == "line" and a.get("class") == "life":
            self.lives.append((float(a["x1"]), float(a["y1"]), float(a["y2"])))
        elif tag == "text" and self.group is not None:
            self.text = [float(a["x"]), float(a["y"]), ""]
    def handle_endtag(self, tag):
        if tag == "text" and self.text is not None:
            self.group["lines"].append(self.text)
            self.text = None
        elif tag == "g":
            self.group = None
    def handle_data(self, data):
        if self.text is not None:
            self.text[2] += data
page = Page()
page.feed(open(sys.argv[1]).read())
for g in page.groups:
    for x, y, s in g["lines"]:
        x0, x1 = x - len(s) * CHAR / 2, x + len(s) * CHAR / 2
        if g["rect"]:
            rx, ry, rw, rh = g["rect"]
            assert rx <= x0 and x1 <= rx + rw and ry < y <= ry + rh, ("text out of its box", s, g["rect"])
        else:
            assert LEFT < x0 and x1 < RIGHT, ("an arrow's text crosses a lifeline", s)
    if g["rect"]:
        rx, ry, rw, rh = g["rect"]
        for x, y1, y2 in page.lives:
            assert not (rx <= x <= rx + rw and y1 < ry + rh and y2 > ry), ("a lifeline runs through a box", g["lines"][0][2])
# Wrapped lines end at a space or a '|': joined, each box or arrow says what it said whole.
said = ["".join(s for _, _, s in g["lines"]) for g in page.groups]
text = "\n".join(said)
def red(fragment):
    return any(fragment in t and "bad" in g["class"] for t, g in zip(said, page.groups))
kind = sys.argv[2]
if kind == "good":
    wants = ['AcquireCredentialsHandle("NTLM", OUTBOUND) = SEC_E_OK', "whose: EXAMPLE\\bob",
             'AcquireCredentialsHandle("NTLM", INBOUND) = SEC_E_OK', "the process's own (EXAMPLE\\alice)",
             "leg 1: InitializeSecurityContext = SEC_I_CONTINUE_NEEDED", "NTLM CHALLENGE_MESSAGE, 218 bytes",
             "asked: ISC_REQ_MUTUAL_AUTH|ISC_REQ_REPLAY_DETECT|ISC_REQ_SEQUENCE_DETECT|ISC_REQ_CONFIDENTIALITY|"
             "ISC_REQ_CONNECTION|ISC_REQ_INTEGRITY", "granted: ISC_RET_MUTUAL_AUTH|ISC_RET_REPLAY_DETECT",
             "asked: ASC_REQ_REPLAY_DETECT", "granted: ASC_RET_REPLAY_DETECT",
             "not granted: ISC_REQ_CONNECTION: Windows' NTLM reports ISC_RET_CONNECTION on the first leg only",
             "leg 4: AcceptSecurityContext = SEC_E_OK", "logon: the context makes EXAMPLE\\bob's access token",
             "QueryContextAttributes(ACCESS_TOKEN): 0x1000018 lent", "never close it",
             "QuerySecurityContextToken: token 0x1000014 born", "a duplicate, owned by the server: its to close",
             "CloseHandle(0x1000014): the duplicate dies",
             "ImpersonateSecurityContext = SEC_E_OK", "the thread runs as EXAMPLE\\bob (it ran as EXAMPLE\\alice)",
             "RevertSecurityContext = SEC_E_OK", "the thread is itself again: EXAMPLE\\alice",
             "MakeSignature -> VerifySignature", "+ a 16-byte signature", "signature 01000000", "VerifySignature = SEC_E_OK",
             "EncryptMessage -> DecryptMessage", "+ a 16-byte trailer", "trailer 01000000",
             'DecryptMessage = SEC_E_OK: "Hello from the client"',
             "its own token and every handle it lent die with it"]
    bad = ["CloseHandle(0x1000018): MISUSE CLOSE_BORROWED"]
    unwanted = ["refused", "no access token"]
elif kind == "bad":
    wants = ["leg 3: InitializeSecurityContext = SEC_E_OK", "leg 4: AcceptSecurityContext = SEC_E_LOGON_DENIED",
             "granted: nothing (the call failed)", "logon refused: no access token is made",
             "the half-made context ends; it never had an access token"]
    bad = ["leg 4: AcceptSecurityContext = SEC_E_LOGON_DENIED", "logon refused: no access token is made"]
    unwanted = ["'s access token", "ACCESS_TOKEN", "QuerySecurityContextToken", "born", "Impersonate", "die with it",
                "MakeSignature", "EncryptMessage"]
elif kind == "server":  # --listen: the server's calls only, and the messages it receives and sends
    wants = ['AcquireCredentialsHandle("NTLM", INBOUND) = SEC_E_OK', "leg 2: AcceptSecurityContext = SEC_I_CONTINUE_NEEDED",
             "NTLM CHALLENGE_MESSAGE, 218 bytes", "leg 4: AcceptSecurityContext = SEC_E_OK",
             "logon: the context makes EXAMPLE\\bob's access token", "ImpersonateSecurityContext = SEC_E_OK",
             'DecryptMessage = SEC_E_OK: "Hello from the client"', "EncryptMessage = SEC_E_OK",
             '"Hello, EXAMPLE\\bob" sealed', "+ a 16-byte trailer", "its own token and every handle it lent die with it"]
    bad = []
    unwanted = ["leg 1", "leg 3", "OUTBOUND", "InitializeSecurityContext =", "MakeSignature"]
elif kind == "client":  # --connect: the client's calls only
    wants = ['AcquireCredentialsHandle("NTLM", OUTBOUND) = SEC_E_OK', "whose: EXAMPLE\\bob",
             "leg 1: InitializeSecurityContext = SEC_I_CONTINUE_NEEDED", "leg 3: InitializeSecurityContext = SEC_E_OK",
             "NTLM AUTHENTICATE_MESSAGE", "EncryptMessage = SEC_E_OK", '"Hello from the client" sealed',
             'DecryptMessage = SEC_E_OK: "Hello, EXAMPLE\\bob"']
    bad = []
    unwanted = ["leg 2", "leg 4", "INBOUND", "AcceptSecurityContext =", "access token", "Impersonate",
                "DeleteSecurityContext"]
elif kind in ("krb-server", "neg-server"):  # --listen with Kerberos, or Negotiate around it
    pkg = "Kerberos" if kind == "krb-server" else "Negotiate"
    wants = ['AcquireCredentialsHandle("%s", INBOUND) = SEC_E_OK' % pkg,
             "whose: EXAMPLE\\svc_server, the account that owns HOST/server.example.test: its keys open the ticket",
             "leg 2: AcceptSecurityContext = SEC_E_OK",
             "Kerberos AP-REP, 154 bytes" if pkg == "Kerberos" else "SPNEGO NegTokenResp (accept-completed, Kerberos AP-REP)",
             "granted: ASC_RET_MUTUAL_AUTH", "logon: the context makes EXAMPLE\\bob's access token",
             "ImpersonateSecurityContext = SEC_E_OK", 'DecryptMessage = SEC_E_OK: "Hello from the client"',
             '"Hello, EXAMPLE\\bob" sealed', "+ a 60-byte trailer", "its own token and every handle it lent die with it"]
    bad = []
    unwanted = ["leg 1", "leg 3", "OUTBOUND", "InitializeSecurityContext =", "NTLM", "refused"]
elif kind in ("krb-client", "neg-client"):
    pkg = "Kerberos" if kind == "krb-client" else "Negotiate"
    wants = ['AcquireCredentialsHandle("%s", OUTBOUND) = SEC_E_OK' % pkg, "whose: EXAMPLE\\bob",
             "leg 1: InitializeSecurityContext = SEC_I_CONTINUE_NEEDED",
             "Kerberos AP-REQ, " if pkg == "Kerberos" else "SPNEGO NegTokenInit (Kerberos AP-REQ)",
             "leg 3: InitializeSecurityContext = SEC_E_OK", "no token to send: this side is done",
             "granted: ISC_RET_MUTUAL_AUTH", '"Hello from the client" sealed', "+ a 60-byte trailer",
             'DecryptMessage = SEC_E_OK: "Hello, EXAMPLE\\bob"']
    bad = []
    unwanted = ["leg 2", "leg 4", "INBOUND", "AcceptSecurityContext =", "access token", "NTLM", "refused"]
elif kind == "bad-server":  # --listen, the client's proof wrong: the server refuses at leg 4, no token is made
    wants = ["leg 2: AcceptSecurityContext = SEC_I_CONTINUE_NEEDED", "leg 4: AcceptSecurityContext = SEC_E_LOGON_DENIED",
             "logon refused: no access token is made", "the half-made context ends; it never had an access token"]
    bad = ["leg 4: AcceptSecurityContext = SEC_E_LOGON_DENIED", "logon refused: no access token is made"]
    unwanted = ["'s access token", "QuerySecurityContextToken", "Impersonate", "EncryptMessage", "DecryptMessage"]
elif kind == "bad-client":  # --connect, the wrong password: its legs succeed, then the server's refusal
    wants = ["leg 1: InitializeSecurityContext = SEC_I_CONTINUE_NEEDED", "leg 3: InitializeSecurityContext = SEC_E_OK",
             "the server refused: SEC_E_LOGON_DENIED", "no access token is made, and the exchange ends here"]
    bad = ["the server refused: SEC_E_LOGON_DENIED"]
    unwanted = ["EncryptMessage", "DecryptMessage", "AcceptSecurityContext ="]
elif kind == "badkrb-server":  # --listen, Kerberos with a wrong password: the client stops before sending anything
    wants = ['AcquireCredentialsHandle("Kerberos", INBOUND) = SEC_E_OK', "the client stopped: SEC_E_LOGON_DENIED",
             "no token came, so no access token is made"]
    bad = ["the client stopped: SEC_E_LOGON_DENIED"]
    unwanted = ["leg 2", "'s access token", "Impersonate", "DecryptMessage"]
else:
    wants = ["leg 1: InitializeSecurityContext = SEC_E_LOGON_DENIED", "no context: the client stops here",
             "no access token is made anywhere"]
    bad = ["leg 1: InitializeSecurityContext = SEC_E_LOGON_DENIED", "no context: the client stops here"]
    unwanted = ["leg 2", "AcceptSecurityContext =", "'s access token", "QuerySecurityContextToken", "die with it"]
for w in wants:
    assert w in text, ("missing", w)
for w in bad:
    assert red(w), ("not red", w)
for w in unwanted:
    assert w not in text, ("should not be drawn", w)
PY
}
diagram "$tmp/run.html" good || fail "the diagram of a good run"
diagram "$tmp/bad.html" bad || fail "the diagram of a wrong password"
diagram "$tmp/badkrb.html" badkrb || fail "the diagram of a wrong Kerberos password"
# Two processes: each draws its own side, its calls and the tokens and sealed messages it sends.
if start_server "$tmp/srv.txt" "$tmp/srv.err" "$tool" --no-color --listen 0 --html "$tmp/srv.html"; then
    "$tool" --no-color --connect "127.0.0.1:$server_port" --html "$tmp/cli.html" > "$tmp/cli.txt" 2> "$tmp/cli.err" ||
        fail "--html --connect exited $?: $(cat "$tmp/cli.err")"
    wait_server
    [ "$server_rc" -eq 0 ] || fail "--html --listen exited $server_rc: $(cat "$tmp/srv.err")"
    diagram "$tmp/srv.html" server || fail "the server's diagram of two processes"
    diagram "$tmp/cli.html" client || fail "the client's diagram of two processes"
    grep -q "<h1>An NTLM handshake, the server's side</h1>" "$tmp/srv.html" ||
        fail "the server's page is not titled as its side"
else
    fail "--html --listen: no server: $(cat "$tmp/srv.err")"
fi
# ...for Kerberos and Negotiate too, and a failed logon drawn on both sides as what happened: with NTLM the server
# refuses the client's proof (the client's page says so), with Kerberos the client stops at its first leg (the
# server's page says so).
html_two_processes() { # html_two_processes NAME PASSWORD [OPTION...]: $tmp/NAME-srv.html and $tmp/NAME-cli.html
    _name=$1 _password=$2
    shift 2
    srv_rc=-1 cli_rc=-1
    start_server "$tmp/srv.txt" "$tmp/srv.err" "$tool" --no-color --listen 0 --html "$tmp/$_name-srv.html" "$@" ||
        { fail "--html --listen $*: no server: $(cat "$tmp/srv.err")"; return 0; }
    cli_rc=0
    "$tool" --no-color --password "$_password" --connect "127.0.0.1:$server_port" --html "$tmp/$_name-cli.html" "$@" \
        > "$tmp/cli.txt" 2> "$tmp/cli.err" || cli_rc=$?
    wait_server
    srv_rc=$server_rc
}
for package in Kerberos Negotiate; do
    html_two_processes "$package" 'Hunter2!' --package "$package"
    [ $srv_rc -eq 0 ] && [ $cli_rc -eq 0 ] || fail "--html in two processes, $package: server exit $srv_rc, client exit $cli_rc"
    kind=$([ "$package" = Kerberos ] && echo krb || echo neg)
    diagram "$tmp/$package-srv.html" "$kind-server" || fail "the server's diagram of $package in two processes"
    diagram "$tmp/$package-cli.html" "$kind-client" || fail "the client's diagram of $package in two processes"
    grep -q "<h1>A $package handshake, the server's side</h1>" "$tmp/$package-srv.html" || fail "the $package server's page title"
done
html_two_processes wrong wrong
[ $srv_rc -eq 1 ] && [ $cli_rc -eq 1 ] || fail "--html in two processes, a wrong password: server exit $srv_rc, client exit $cli_rc"
diagram "$tmp/wrong-srv.html" bad-server || fail "the server's diagram of a refused logon in two processes"
diagram "$tmp/wrong-cli.html" bad-client || fail "the client's diagram of a refused logon in two processes"
html_two_processes wrongkrb wrong --package Kerberos
[ $srv_rc -eq 1 ] && [ $cli_rc -eq 1 ] || fail "--html in two processes, a wrong Kerberos password: server exit $srv_rc, client exit $cli_rc"
diagram "$tmp/wrongkrb-srv.html" badkrb-server || fail "the server's diagram of a client that stopped at its first leg"
diagram "$tmp/wrongkrb-cli.html" badkrb || fail "the client's diagram of a wrong Kerberos password in two processes"
# Rendered by headless Chromium, with no console message: the DOM it built holds the text (the failed
# logon's page has its refusal and no token), and the picture shows the blue arrows and the red boxes.
if command -v chromium > /dev/null; then
    for page in run bad; do
        (cd "$tmp" && HOME="$tmp" timeout 120 chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
            --window-size=1100,1900 --screenshot="$tmp/$page.png" --enable-logging=stderr --v=0 "file://$tmp/$page.html" \
            > "$tmp/chromium.out" 2> "$tmp/chromium.err") || fail "chromium could not render the $page page"
        grep -E 'CONSOLE|Uncaught' "$tmp/chromium.err" && fail "console messages while rendering the $page page"
        (cd "$tmp" && HOME="$tmp" timeout 120 chromium --headless=new --no-sandbox --disable-gpu --dump-dom \
            "file://$tmp/$page.html" > "$tmp/$page.dom" 2> /dev/null) || fail "chromium could not load the $page page"
    done
    grep -q 'logon refused: no access token is made' "$tmp/bad.dom" && ! grep -q 'QuerySecurityContextToken' "$tmp/bad.dom" ||
        fail "the rendered failed-logon page: its refusal, and no token"
    grep -q 'ImpersonateSecurityContext = SEC_E_OK' "$tmp/run.dom" || fail "the rendered page lacks the impersonation"
    for shot in "run 100" "bad 300"; do # the page, and the fewest red pixels it must have
        python3 - "$tmp/${shot% *}.png" "${shot#* }" <<'PY' || fail "the rendered ${shot% *} page does not show the diagram"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
# A row is one little-endian integer, so that a byte-wise sum modulo 256 over the whole row is a few operations
# on integers (the low seven bits of each byte added, the top bit by exclusive or) instead of a loop in Python.
raw, stride = zlib.decompress(idat), w * bpp
low7 = int.from_bytes(b"\x7f" * stride, "little")
top1, row_mask = low7 << 1 & int.from_bytes(b"\x80" * stride, "little"), (1 << 8 * stride) - 1
def add(a, b): return ((a & low7) + (b & low7)) ^ ((a ^ b) & top1)
def slow(f, line, prev): # Average and Paeth depend on the byte just made: byte by byte, as the PNG spec says
    line, prev = bytearray(line.to_bytes(stride, "little")), prev.to_bytes(stride, "little")
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return int.from_bytes(line, "little")
prev, rows = 0, []
for y in range(h):
    f, line = raw[y * (stride + 1)], int.from_bytes(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)], "little")
    if f == 1: # Sub: a running sum along the row, in doubling steps
        k = bpp
        while k < stride:
            line, k = add(line, line << 8 * k & row_mask), 2 * k
    elif f == 2:
        line = add(line, prev)
    elif f in (3, 4):
        line = slow(f, line, prev)
    rows.append(line.to_bytes(stride, "little"))
    prev = line
pixels = b"".join(rows)
def where(channel, test): # one byte per pixel, 1 where the channel passes the test
    return int.from_bytes(pixels[channel::bpp].translate(bytes(int(test(v)) for v in range(256))), "little")
blue = (where(2, lambda v: v > 140) & where(0, lambda v: v < 80) & where(1, lambda v: v < 130)).bit_count()
red = (where(0, lambda v: v > 170) & where(1, lambda v: v < 80) & where(2, lambda v: v < 80)).bit_count()
assert blue > 500, "no blue arrows (%d pixels)" % blue
assert red > int(sys.argv[2]), "too few red pixels for the misuse or the refusal (%d)" % red
PY
    done
else
    fail "chromium is not installed (tools/deps.sh installs it): the page was not rendered"
fi

# Refusals of --pcap and --keytab need no tshark.
rc=0; "$tool" --keytab "$tmp/x.keytab" --target HTTP/nowhere.example.test > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q 'no account of the domain registers HTTP/nowhere.example.test' "$tmp/err" || fail "a keytab for no service: exit $rc"

rc=0; "$tool" --pcap "$tmp/x.pcapng" --pcap-carrier udp > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q 'the carriers are http and tcp' "$tmp/err" || fail "--pcap-carrier udp: exit $rc"

# --pcap: the exchange as an HTTP capture tshark dissects; --keytab: the service's keys, which open the ticket.
if command -v tshark > /dev/null 2>&1; then
    "$tool" --pcap "$tmp/ntlm.pcapng" > /dev/null || fail "--pcap (NTLM) exited $?"
    "$tool" --pcap "$tmp/ntlm2.pcapng" > /dev/null && cmp -s "$tmp/ntlm.pcapng" "$tmp/ntlm2.pcapng" || fail "the same seed, a different capture"
    tshark -r "$tmp/ntlm.pcapng" -Y ntlmssp -T fields -e ntlmssp.messagetype -e ntlmssp.auth.username \
        -e ntlmssp.auth.domain -e http.response.code 2> /dev/null > "$tmp/ntlm.fields"
    printf '0x00000001\t\t\t\n0x00000002\t\t\t401\n0x00000003\tbob\tEXAMPLE\t\n' | cmp -s - "$tmp/ntlm.fields" ||
        fail "tshark's NTLM dissection: $(cat "$tmp/ntlm.fields")"
    [ "$(tshark -r "$tmp/ntlm.pcapng" -Y 'http.response.code == 200' 2> /dev/null | wc -l)" -eq 1 ] || fail "the final 200"
    [ "$(tshark -r "$tmp/ntlm.pcapng" -Y 'tcp.analysis.flags' 2> /dev/null | wc -l)" -eq 0 ] || fail "tshark finds TCP problems"
    "$tool" --package Kerberos --pcap "$tmp/krb.pcapng" --keytab "$tmp/krb.keytab" > /dev/null || fail "--pcap --keytab (Kerberos) exited $?"
    tshark -r "$tmp/krb.pcapng" -o kerberos.decrypt:TRUE -o "kerberos.file:$tmp/krb.keytab" -Y kerberos -T fields \
        -e kerberos.msg_type -e kerberos.SNameString -e kerberos.CNameString 2> /dev/null > "$tmp/krb.fields"
    printf '14\tHOST,server.example.test\tbob,bob\n15\t\t\n' | cmp -s - "$tmp/krb.fields" ||
        fail "tshark with the keytab did not show the ticket's client: $(cat "$tmp/krb.fields")"
    "$tool" --package Negotiate --pcap "$tmp/neg.pcapng" > /dev/null || fail "--pcap (Negotiate) exited $?"
    tshark -r "$tmp/neg.pcapng" -Y 'http.authorization contains "Negotiate"' 2> /dev/null | grep -q 'GET / HTTP/1.1' || fail "Negotiate's scheme"
    # --pcap-carrier tcp: the SSPI samples' framing on port 7070, which tools/fakesspi-sspi.lua frames for tshark.
    lua="lua_script:$top_srcdir/tools/fakesspi-sspi.lua"
    hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
    # The bytes tshark decrypted with bob's password (-o ntlmssp.nt_password), as hex, one message a line.
    decrypted() {
        tshark -X "$lua" -r "$1" -o 'ntlmssp.nt_password:Hunter2!' -x 2> /dev/null | awk '
            /^Decrypted data/ { on = 1; next }
            /^$/ { if (on) print ""; on = 0 }
            on { for (i = 2; i <= 17 && $i ~ /^[0-9a-f][0-9a-f]$/; i++) printf "%s", $i }'
    }
    "$tool" --pcap "$tmp/ntlm-tcp.pcapng" --pcap-carrier tcp > /dev/null || fail "--pcap-carrier tcp (NTLM) exited $?"
    tshark -X "$lua" -r "$tmp/ntlm-tcp.pcapng" -Y ntlmssp -T fields -e tcp.dstport -e ntlmssp.messagetype \
        -e ntlmssp.auth.username -e fakesspi_sspi.status 2> /dev/null > "$tmp/ntlm-tcp.fields"
    printf '7070\t0x00000001\t\t\n49152\t0x00000002\t\t0x00090312\n7070\t0x00000003\tbob\t\n' | cmp -s - "$tmp/ntlm-tcp.fields" ||
        fail "tshark's NTLM dissection in the samples' framing: $(cat "$tmp/ntlm-tcp.fields")"
    [ "$(tshark -X "$lua" -r "$tmp/ntlm-tcp.pcapng" -Y 'fakesspi_sspi.trailer_size == 16' 2> /dev/null | wc -l)" -eq 1 ] ||
        fail "the sealed message in the samples' framing"
    # The signed message too, before the sealed one: NTLM's signature and seal share the client's RC4 stream,
    # so with the signature in the capture tshark decrypts its checksum and then the sealed message. The
    # checksum is HMAC_MD5(SigningKey, sequence 0 + message)'s first 8 bytes (MS-NLMP 3.4.4.2), the key
    # derived from the ExportedSessionKey that sspi-decode finds with the password: the signature verifies.
    [ "$(tshark -X "$lua" -r "$tmp/ntlm-tcp.pcapng" -Y 'fakesspi_sspi.signature_size == 16 && fakesspi_sspi.signed == "Hello from the client"' 2> /dev/null | wc -l)" -eq 1 ] ||
        fail "the signed message in the samples' framing"
    decrypted "$tmp/ntlm-tcp.pcapng" > "$tmp/ntlm-tcp.plain"
    [ "$(sed -n 2p "$tmp/ntlm-tcp.plain")" = "$(hex 'Hello from the client')" ] && [ "$(wc -l < "$tmp/ntlm-tcp.plain")" -eq 2 ] ||
        fail "tshark did not open the sealed message after the signed one: $(cat "$tmp/ntlm-tcp.plain")"
    # shellcheck disable=SC2046 # one token a word
    key=$("$top_builddir/tools/sspi-decode" --password 'Hunter2!' $(tshark -X "$lua" -r "$tmp/ntlm-tcp.pcapng" \
        -Y fakesspi_sspi.token -T fields -e fakesspi_sspi.token 2> /dev/null) | sed -n 's/^ *ExportedSessionKey *//p')
    python3 - "$key" "$(sed -n 1p "$tmp/ntlm-tcp.plain")" <<'PY' || fail "the signature's checksum, as tshark decrypted it, does not verify"
import hashlib, hmac, sys
key, checksum = bytes.fromhex(sys.argv[1]), sys.argv[2]
signing = hashlib.md5(key + b"session key to client-to-server signing key magic constant\0").digest()
want = hmac.new(signing, (0).to_bytes(4, "little") + b"Hello from the client", hashlib.md5).hexdigest()[:16]
assert checksum == want, (checksum, want)
PY
    "$tool" --no-color --package Kerberos --pcap "$tmp/krb-tcp.pcapng" --pcap-carrier tcp > "$tmp/krb-tcp.txt" ||
        fail "--pcap-carrier tcp (Kerberos) exited $?"
    tshark -X "$lua" -r "$tmp/krb-tcp.pcapng" -o kerberos.decrypt:TRUE -o "kerberos.file:$tmp/krb.keytab" -Y kerberos \
        -T fields -e kerberos.msg_type -e kerberos.CNameString 2> /dev/null > "$tmp/krb-tcp.fields"
    printf '14\tbob,bob\n15\t\n' | cmp -s - "$tmp/krb-tcp.fields" ||
        fail "tshark with the keytab, the samples' framing: $(cat "$tmp/krb-tcp.fields")"
    # The RFC 4121 MIC and Wrap tokens (the signature, the sealed message's trailer) dissected by Wireshark's
    # own dissector: token ID, flags, EC, RRC, sequence number and the MIC's checksum, as the tool printed them.
    # (Wireshark 4.0 does not decrypt the Wrap token in this framing: doc/tools.md says why.)
    krb5_tokens() { # krb5_tokens CAPTURE: one RFC 4121 token a line
        tshark -X "$lua" -r "$1" -o kerberos.decrypt:TRUE -o "kerberos.file:$tmp/krb.keytab" -Y spnego.krb5.cfx_seq \
            -T fields -e tcp.dstport -e spnego.krb5.tok_id -e spnego.krb5.cfx_flags -e spnego.krb5.cfx_ec \
            -e spnego.krb5.cfx_rrc -e spnego.krb5.cfx_seq -e spnego.krb5.sgn_cksum 2> /dev/null
    }
    krb5_tokens "$tmp/krb-tcp.pcapng" > "$tmp/krb-tcp.tokens"
    python3 - "$tmp/krb-tcp.txt" "$tmp/krb-tcp.tokens" <<'PY' || fail "tshark's dissection of the Kerberos MIC and Wrap tokens: $(cat "$tmp/krb-tcp.tokens")"
import sys
said = dict(l.split(None, 1) for l in open(sys.argv[1]) if l.startswith(("  signature ", "  trailer ")))
mic, wrap = bytes.fromhex(said["signature"].strip()), bytes.fromhex(said["trailer"].strip())
assert mic[:2] == b"\x04\x04" and wrap[:2] == b"\x05\x04", (mic, wrap)
seq = lambda t: str(int.from_bytes(t[8:16], "big"))
want = [["7070", "0x0404", "0x04", "", "", seq(mic), mic[16:].hex()],  # from the initiator, acceptor's subkey
        ["7070", "0x0405", "0x06", str(int.from_bytes(wrap[4:6], "big")), "28", seq(wrap), ""]]  # and sealed
got = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
assert got == want, (got, want)
PY
    # What Wireshark 4.0 leaves sealed, sspi-decode opens: the tokens and the sealed message as tshark's fields
    # give them (the trailer and the sealed bytes joined, one message a line), as doc/tools.md shows.
    # shellcheck disable=SC2046 # one message a word
    "$top_builddir/tools/sspi-decode" $(tshark -X "$lua" -r "$tmp/krb-tcp.pcapng" -T fields -e fakesspi_sspi.token \
        -e fakesspi_sspi.trailer -e fakesspi_sspi.sealed 2> /dev/null | tr -d '\t') > "$tmp/krb-tcp.decoded" ||
        fail "sspi-decode of the Kerberos capture's tokens exited $?"
    grep -q '^  decrypted  *"Hello from the client"$' "$tmp/krb-tcp.decoded" ||
        fail "sspi-decode did not open the Wrap token tshark read: $(tail -3 "$tmp/krb-tcp.decoded")"
    # Two processes: each side writes the exchange as it saw it; both show the user, both open both sealed
    # messages with the password (the samples' framing), and the server's keytab opens the ticket in each.
    pcap_two_processes() { # pcap_two_processes CARRIER [OPTION...]: $tmp/srv.pcapng and $tmp/cli.pcapng
        _carrier=$1
        shift
        rm -f "$tmp/srv.pcapng" "$tmp/cli.pcapng"
        start_server "$tmp/srv.txt" "$tmp/srv.err" "$tool" --no-color --listen 0 --pcap "$tmp/srv.pcapng" \
            --pcap-carrier "$_carrier" "$@" || { fail "--pcap --listen: no server: $(cat "$tmp/srv.err")"; return 0; }
        "$tool" --no-color --connect "127.0.0.1:$server_port" --pcap "$tmp/cli.pcapng" --pcap-carrier "$_carrier" \
            "$@" > "$tmp/cli.txt" 2> "$tmp/cli.err" || fail "--pcap --connect $*: exit $?: $(cat "$tmp/cli.err")"
        wait_server
        [ "$server_rc" -eq 0 ] || fail "--pcap --listen $*: exit $server_rc: $(cat "$tmp/srv.err")"
    }
    pcap_two_processes tcp
    for side in srv cli; do
        tshark -X "$lua" -r "$tmp/$side.pcapng" -Y ntlmssp -T fields -e ntlmssp.messagetype -e ntlmssp.auth.username \
            2> /dev/null > "$tmp/$side.fields"
        printf '0x00000001\t\n0x00000002\t\n0x00000003\tbob\n' | cmp -s - "$tmp/$side.fields" ||
            fail "the $side's capture of two processes, NTLM as tshark reads it: $(cat "$tmp/$side.fields")"
        decrypted "$tmp/$side.pcapng" > "$tmp/$side.plain"
        printf '%s\n%s\n' "$(hex 'Hello from the client')" "$(hex 'Hello, EXAMPLE\bob')" | cmp -s - "$tmp/$side.plain" ||
            fail "tshark did not open the $side's sealed messages of two processes: '$(cat "$tmp/$side.plain")'"
        [ "$(tshark -r "$tmp/$side.pcapng" -Y 'tcp.analysis.flags' 2> /dev/null | wc -l)" -eq 0 ] ||
            fail "tshark finds TCP problems in the $side's capture of two processes"
    done
    # The server's capture has its last word (SEC_E_OK, no token), which the client never sees.
    [ "$(tshark -X "$lua" -r "$tmp/srv.pcapng" -Y 'fakesspi_sspi.status == 0' 2> /dev/null | wc -l)" -eq 1 ] &&
        [ "$(tshark -X "$lua" -r "$tmp/cli.pcapng" -Y 'fakesspi_sspi.status == 0' 2> /dev/null | wc -l)" -eq 0 ] ||
        fail "the server's final status in its capture only"
    # Kerberos in the samples' framing: the server's capture holds both sealed messages, the reply flagged as
    # the acceptor's (RFC 4121 4.2.2).
    pcap_two_processes tcp --package Kerberos --target HTTP/server.example.test
    krb5_tokens "$tmp/srv.pcapng" | cut -f1-5 > "$tmp/srv.tokens"
    printf '7070\t0x0405\t0x06\t0\t28\n49152\t0x0405\t0x07\t0\t28\n' | cmp -s - "$tmp/srv.tokens" ||
        fail "the Wrap tokens of two Kerberos processes, as tshark dissects them: $(cat "$tmp/srv.tokens")"
    pcap_two_processes http --package Kerberos --target HTTP/server.example.test
    for side in srv cli; do
        tshark -r "$tmp/$side.pcapng" -o kerberos.decrypt:TRUE -o "kerberos.file:$tmp/krb.keytab" -Y kerberos -T fields \
            -e kerberos.msg_type -e kerberos.CNameString 2> /dev/null > "$tmp/$side.fields"
        printf '14\tbob,bob\n15\t\n' | cmp -s - "$tmp/$side.fields" ||
            fail "the $side's Kerberos capture of two processes with the keytab: $(cat "$tmp/$side.fields")"
    done
elif [ "$(id -u)" = 0 ]; then
    fail "tshark is missing (tools/deps.sh installs it)"
else
    echo "SKIP: --pcap: tshark is missing"
fi
[ $status -eq 0 ] && echo "PASS: sspi-handshake: golden walk-through, JSON, two processes over TCP, the HTML diagram rendered, the pcapng capture and keytab read by tshark, failures and usage"
exit $status
