#!/bin/sh
# Builds the libFuzzer harnesses with clang (ASan+UBSan) and runs each for SECONDS on a scratch
# corpus grown from tests/fuzz/seeds. Any crash, leak or sanitizer report fails the run.
#   tools/fuzz.sh [SECONDS]     (default 30; CI uses a short budget, longer runs find more)
# The mutations start from FUZZ_SEED (default 1), so that a failure CI reports comes back on a fresh clone with
# the same command; FUZZ_SEED=0 lets libFuzzer pick one per run, to explore beyond what CI covers.
set -eu
secs=${1:-30}
seed=${FUZZ_SEED:-1}
top=$(cd "$(dirname "$0")/.." && pwd)
command -v clang >/dev/null || { echo "clang is not installed (apt-get install clang libclang-rt-14-dev)"; exit 1; }
cd "$top"
[ -x configure ] || ./autogen.sh
build=_build/fuzz
targets="ntlm_messages accept initialize messages text kerberos negotiate shapes"
mkdir -p "$build"
if [ "${FUZZ_ONE:-}" ]; then # one harness (xargs below runs nproc of them at a time): its verdict, its log on failure
    target=$FUZZ_ONE corpus="$build/corpus/$FUZZ_ONE" log="$build/fuzz_$FUZZ_ONE.log"
    mkdir -p "$corpus"
    cp -n tests/fuzz/seeds/$target/* "$corpus/" 2>/dev/null || true
    if FAKESSPI_BACKTRACE=0 "$build/tests/fuzz/fuzz_$target" -max_total_time="$secs" -seed="$seed" -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$build/crash_$target-" "$corpus" > "$log" 2>&1; then
        execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}')
        echo "PASS: fuzz_$target: ${execs:-?} executions in ${secs}s, corpus of $(ls "$corpus" | wc -l) inputs"
    else
        echo "FAIL: fuzz_$target (see $log)"
        tail -30 "$log"
    fi
    exit 0
fi
(cd "$build" && { [ -f Makefile ] || ../../configure --quiet CC=clang CXX=clang++ --enable-fuzzing --disable-werror \
    --disable-shared; } && make -s -j"$(nproc)" libfakesspi-internal.la &&
    make -s -j"$(nproc)" $(printf 'tests/fuzz/fuzz_%s ' $targets))
# Each harness is one process on one core: the machine's cores each run one, so the budget is each harness's own
# and the wall time is the budget times the harnesses over the cores.
verdicts=$(printf '%s\n' $targets |
    xargs -P "$(nproc)" -I{} env FUZZ_ONE={} "$0" "$secs")
printf '%s\n' "$verdicts"
printf '%s\n' "$verdicts" | grep -q '^FAIL' && exit 1
[ "$(printf '%s\n' "$verdicts" | grep -c '^PASS')" = "$(echo $targets | wc -w)" ] || { echo "fuzz: a harness gave no verdict"; exit 1; }
exit 0
