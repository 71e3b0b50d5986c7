#!/bin/sh
# Runs the same measurements for libfakesspi, WinPR (Debian libwinpr2-dev; bench/handshake.c built
# against it), gss-ntlmssp (Debian gss-ntlmssp + libkrb5-dev; bench/gss_handshake.c) and MIT krb5's own
# Kerberos (bench/mit_gss, built by make when libkrb5-dev is there), one after the other on this machine, and
# prints them side by side with libfakesspi's ratio to the best peer.
#   bench/compare.sh [SECONDS_PER_ROW]     (after make bench/handshake in $BUILD, default _build/plain)
# WinPR's NTLM server reads passwords from /etc/winpr/SAM: this writes alice's line there (root).
set -eu
secs=${1:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build/plain}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
FAKESSPI_BACKTRACE=0 "$build/bench/handshake" "$secs" > "$tmp/ours"
: > "$tmp/winpr"
: > "$tmp/gss"
: > "$tmp/mit"
[ -x "$build/bench/mit_gss" ] && { FAKESSPI_BACKTRACE=0 "$build/bench/mit_gss" "$secs" > "$tmp/mit" || true; }
if pkg-config --exists winpr2; then
    cc -O2 -DBENCH_WINPR $(pkg-config --cflags winpr2) -o "$tmp/winpr.bin" "$top/bench/handshake.c" \
        $(pkg-config --libs winpr2) -lpthread
    nt=$(printf 'Passw0rd!' | iconv -t UTF-16LE | openssl dgst -md4 -provider legacy -provider default | awk '{print $2}')
    mkdir -p /etc/winpr && echo "alice:EXAMPLE::$nt:::" > /etc/winpr/SAM
    WLOG_LEVEL=OFF "$tmp/winpr.bin" "$secs" > "$tmp/winpr" || true
fi
if pkg-config --exists krb5-gssapi && [ -f /etc/gss/mech.d/mech.ntlmssp.conf ]; then
    cc -O2 -o "$tmp/gss.bin" "$top/bench/gss_handshake.c" $(pkg-config --cflags --libs krb5-gssapi) -lpthread
    printf 'EXAMPLE:alice:Passw0rd!\n' > "$tmp/users"
    NTLM_USER_FILE=$tmp/users "$tmp/gss.bin" "$secs" > "$tmp/gss" || true
fi
printf '%-28s %14s %14s %14s %14s %10s\n' measurement libfakesspi winpr gss-ntlmssp mit-krb5 vs_best
while read -r impl name value unit; do
    w=$(awk -v n="$name" '$2 == n {print $3}' "$tmp/winpr")
    g=$(awk -v n="$name" '$2 == n {print $3}' "$tmp/gss")
    m=$(awk -v n="$name" '$2 == n {print $3}' "$tmp/mit")
    # Rates: ours / the best peer. Sizes and growth (lower is better): best peer / ours.
    ratio=$(awk -v a="$value" -v n="$name" -v peers="${w:-0} ${g:-0} ${m:-0}" 'BEGIN {
        lower = (n ~ /rss/); best = 0
        split(peers, p, " ")
        for (i = 1; i <= 3; i++)
            if (p[i] + 0 > 0 && (best == 0 || (lower ? p[i] + 0 < best : p[i] + 0 > best))) best = p[i] + 0
        if (best == 0 || a + 0 <= 0) { print "-"; exit }
        printf "%.2fx", lower ? best / a : a / best }')
    printf '%-28s %14s %14s %14s %14s %10s  %s\n' "$name" "$value" "${w:--}" "${g:--}" "${m:--}" "$ratio" "$unit"
done < "$tmp/ours"
# The performance issue's yardstick: the crypto alone of a naive NTLMv2 handshake, in nettle, this run.
if [ -x "$build/bench/naive_crypto" ]; then
    naive=$("$build/bench/naive_crypto" "$secs" | awk '{print $3}')
    ours=$(awk '$2 == "handshakes_1thread" {print $3}' "$tmp/ours")
    awk -v o="$ours" -v n="$naive" 'BEGIN { printf "%-28s %14s %14s %14s %14s %10.2fx  handshakes against the crypto-only loop\n", "naive_crypto_loop", o, "-", n, "-", o / n }'
fi
