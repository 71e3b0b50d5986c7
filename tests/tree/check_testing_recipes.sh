#!/bin/sh
# doc/testing.md cannot drift from code that runs: every fenced c, cpp or sh block in it is preceded by a marker.
#   <!-- recipe: NAME -->     the block is, byte for byte, the region "/* recipe: NAME */" .. "/* end of recipe */"
#                              of tests/doc/test_recipes.c (indentation removed), which make check builds and runs;
#   <!-- recipe: NAME in FILE --> the same region of FILE, another test of this project;
#   <!-- run: NAME -->        a sh block this script runs, with ./test_gate standing for the doc's example suite;
#   <!-- block: NAME, run by FILE --> a block FILE takes out of the doc (tests/tree/doc_block.sh NAME) and runs.
# An unmarked block, a marker without its block, or a block that differs from its region fails.
set -eu
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
doc="$srcdir/doc/testing.md"
recipes="$srcdir/tests/doc/test_recipes.c"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# Blocks with their markers: one file per block, named after the marker; "unmarked" for blocks without one.
awk -v dir="$work" '
    /^<!-- (recipe|run|block): .* -->$/ { marker = $0; next }
    /^```(c|cpp|sh)$/ && !inside {
        inside = 1; n++
        if (marker == "") { print "unmarked code block at doc/testing.md:" NR > "/dev/stderr"; bad = 1 }
        split(marker, m, /: /); kind = marker; sub(/^<!-- /, "", kind); sub(/:.*/, "", kind)
        name = m[2]; sub(/ -->$/, "", name); gsub(/[^A-Za-z0-9_.\/ ,-]/, "_", name)
        file = dir "/" n "." kind; print name > (file ".name"); close(file ".name")
        printf "" > file
        marker = ""; next
    }
    /^```$/ && inside { inside = 0; close(file); next }
    inside { print > file; next }
    /^```/ { marker = "" }
    /[^ ]/ && marker != "" && !/^<!--/ { }
    END { exit bad }
' "$doc" || status=1

for block in "$work"/*.recipe; do
    [ -e "$block" ] || continue
    name=$(cat "$block.name")
    file=tests/doc/test_recipes.c
    case "$name" in *" in "*) file=${name#* in }; name=${name%% in *} ;; esac
    # the region's first line ends "recipe: NAME */" or "// recipe: NAME"; its last "end of recipe", either way
    awk -v name="$name" '
        $0 ~ "(/\\* |// )recipe: " name "( \\*/)?$" { on = 1; next }
        on && /(\/\* |\/\/ )end of recipe( \*\/)?$/ { on = 0; found = 1; next }
        on { sub(/^    /, ""); print }
        END { exit !found }
    ' "$srcdir/$file" > "$block.code" || { echo "recipe '$name' of doc/testing.md has no region in $file" >&2; status=1; continue; }
    if ! diff -u "$block.code" "$block" >&2; then
        echo "recipe '$name': doc/testing.md (+) differs from $file (-)" >&2
        status=1
    fi
done

for block in "$work"/*.block; do
    [ -e "$block" ] || continue
    spec=$(cat "$block.name")
    name=${spec%%, run by *}
    file=${spec#*, run by }
    grep -Eq "doc_block\.sh\"? $name( |$)" "$srcdir/$file" 2> /dev/null ||
        { echo "doc/testing.md says $file runs its block '$name'; $file does not take it (doc_block.sh $name)" >&2; status=1; }
done

# The sh recipes, run against the doc's example suite as ./test_gate.
gate="$builddir/doc/example/test_engineering_gate"
for block in "$work"/*.run; do
    [ -e "$block" ] || continue
    name=$(cat "$block.name")
    mkdir -p "$work/run" && cd "$work/run"
    printf '#!/bin/sh\nexec "%s" "$@"\n' "$(cd "$OLDPWD" && cd "$(dirname "$gate")" && pwd)/$(basename "$gate")" > test_gate
    chmod +x test_gate
    if ! sh -e "$block" > "$block.out" 2>&1; then
        echo "the sh recipe '$name' of doc/testing.md failed:" >&2
        cat "$block.out" >&2
        status=1
    fi
    cd "$OLDPWD"
done
exit $status
