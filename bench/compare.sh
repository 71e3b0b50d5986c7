#!/bin/sh
# Runs bench/handshake for libfakesspi and, from the same source, for WinPR (Debian libwinpr2-dev), one
# after the other on this machine, and prints the rows side by side.
#   bench/compare.sh [SECONDS_PER_ROW]     (from a configured build tree: make bench/handshake first)
# WinPR's NTLM server reads passwords from /etc/winpr/SAM: this writes alice's line there (root).
set -eu
secs=${1:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build/plain}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
FAKESSPI_BACKTRACE=0 "$build/bench/handshake" "$secs" > "$tmp/ours"
if pkg-config --exists winpr2; then
    cc -O2 -DBENCH_WINPR $(pkg-config --cflags winpr2) -o "$tmp/winpr" "$top/bench/handshake.c" \
        $(pkg-config --libs winpr2) -lpthread
    nt=$(printf 'Passw0rd!' | iconv -t UTF-16LE | openssl dgst -md4 -provider legacy -provider default | awk '{print $2}')
    mkdir -p /etc/winpr && echo "alice:EXAMPLE::$nt:::" > /etc/winpr/SAM
    WLOG_LEVEL=OFF "$tmp/winpr" "$secs" > "$tmp/winpr.out" || true
else
    : > "$tmp/winpr.out"
fi
printf '%-28s %16s %16s %8s\n' measurement libfakesspi winpr ratio
while read -r impl name value unit; do
    peer=$(awk -v n="$name" '$2 == n {print $3}' "$tmp/winpr.out")
    ratio=$(awk -v a="$value" -v b="${peer:-0}" 'BEGIN { if (b + 0 > 0 && a + 0 > 0) printf "%.2f", a / b; else print "-" }')
    printf '%-28s %16s %16s %8s  %s\n' "$name" "$value" "${peer:--}" "$ratio" "$unit"
done < "$tmp/ours"
