#!/bin/sh
# tshark (Wireshark's Kerberos and PAC dissectors) reads the PAC in our ticket: the AP-REQ as a Kerberos
# datagram to UDP 88 (text2pcap), the ticket decrypted with a keytab written here from svc_server's key, and
# every PAC buffer named and dissected without a malformed-packet complaint, and the server, KDC and ticket
# signatures verified by tshark's own code with the service's and krbtgt's keys (doc/semantics.md §41).
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
prog="$top_builddir/tests/packages/kerberos/pac_sample"
if ! command -v tshark >/dev/null || ! command -v text2pcap >/dev/null || ! command -v python3 >/dev/null; then
    echo "tshark, text2pcap or python3 missing (apt-get install tshark python3)"
    [ "$(id -u)" = 0 ] && exit 1
    exit 77
fi
dir=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT # KEEP=1 keeps tshark.txt for a look
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN
FAKESSPI_SEED=0 "$prog" > "$dir/sample.txt" 2>/dev/null || { echo "FAIL: pac_sample"; exit 1; }
python3 - "$dir/sample.txt" "$dir/krb.txt" "$dir/svc.keytab" <<'PY'
import struct, sys
ap_req, key, kdc = [bytes.fromhex(l.strip()) for l in open(sys.argv[1]).read().split()]
with open(sys.argv[2], "w") as f:
    for off in range(0, len(ap_req), 16):
        f.write("%06x %s\n" % (off, " ".join("%02x" % b for b in ap_req[off:off + 16])))
def counted(b):
    return struct.pack(">H", len(b)) + b
# An MIT keytab (version 0x502): HTTP/server.example.test and krbtgt/EXAMPLE.TEST, kvno 2, etype 18.
def entry(components, key):
    e = struct.pack(">H", len(components)) + counted(b"EXAMPLE.TEST")
    for c in components:
        e += counted(c)
    e += struct.pack(">IIBH", 2, 0, 2, 18) + counted(key) + struct.pack(">I", 2)
    return struct.pack(">i", len(e)) + e
with open(sys.argv[3], "wb") as f:
    f.write(b"\x05\x02" + entry([b"HTTP", b"server.example.test"], key) + entry([b"krbtgt", b"EXAMPLE.TEST"], kdc))
PY
text2pcap -q -u 50000,88 "$dir/krb.txt" "$dir/krb.pcap" > /dev/null 2>&1
tshark -r "$dir/krb.pcap" -V -o kerberos.decrypt:TRUE -o "kerberos.file:$dir/svc.keytab" > "$dir/tshark.txt" 2>&1 || true
status=0
for want in "ad-type: aD-WIN2K-PAC (128)" "Num Entries: 7" "Type: Logon Info (1)" "Type: Client Info Type (10)" \
            "Type: UPN DNS Info (12)" "Type: Server Checksum (6)" "Type: Privsvr Checksum (7)" \
            "Type: Ticket Checksum (16)" "Logon Time: Jan  1, 2025 00:00:00" "Acct Name: alice" \
            "Full Name: Alice Liddell" "User RID: 1104" "Group RID: 513" "Group RID: 1200" "Num RIDs: 2" \
            "Domain: EXAMPLE" "Domain SID: S-1-5-21-1000000001-2000000002-3000000003" "Domain SID: S-1-18-1" \
            "Extra SIDs: The EXTRA_SIDS bit is SET" "ClientID: Jan  1, 2025 00:00:00" "Name: alice" \
            "UPN Name: alice@example.test" "DNS Name: EXAMPLE.TEST" "sAMAccountName: alice" \
            "objectSid: S-1-5-21-1000000001-2000000002-3000000003-1104" \
            "Flags: 0x00000003, UPN Name Constructed, SAM_NAME and SID Included" \
            "Verified Server checksum 16 keytype 18" "Verified KDC checksum 16 keytype 18" \
            "Verified Ticket checksum 16 keytype 18"; do
    grep -qF "$want" "$dir/tshark.txt" || { echo "FAIL: tshark does not show '$want'"; status=1; }
done
if grep -qi "malformed" "$dir/tshark.txt"; then
    echo "FAIL: tshark calls our PAC malformed"; grep -i -B5 malformed "$dir/tshark.txt" | head -20; status=1
fi
[ $status -eq 0 ] && echo "PASS: tshark decrypts our ticket and dissects its PAC"
[ $status -eq 0 ] || sed -n '/aD-WIN2K-PAC/,$p' "$dir/tshark.txt" | head -150
exit $status
