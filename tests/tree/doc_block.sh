#!/bin/sh
# Prints the fenced code block of doc/testing.md marked <!-- block: NAME, run by FILE -->, so that FILE runs the
# doc's own text rather than a copy of it (tests/tree/check_testing_recipes.sh checks that it does).
#   sh tests/tree/doc_block.sh NAME
set -eu
doc="${top_srcdir:-.}/doc/testing.md"
awk -v name="$1" '
    $0 ~ "^<!-- block: " name ", run by " { want = 1; next }
    want && /^```[a-z]+$/ { inside = 1; next }
    inside && /^```$/ { found = 1; exit }
    inside { print }
    END { exit !found }
' "$doc" || { echo "doc/testing.md has no block '$1'" >&2; exit 1; }
