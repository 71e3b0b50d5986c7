#!/bin/sh
# tools/sddl-explain: a descriptor as SDDL, as hex and as a file, explained ACE by ACE with the fake domain's
# names; the traps (NULL and empty DACLs, a deny after an allow) said; bad input refused with its exit code.
set -eu
: "${top_srcdir:=.}" "${top_builddir:=.}"
tool="$top_builddir/tools/sddl-explain"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
unset FAKESSPI_DOMAIN FAKESSPI_TRACE FAKESSPI_FAULTS
has() { grep -qF -- "$1" "$tmp/out" || fail "$2: no line '$1'"; }

# A protected DACL out of canonical order, an audit ACE and an integrity label, with a domain user's SID.
sddl='O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;;0x1200a9;;;BU)(D;;FW;;;S-1-5-21-1000000001-2000000002-3000000003-1104)S:(AU;FA;FW;;;WD)(ML;;NW;;;ME)'
"$tool" "$sddl" > "$tmp/out" || fail "the SDDL exited $?"
has "  SDDL                   $sddl" "the SDDL read back"
has "  control                SE_DACL_PRESENT|SE_SACL_PRESENT|SE_DACL_AUTO_INHERITED|SE_DACL_PROTECTED|SE_SELF_RELATIVE" "control"
has "  owner                  S-1-5-32-544 BUILTIN\\Administrators: may always read and change the DACL" "owner"
has "  flags                  OBJECT_INHERIT_ACE|CONTAINER_INHERIT_ACE: files and folders below inherit it" "inheritance"
has "  rights                 0x001200a9 = FILE_GENERIC_READ|FILE_GENERIC_EXECUTE" "composites"
has "                         READ_CONTROL|SYNCHRONIZE|FILE_READ_DATA|FILE_READ_EA|FILE_EXECUTE|FILE_READ_ATTRIBUTES" "bits"
has "  trustee                S-1-5-21-1000000001-2000000002-3000000003-1104 EXAMPLE\\alice" "a domain user by name"
has "  in words               EXAMPLE\\alice is denied FILE_GENERIC_WRITE" "a deny in words"
has "The DACL is not in canonical order: a deny ACE follows an allow ACE." "the order"
has "  in words               a refused attempt of FILE_GENERIC_WRITE by Everyone is written to the security log" "audit"
has "  level                  S-1-16-8192 Mandatory Label\\Medium Mandatory Level" "the label"
[ "$(grep -c '^ACE ' "$tmp/out")" -eq 5 ] || fail "five ACEs: $(grep -c '^ACE ' "$tmp/out")"

# In canonical order (deny first) there is no warning; a key's rights by its names.
"$tool" 'D:(D;;FW;;;BG)(A;;FR;;;WD)' > "$tmp/out" || fail "a canonical DACL exited $?"
grep -q "canonical" "$tmp/out" && fail "a warning for a DACL in canonical order"
"$tool" --object key 'D:(A;CIIO;KA;;;S-1-5-21-1-2-3-999)' > "$tmp/out" || fail "--object key exited $?"
has "  rights                 0x000f003f = KEY_ALL_ACCESS" "KEY_ALL_ACCESS"
has "subkeys below inherit it; inherit-only: it does not apply to this object itself" "a key's inheritance"
has "  trustee                S-1-5-21-1-2-3-999 (no account of the domain)" "an unknown SID"
"$tool" --object generic 'D:(A;;0x1f01ff;;;WD)' > "$tmp/out" || fail "--object generic exited $?"
has "  rights                 0x001f01ff DELETE|READ_CONTROL|WRITE_DAC|WRITE_OWNER|SYNCHRONIZE|specific 0x1ff" "generic"

# The traps.
"$tool" 'D:NO_ACCESS_CONTROL' > "$tmp/out" || fail "a NULL DACL exited $?"
has "  DACL                   NULL: no DACL at all, so everyone may do everything to the object" "a NULL DACL"
"$tool" 'O:SYD:' > "$tmp/out" || fail "an empty DACL exited $?"
has "  DACL                   empty: nobody is allowed anything, except the owner's implicit READ_CONTROL|WRITE_DAC" "empty"

