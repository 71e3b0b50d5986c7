#!/bin/sh
# make dist ships the test data by a generated list (tests/data.am), not by hand or by wildcard: the list
# must name exactly the files under tests/data and tests/fuzz/seeds.
set -eu
: "${top_srcdir:=.}"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sh "$top_srcdir/tools/dist-data.sh" "$tmp"
if ! diff -u "$top_srcdir/tests/data.am" "$tmp"; then
    echo "FAIL: tests/data.am is not current: run tools/dist-data.sh and commit the result"
    exit 1
fi
echo "PASS: tests/data.am names all $(grep -c '^	tests/' "$tmp") data files"
