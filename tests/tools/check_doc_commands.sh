#!/bin/sh
# Every command README.md, doc/tools.md and the tools' man pages show is run here, read from the docs themselves,
# so that a doc change that breaks a command fails this test:
#   README.md and doc/tools.md: each ```sh block is a script, run line by line; in any other block, a line "$ COMMAND" is a
#     command and the lines under it, up to the next "$ " line, its output;
#   man/*.1: each .EX/.EE and .nf/.fi block, a line "$ COMMAND" as in README.md and any other line a command.
# Where the docs show output, its lines must appear in the command's output (standard output and error), in
# order; a line ending in "..." must start one, and "..." alone stands for lines left out.
# Commands run in a scratch directory laid out as the source tree reads (examples/ and _build/plain/ are the
# build's, tools/ and tests/ the source's), the built tools first on PATH. A line ending in "&" is a server:
# it starts on a free port (the documented one, replaced by 0, then by the port it names in later lines) and
# must exit 0 once the next command is done. A block is skipped only for a reason listed in SKIP below.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN FAKESSPI_PCAP FAKESSPI_PCAP_CARRIER \
    FAKESSPI_SEED FAKESSPI_CLOCK
mkdir -p "$tmp/run/_build"
ln -s "$top_builddir" "$tmp/run/_build/plain"
ln -s "$top_builddir/examples" "$tmp/run/examples"
ln -s "$top_srcdir/tools" "$tmp/run/tools"
ln -s "$top_srcdir/tests" "$tmp/run/tests"
PATH="$top_builddir/tools:$PATH"
export PATH
if ! command -v tshark > /dev/null 2>&1; then
    [ "$(id -u)" = 0 ] && { echo "FAIL: tshark is missing (tools/deps.sh installs it)"; exit 1; }
    echo "SKIP: tshark is missing (the docs' capture commands need it)"
    exit 77
fi

python3 - "$top_srcdir" "$tmp/run" "$top_builddir" <<'PY'
import os, re, signal, subprocess, sys, time

src, run, build = sys.argv[1], sys.argv[2], sys.argv[3]
# fakesspi-gss-env writes its mech config file under $XDG_RUNTIME_DIR: the scratch directory, not the user's.
os.environ["XDG_RUNTIME_DIR"] = run

# A block holding a line that matches one of these is not run, for the reason given.
SKIP = [
    (r"^tools/(demo|check)\.sh", "installs packages and builds the tree from scratch: CI runs these itself"),
    (r"^cc app\.c", "builds against the installed library (make install)"),
    (r"/etc/winpr|freerdp", "FreeRDP with a display; tests/interop/check_freerdp.sh runs it"),
    (r"^curl ", "needs a web server at server.example.test; tests/interop/check_curl.sh runs curl against one"),
    (r"\btoken\.bin\b|\bchallenge\.b64\b", "decodes the reader's own files; tests/tools/check_sspi_decode.sh "
     "decodes every input form"),
]
# fakesspi-gss-env's example logs curl in through the GSSAPI module: it needs the module (built when libkrb5-dev
# is there: CI installs it), a curl with GSS-API, and a build without sanitizers, whose runtime curl cannot run
# with (tests/gss/check_gss_curl.sh says why).
module = os.path.join(build, ".libs", "fakesspi_gss.so")
gss_missing = None
if not os.path.exists(os.path.join(build, "tools", "fakesspi-gss-env")) or not os.path.exists(module):
    gss_missing = "the GSSAPI module is not built (libkrb5-dev)"
