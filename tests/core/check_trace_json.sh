#!/bin/sh
# The JSON trace of the demo handshake is JSON Lines that a JSON parser accepts, with the documented
# keys on every line, and two runs with the same seed write the same bytes.
set -eu
: "${top_builddir:=.}"
py=/usr/bin/python3
[ -x "$py" ] || { echo "no /usr/bin/python3"; [ "$(id -u)" = 0 ] && exit 1; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in 1 2; do
    FAKESSPI_BACKTRACE=0 FAKESSPI_TRACE="$tmp/trace$run.jsonl" FAKESSPI_TRACE_FORMAT=json FAKESSPI_TRACE_LEVEL=2 \
        "$top_builddir/examples/handshake" > /dev/null 2>&1
done
cmp "$tmp/trace1.jsonl" "$tmp/trace2.jsonl" || { echo "FAIL: two runs wrote different traces"; exit 1; }
$py - "$tmp/trace1.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) >= 10, "too few lines: %d" % len(lines)
for number, line in enumerate(lines, 1):
    record = json.loads(line)
    assert record["seq"] == number, record
    assert isinstance(record["thread"], int) and isinstance(record["function"], str), record
    assert isinstance(record["args"], dict) and isinstance(record["result"], str), record
    if "out" in record:
        assert isinstance(record["out"], dict), record
functions = [json.loads(l)["function"] for l in lines]
assert functions[:6] == ["AcquireCredentialsHandleA", "AcquireCredentialsHandleA", "InitializeSecurityContextA",
                         "AcceptSecurityContext", "InitializeSecurityContextA", "AcceptSecurityContext"], functions
last = json.loads(lines[-1])
assert last["function"] == "CloseHandle" and last["result"] == "FALSE (ERROR_INVALID_HANDLE)", last
print("PASS: %d JSON lines, schema checked, identical across runs" % len(lines))
PY
