#!/bin/sh
# Every citation in the tree points into the tree: no file names the old notes outside the repository or a
# path in the shared folder one level up, every line with a section sign cites doc/semantics.md, and every section it cites
# exists there.
set -eu
: "${top_srcdir:=.}"
cd "$top_srcdir"
doc=doc/semantics.md
[ -f "$doc" ] || { echo "FAIL: $doc is missing"; exit 1; }

# The patterns are spelled in pieces so that this script does not match itself.
notes='SSPI''-NOTES'
shared='\.\./''shared'
sect=$(printf '\302\247') # the section sign, in UTF-8

files=$(mktemp)
trap 'rm -f "$files"' EXIT
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then # a checkout: its files, new ones too
    git ls-files --cached --others --exclude-standard > "$files"
else # an unpacked tarball
    find . \( -name .git -o -name '_build*' -o -name autom4te.cache -o -name .libs -o -name .deps \) -prune \
        -o -type f -print | sed 's|^\./||' > "$files"
fi

status=0
# -I skips binary files (Windows token captures, seeds).
if hits=$(tr '\n' '\0' < "$files" | xargs -0 grep -InE "$notes|$shared" 2>/dev/null); then
    printf '%s\n' "$hits"
    echo "FAIL: the lines above cite notes that are not in the repository; cite $doc or a spec"
    status=1
fi
if hits=$(tr '\n' '\0' < "$files" | xargs -0 grep -In "$sect" 2>/dev/null | grep -v "^$doc:" |
    grep -v "semantics\.md $sect[0-9]"); then
    printf '%s\n' "$hits"
    echo "FAIL: the lines above use a section sign without naming $doc"
    status=1
fi
# Every cited section exists: "## N. Title" in the document.
cited=$(tr '\n' '\0' < "$files" | xargs -0 grep -Ioh "$sect[0-9][0-9]*" 2>/dev/null | sort -u | sed "s/$sect//")
for n in $cited; do
    grep -q "^## $n\. " "$doc" || { echo "FAIL: $sect$n is cited but $doc has no section $n"; status=1; }
done
count=$(printf '%s\n' $cited | grep -c . || true)
[ $status -eq 0 ] && echo "PASS: no citation leaves the tree; $count sections of $doc cited, all present"
exit $status
