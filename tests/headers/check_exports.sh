#!/bin/sh
# The shared library exports exactly the functions the headers declare with FAKESSPI_API, which are
# exactly those in the export table (libfakesspi/api/exports.def, which makes the version script): nothing internal leaks, nothing declared is missing.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
lib="$top_builddir/.libs/libfakesspi.so"
[ -f "$lib" ] || { echo "no $lib (was the shared library built?)"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | grep -v '^FAKESSPI_0$' | sort -u > "$tmp/exported"
grep -ho '^FAKESSPI_API [^(]*(' "$top_srcdir"/include/*.h | sed -E 's/.*[ *]([A-Za-z_0-9]+)\($/\1/' | sort -u > "$tmp/declared"
sed -n 's/^X(\([A-Za-z_][A-Za-z_0-9]*\),.*/\1/p' "$top_srcdir/libfakesspi/api/exports.def" | sort -u > "$tmp/script"
status=0
if ! diff -u "$tmp/declared" "$tmp/exported"; then echo "FAIL: exports differ from the headers' declarations"; status=1; fi
if ! diff -u "$tmp/declared" "$tmp/script"; then echo "FAIL: libfakesspi/api/exports.def differs from the headers"; status=1; fi
n=$(wc -l < "$tmp/exported")
[ "$n" -ge 70 ] || { echo "FAIL: only $n exports"; status=1; }
[ $status -eq 0 ] && echo "PASS: $n exported symbols, all declared, nothing internal"
exit $status
