#!/bin/sh
# Every constant our headers define that MinGW-w64's independent Windows headers also define must
# have the same value. A C program is generated with one comparison per constant and run.
set -eu
: "${top_srcdir:=.}" "${MINGW_INCLUDE:=/usr/share/mingw-w64/include}" "${CC:=cc}"
if [ ! -f "$MINGW_INCLUDE/winerror.h" ]; then
    echo "FAIL: MinGW-w64 headers not found in $MINGW_INCLUDE (install the Debian package mingw-w64-common)"
    exit 1
fi
tmp=$(mktemp -d); trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
inc="$top_srcdir/include"

# Our object-like macros, and every identifier our headers know (macros, types, enum constants).
grep -h '^#define [A-Za-z_][A-Za-z_0-9]* ' "$inc"/*.h | awk '{print $2}' | sort -u > "$tmp/ours"
cat "$inc"/*.h | tr -c 'A-Za-z0-9_' '\n' | grep -E '^[A-Za-z_][A-Za-z0-9_]*$' | sort -u > "$tmp/known"
printf '%s\n' __MSABI_LONG _HRESULT_TYPEDEF_ sizeof unsigned int long short char >> "$tmp/known"

# MinGW's definitions, the most specific headers first; the first definition of a name wins.
{
    for h in ntstatus.h winerror.h winnt.h sspi.h secext.h sddl.h winbase.h minwinbase.h handleapi.h winnls.h \
             stringapiset.h lmcons.h security.h ntsecapi.h winsock2.h wincrypt.h lmerr.h lmaccess.h \
             winternl.h rpcdce.h wincred.h schannel.h strsafe.h; do
        [ -f "$MINGW_INCLUDE/$h" ] && echo "$MINGW_INCLUDE/$h"
    done
    ls "$MINGW_INCLUDE"/*.h
} | awk '!seen[$0]++' | while read -r f; do
    awk '/^[ \t]*#[ \t]*define[ \t]+[A-Za-z_][A-Za-z_0-9]*[ \t]/ {
            line = $0; sub(/^[ \t]*#[ \t]*define[ \t]+/, "", line)
            name = line; sub(/[ \t].*/, "", name)
            value = line; sub(/^[A-Za-z_][A-Za-z_0-9]*[ \t]+/, "", value)
            sub(/[ \t]*\/\*.*$/, "", value); sub(/[ \t]*\/\/.*$/, "", value)
            if (value != "" && value !~ /\\$/) print name "\t" value
         }' "$f"
done | awk -F'\t' '!seen[$1]++' > "$tmp/mingw"

# Where MinGW-w64's headers lag the Windows SDK, the SDK's value is the one (checked against SDK 10.0.16299):
# its wincred.h is pre-Vista, and it numbers STATUS_PKU2U_CERT_FAILURE one below the SDK's 0xC000042F.
lagging="CRED_FLAGS_VALID_FLAGS CRED_TYPE_MAXIMUM CRED_MAX_CREDENTIAL_BLOB_SIZE CREDUI_MAX_MESSAGE_LENGTH \
CREDUI_MAX_PASSWORD_LENGTH STATUS_PKU2U_CERT_FAILURE"
for name in $lagging; do
    grep -q "^$name	" "$tmp/mingw" || { echo "FAIL: $name is no longer in MinGW-w64's list: drop it from 'lagging'"; exit 1; }
    sed -i "/^$name	/d" "$tmp/mingw"
done

# Keep the names both define, whose MinGW expression only uses identifiers we know.
awk -F'\t' -v known="$tmp/known" -v ours="$tmp/ours" -v skipped="$tmp/skipped" -v strings="$tmp/strings" '
    BEGIN { while ((getline k < known) > 0) ok[k] = 1; while ((getline o < ours) > 0) mine[o] = 1 }
    ($1 in mine) {
        expr = $2
        if (expr ~ /^(TEXT\()?"[^"]*"\)?$/) { print $1 "\t" expr > strings; next }
        if (expr ~ /["{]/) { print $1 " (string or initializer)" > skipped; next }
        rest = expr; good = 1; ids = 0; single = ""
        while (match(rest, /[A-Za-z0-9_]+/)) {
            id = substr(rest, RSTART, RLENGTH)
            rest = substr(rest, RSTART + RLENGTH)
            if (id ~ /^[0-9]/) continue
            ids++; single = id
            if (!(id in ok)) { good = 0; break }
        }
        if (!good) { print $1 " (uses " id ")" > skipped; next }
        # A lone identifier is a value only if it is one of our macros or an enum constant.
        if (expr !~ /[0-9]/ && ids == 1 && !(single in mine) && single !~ /^(Security|Token|Name|Sid|ComputerName)[A-Z]/) {
            print $1 " (not a value: " expr ")" > skipped; next
        }
        if (expr !~ /[0-9]/ && ids == 0) { print $1 " (empty)" > skipped; next }
        print $1 "\t" expr
    }' "$tmp/mingw" > "$tmp/pairs"

{
    echo '#define SECURITY_WIN32'
    echo '#include "windows.h"'
    echo '#include "security.h"'
    echo '#include "sddl.h"'
    echo '#include "tchar.h"'
    echo '#include "winsock2.h"'
    echo '#include "wincrypt.h"'
    echo '#include "aclapi.h"'
    echo '#include "authz.h"'
    for h in ntstatus.h winternl.h ntsecapi.h lm.h rpc.h wincred.h schannel.h strsafe.h; do echo "#include \"$h\""; done
    echo '#include <stdio.h>'
    echo '#define __MSABI_LONG(x) x'
    echo 'static int bad, checked;'
    echo '#define CHECK(name, ours, theirs) do { checked++; if ((long long)(ours) != (long long)(theirs)) { \'
    printf '%s\n' '    printf("MISMATCH %s: ours %#llx, MinGW %#llx\n", name, (long long)(ours), (long long)(theirs)); bad++; } } while (0)'
    echo '#include <string.h>'
    echo '#define CHECK_STR(name, ours, theirs) do { checked++; if (strcmp(ours, theirs)) { \'
    printf '%s\n' '    printf("MISMATCH %s: ours \"%s\", MinGW \"%s\"\n", name, ours, theirs); bad++; } } while (0)'
    echo 'int main(void) {'
    [ -f "$tmp/strings" ] && awk -F'\t' '{ printf "    CHECK_STR(\"%s\", %s, %s);\n", $1, $1, $2 }' "$tmp/strings"
    awk -F'\t' '{ printf "    CHECK(\"%s\", %s, (%s));\n", $1, $1, $2 }' "$tmp/pairs"
    printf '%s\n' '    printf("checked %d constants against MinGW-w64, %d differ\n", checked, bad);'
    echo '    return bad != 0 || checked < 1100;'
    echo '}'
} > "$tmp/check.c"

$CC -std=c11 -w -I"$inc" -o "$tmp/check" "$tmp/check.c"
status=0
"$tmp/check" || status=$?
echo "($(wc -l < "$tmp/skipped") shared names not comparable: strings, initializers or MinGW-only helpers)"
[ $status -eq 0 ] && echo "PASS" || echo "FAIL: values differ from MinGW-w64 (or too few compared)"
exit $status
