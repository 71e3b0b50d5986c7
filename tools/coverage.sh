#!/bin/sh
# Line coverage of the library by the whole suite: builds in _build/coverage with gcc --coverage, runs
# make check, and prints each layer's figure and the total (gcov, part of gcc).
#   tools/coverage.sh            then see _build/coverage/coverage.txt for every file
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -x configure ] || ./autogen.sh >/dev/null
rm -rf _build/coverage && mkdir -p _build/coverage && cd _build/coverage
../../configure --quiet CFLAGS="-O0 -g --coverage" LDFLAGS="--coverage" >/dev/null
make -s -j"$(nproc)" >/dev/null
make -s -j"$(nproc)" check >/dev/null 2>&1 || { echo "coverage: make check failed"; exit 1; }
# gcov -n: figures only, no .gcov files. One line per library source: "layer file executed total".
# libtool compiles the library twice; the tests and libfakesspi.so run the PIC objects in .libs/.
for obj in libfakesspi/*/.libs/internal_la-*.o libfakesspi/packages/*/.libs/internal_la-*.o; do
    [ -f "${obj%.o}.gcda" ] || continue
    gcov -n "$obj" 2>/dev/null | awk -v layer="$(echo "$obj" | cut -d/ -f2)" '
        /^File / { file = $2; gsub(/\047/, "", file) }
        /^Lines executed:/ && file ~ /libfakesspi\// && file ~ /\.c$/ {
            split($2, a, ":"); pct = a[2]; sub(/%/, "", pct); total = $4
            printf "%s %s %d %d\n", layer, file, int(pct * total / 100 + 0.5), total; file = "" }'
done | sort -u -k2,2 > coverage.raw
awk '{ printf "%-10s %-52s %5.1f%% of %d lines\n", $1, $2, $4 ? 100 * $3 / $4 : 0, $4 }' coverage.raw > coverage.txt
echo "line coverage by make check:"
awk '{ e[$1] += $3; t[$1] += $4; E += $3; T += $4 }
     END { for (l in e) printf "  %-10s %5.1f%%  (%d of %d lines)\n", l, 100 * e[l] / t[l], e[l], t[l];
           printf "  %-10s %5.1f%%  (%d of %d lines)\n", "total", 100 * E / T, E, T }' coverage.raw | sort