elif "GSS-API" not in subprocess.run(["curl", "-V"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode():
    gss_missing = "curl has no GSS-API"
elif re.search(rb"lib(asan|tsan|ubsan)\.so", subprocess.run(["ldd", module], stdout=subprocess.PIPE).stdout):
    gss_missing = "a sanitizer build: curl cannot run with the sanitizer runtime the module needs"
if gss_missing:
    if os.getuid() == 0 and not gss_missing.startswith("a sanitizer"):
        print("FAIL: %s, and CI installs what it needs (tools/deps.sh)" % gss_missing)
        sys.exit(1)
    SKIP.append((r"fakesspi-gss-env", gss_missing))

def unman(line):
    """A man page line as the reader sees it."""
    line = line.replace("\\&", "").replace("\\-", "-").replace("\\(aq", "'").replace("\\e", "\\").replace("\\\\", "\\")
    return re.sub(r"\\f[BIRP]", "", line)

def blocks():
    """(where, [(command, expected output lines or None)]) for every block with commands."""
    for doc in ("README.md", "doc/tools.md"):
        with open(os.path.join(src, doc)) as f:
            lines = f.read().split("\n")
        i = 0
        while i < len(lines):
            m = re.match(r"^```(\w*)$", lines[i])
            if not m:
                i += 1
                continue
            lang, start, body = m.group(1), i + 1, []
            i += 1
            while i < len(lines) and lines[i] != "```":
                body.append(lines[i])
                i += 1
            i += 1
            yield from commands("%s:%d" % (doc, start), body, lang == "sh")
    for name in sorted(os.listdir(os.path.join(src, "man"))):
        if not name.endswith(".1"):
            continue
        with open(os.path.join(src, "man", name)) as f:
            lines = f.read().split("\n")
        body, start = None, 0
        for n, line in enumerate(lines, 1):
            if line in (".EX", ".nf"):
                body, start = [], n + 1
            elif line in (".EE", ".fi") and body is not None:
                yield from commands("man/%s:%d" % (name, start), [unman(l) for l in body if not l.startswith(".")], True)
                body = None
            elif body is not None:
                body.append(line)

def commands(where, body, script):
    """In a block with "$ " lines, those are the commands and the lines under each its output; otherwise a
    script's every line is a command with no output shown."""
    cmds = []
    if any(line.startswith("$ ") for line in body):
        for line in body:
            if line.startswith("$ "):
                cmds.append((line[2:], []))
            elif cmds:
                cmds[-1][1].append(line)
    elif script:
        cmds = [(line, None) for line in body if line.strip() and not line.lstrip().startswith("#")]
    if cmds:
        yield where, [(c, out if out else None) for c, out in cmds]

def shown(expected, actual):
    """The documented output lines appear in order in the actual output; a trailing '...' makes a prefix."""
    got = actual.split("\n")
    at = 0
    for want in expected:
        if want.strip() in ("", "..."):
            continue
        prefix = want.endswith("...")
        text = want[:-3].rstrip() if prefix else want
        while at < len(got) and not (got[at].startswith(text) if prefix else got[at] == text):
            at += 1
        if at == len(got):
            return want
        at += 1
    return None

failures, ran, skipped = [], 0, []
for where, cmds in blocks():
    reason = next((why for pattern, why in SKIP for c, _ in cmds if re.search(pattern, c)), None)
    if reason:
        skipped.append("%s (%s)" % (where, reason))
        continue
    ports, servers = {}, []
    for cmd, expected in cmds:
        for doc_port, port in ports.items():
            cmd = re.sub(r"(?<![\d.])%s(?!\d)" % doc_port, str(port), cmd)
        background = re.search(r"\s&\s*(#.*)?$", cmd)
        if background:
            cmd = cmd[:background.start()]
            doc_port = next((w for w in cmd.split() if re.fullmatch(r"\d{2,5}", w)), None)
            if doc_port:
                cmd = re.sub(r"(?<![\d.])%s(?!\d)" % doc_port, "0", cmd, count=1)
            log = open(os.path.join(run, "server.%d.log" % len(servers)), "w+")
            proc = subprocess.Popen(["sh", "-c", cmd], cwd=run, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            deadline, port = time.time() + 60, None
            while port is None and time.time() < deadline and proc.poll() is None:
                log.seek(0)
                m = re.search(r"^listening on 127\.0\.0\.1:(\d+)$", log.read(), re.M)
                port = m.group(1) if m else time.sleep(0.1)
            if port is None:
                log.seek(0)
                failures.append("%s: the server '%s' did not start: %s" % (where, cmd, log.read()[-400:]))
                os.killpg(proc.pid, signal.SIGTERM) if proc.poll() is None else None
                break
            if doc_port:
                ports[doc_port] = port
            servers.append((cmd, proc, log))
            continue
        ran += 1
        try:
            done = subprocess.run(["sh", "-c", cmd], cwd=run, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=180)
            out, rc = done.stdout.decode(errors="replace"), done.returncode
        except subprocess.TimeoutExpired:
            out, rc = "(timed out)", -1
        if expected is not None:
            missing = shown(expected, out)
            if missing is not None:
                failures.append("%s: '%s' does not show '%s'; it wrote:\n%s" % (where, cmd, missing, out[:3000]))
        elif rc != 0:
            failures.append("%s: '%s' exited %d: %s" % (where, cmd, rc, out[-1500:]))
        for scmd, proc, log in servers:
            try:
                src_rc = proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGTERM)
                src_rc = -1
            if src_rc != 0:
                log.seek(0)
                failures.append("%s: the server '%s' exited %d: %s" % (where, scmd, src_rc, log.read()[-1500:]))
        servers = []
for s in skipped:
    print("skipped: " + s)
for f in failures:
    print("FAIL: " + f)
if not failures:
    print("PASS: %d commands of README.md, doc/tools.md and the man pages run as documented, their shown output checked" % ran)
sys.exit(1 if failures or ran == 0 else 0)
PY