# Bytes: O:SYD:(A;;GA;;;WD) self-relative, as hex with spaces and newlines, and as a raw file.
hex='01 00 04 80 30000000 00000000 00000000 14000000
02 00 1c00 0100 0000 00 00 1400 00000010 0101000000000001 00000000
0101000000000005 12000000'
"$tool" "$hex" > "$tmp/out" || fail "hex exited $?"
has "  SDDL                   O:SYD:(A;;GA;;;WD)" "hex read"
has "  in words               Everyone is allowed GENERIC_ALL" "hex ACE"
printf '%s' "$hex" | tr -d ' \n' | xxd -r -p > "$tmp/sd.bin" 2>/dev/null ||
    python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))" "$(printf '%s' "$hex" | tr -d ' \n')" > "$tmp/sd.bin"
"$tool" "$tmp/sd.bin" > "$tmp/out" || fail "a raw file exited $?"
has "  SDDL                   O:SYD:(A;;GA;;;WD)" "a raw file"
printf '%s\n' "$sddl" > "$tmp/sd.txt"
"$tool" "$tmp/sd.txt" > "$tmp/out" || fail "an SDDL file exited $?"
has "  SDDL                   $sddl" "an SDDL file"

# Object ACEs (AccessCheckByType's): the part of the object each is for, and whom it is inherited by.
"$tool" --object generic 'O:BAG:BAD:(OA;CI;0x30;01020302-0506-0708-090a-0b0c0d0e0f02;bf967aba-0de6-11d0-a285-00aa003049e2;PS)(OD;;0x10;;;WD)' > "$tmp/out" ||
    fail "object ACEs exited $?"
has "  DACL                   2 ACEs, revision 4" "an ACL with object ACEs is revision 4"
has "  type                   ACCESS_ALLOWED_OBJECT_ACE_TYPE: allows" "the object allow's type"
has "  object type            01020302-0506-0708-090a-0b0c0d0e0f02" "the object type"
has "  inherited by           child objects of type bf967aba-0de6-11d0-a285-00aa003049e2 only" "the inherited object type"
has "  trustee                S-1-5-10 NT AUTHORITY\SELF" "the SID after both GUIDs"
has "  in words               NT AUTHORITY\SELF is allowed specific 0x30 on the part 01020302-0506-0708-090a-0b0c0d0e0f02 of the object and what is below it" "the object allow in words"
has "  object type            none: the ACE is for the whole object" "an object ACE without an object type"
has "  in words               Everyone is denied specific 0x10" "the object deny in words"

# What is not a descriptor, whole: a cut one (its owner would run past the end), an ACL that claims more
# than there is, bad SDDL, bad usage.
rc=0; "$tool" '01 00 04 80 30000000 00000000 00000000 14000000 02001c00' > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q "not a valid security descriptor" "$tmp/err" || fail "a cut descriptor: exit $rc"
rc=0; "$tool" '01 00 04 80 00000000 00000000 00000000 14000000 0200ff00 0000 0000' > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] || fail "an ACL larger than the bytes: exit $rc"
rc=0; "$tool" 'D:(A;;XX;;;WD)' > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 1 ] && grep -q "neither SDDL nor a descriptor's bytes" "$tmp/err" || fail "bad SDDL: exit $rc"
rc=0; "$tool" --object door 'D:' > /dev/null 2> "$tmp/err" || rc=$?
[ $rc -eq 2 ] && grep -q "file, key or generic" "$tmp/err" || fail "--object door: exit $rc"
rc=0; "$tool" > /dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || fail "no input: exit $rc"
rc=0; "$tool" --bogus 'D:' > /dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || fail "an unknown option: exit $rc"
"$tool" --version | grep -q '^sddl-explain (libfakesspi) ' || fail "--version"

[ $status -eq 0 ] && echo "PASS: sddl-explain: SDDL, hex and files explained ACE by ACE, the traps said, bad input refused"
exit $status
