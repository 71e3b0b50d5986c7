#!/bin/sh
# Interop with MIT Kerberos (Debian krb5-user, krb5-kdc, krb5-admin-server for kadmin.local, libkrb5-dev):
#  1. MIT's acceptor takes our AP-REQ, with a keytab that ktutil makes from svc_server's password and
#     Active Directory's salt (realm + account name), and its MIC/Wrap tokens and ours verify both ways;
#     it reads our PAC as its urn:mspac: name attributes (logon and client information), marked authenticated
#     because the server signature verified under the keytab's key;
#  2. an MIT client gets a service ticket from an MIT KDC started here on loopback (a throw-away realm
#     EXAMPLE.TEST whose principals mirror the fake domain) and our AcceptSecurityContext takes it;
#     with ISC_REQ_DELEGATE, MIT's acceptor takes our forwarded TGT (KRB-CRED) as a delegated credential;
#  DCE style (doc/semantics.md §60) both ways: the three legs with MIT's GSS_C_DCE_STYLE, then sealed PDUs with
#     signed headers through MIT's gss_wrap_iov/gss_unwrap_iov;
#  3. tshark decodes our AP-REQ as Kerberos without a malformed-packet complaint (when installed).
set -eu
: "${top_builddir:=.}" "${top_srcdir:=.}"
prog="$top_builddir/tests/interop/krb5_peer"
PATH=$PATH:/usr/sbin
if [ ! -x "$prog" ] || ! command -v ktutil >/dev/null || ! command -v krb5kdc >/dev/null ||
    ! command -v kadmin.local >/dev/null; then
    echo "MIT Kerberos missing (apt-get install libkrb5-dev krb5-user krb5-kdc krb5-admin-server, then reconfigure)"
    [ "$(id -u)" = 0 ] && exit 1
    exit 77
fi
dir=$(mktemp -d)
kdc_pid=
cleanup() {
    [ -n "$kdc_pid" ] && kill "$kdc_pid" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT
status=0
LSAN_OPTIONS="suppressions=$top_srcdir/tests/interop/peer-leaks.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
unset FAKESSPI_TRACE FAKESSPI_FAULTS FAKESSPI_STRICT FAKESSPI_USER FAKESSPI_DOMAIN

# A port of our own, so that parallel runs and a system KDC do not collide.
port=$((20000 + $$ % 20000))
cat > "$dir/krb5.conf" <<EOF
[libdefaults]
    default_realm = EXAMPLE.TEST
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    udp_preference_limit = 1
    permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96
[realms]
    EXAMPLE.TEST = {
        kdc = 127.0.0.1:$port
    }
EOF
cat > "$dir/kdc.conf" <<EOF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$port
    kdc_tcp_listen = 127.0.0.1:$port
[realms]
    EXAMPLE.TEST = {
        database_name = $dir/principal
        key_stash_file = $dir/stash
        acl_file = $dir/kadm5.acl
        supported_enctypes = aes256-cts-hmac-sha1-96:normal
        default_principal_flags = +preauth
    }
EOF
: > "$dir/kadm5.acl"
export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf" KRB5RCACHETYPE=none

# 1. MIT as acceptor, from a keytab made from the password alone.
printf 'addent -password -p HTTP/server.example.test@EXAMPLE.TEST -k 2 -e aes256-cts-hmac-sha1-96 -s EXAMPLE.TESTsvc_server\nS3rv1ce!pass\nwkt %s\nquit\n' \
    "$dir/svc.keytab" | ktutil > /dev/null
KRB5_KTNAME="FILE:$dir/svc.keytab" "$prog" accept Kerberos || status=1
# ... and MIT's SPNEGO acceptor takes our Negotiate client, which picks Kerberos for the SPN.
KRB5_KTNAME="FILE:$dir/svc.keytab" "$prog" accept Negotiate || status=1
# ... and in DCE style: our bare AP-REQ, MIT's AP-REP and SEC_I_CONTINUE_NEEDED's wait, our third leg.
KRB5_KTNAME="FILE:$dir/svc.keytab" "$prog" accept-dce || status=1
KRB5_KTNAME="FILE:$dir/svc.keytab" "$prog" accept-dce Negotiate || status=1
# ... and, for a target that is no service of the domain, Negotiate falls back to NTLM: MIT's SPNEGO with
# gss-ntlmssp checks our mechListMIC, we check its, and message protection goes on in step after.
if [ -f /etc/gss/mech.d/mech.ntlmssp.conf ]; then
    printf 'EXAMPLE:alice:Passw0rd!\n' > "$dir/ntlm-users"
    NTLM_USER_FILE="$dir/ntlm-users" KRB5_KTNAME="FILE:$dir/svc.keytab" \
        "$prog" accept Negotiate HOST/unknown.example.test || status=1
else
    echo "gss-ntlmssp missing: Negotiate's NTLM fallback against MIT's SPNEGO not checked"
    [ "$(id -u)" = 0 ] && status=1
fi

# 1b. RC4-HMAC (doc/semantics.md §53): a domain whose svc_server supports only RC4 (supported_enctypes) issues
# an RC4 ticket with an RC4 session key; MIT's acceptor opens it with an arcfour-hmac keytab (the NT hash, no
# salt), checks the PAC's HMAC-MD5 server signature, and the RFC 4757 MIC and Wrap tokens go both ways.
sed 's/^    permitted_enctypes = .*/    permitted_enctypes = arcfour-hmac aes256-cts-hmac-sha1-96/' "$dir/krb5.conf" > "$dir/krb5-rc4.conf"
cat > "$dir/rc4-domain.ini" <<EOF
[domain]
netbios = EXAMPLE
dns = example.test
sid = S-1-5-21-1004336348-1177238915-682003330
[group Domain Users]
rid = 513
[user alice]
rid = 1104
password = Passw0rd!
[user svc_server]
rid = 1106
password = S3rv1ce!pass
spn = HTTP/server.example.test
supported_enctypes = rc4
EOF
printf 'addent -password -p HTTP/server.example.test@EXAMPLE.TEST -k 2 -e arcfour-hmac\nS3rv1ce!pass\nwkt %s\nquit\n' \
    "$dir/rc4.keytab" | KRB5_CONFIG="$dir/krb5-rc4.conf" ktutil > /dev/null
for package in Kerberos Negotiate; do
    KRB5_CONFIG="$dir/krb5-rc4.conf" FAKESSPI_DOMAIN="$dir/rc4-domain.ini" KRB5_KTNAME="FILE:$dir/rc4.keytab" \
        "$prog" accept "$package" || status=1
    # ... and in DCE style (doc/semantics.md §60): RFC 4757 Wrap tokens of 45 bytes, the data outside the framing
    # and unpadded, sealed PDUs with signed headers both ways through MIT's gss_wrap_iov / gss_unwrap_iov.
    KRB5_CONFIG="$dir/krb5-rc4.conf" FAKESSPI_DOMAIN="$dir/rc4-domain.ini" KRB5_KTNAME="FILE:$dir/rc4.keytab" \
        "$prog" accept-dce-rc4 "$package" || status=1
done

# ... and with ISC_REQ_DELEGATE to svc_server trusted for delegation (doc/semantics.md §54), MIT's acceptor sees
# GSS_C_DELEG_FLAG, opens our KRB-CRED and stores alice's forwarded TGT, which klist then shows.
cat > "$dir/deleg.ini" <<EOF
[domain]
netbios = EXAMPLE
dns = example.test
sid = S-1-5-21-1000000001-2000000002-3000000003
computer = SERVER
[group Domain Users]
rid = 513
[user krbtgt]
rid = 502
password = Krbtgt!key-of-EXAMPLE
disabled = yes
[user alice]
rid = 1104
password = Passw0rd!
[user svc_server]
rid = 1106
password = S3rv1ce!pass
spn = HTTP/server.example.test
trusted_for_delegation = yes
EOF
FAKESSPI_DOMAIN="$dir/deleg.ini" KRB5_KTNAME="FILE:$dir/svc.keytab" "$prog" delegate "$dir/deleg.ccache" || status=1
if klist -f -c "FILE:$dir/deleg.ccache" > "$dir/deleg.klist" 2>&1 &&
    grep -q "^Default principal: alice@EXAMPLE.TEST" "$dir/deleg.klist" &&
    grep -A1 "krbtgt/EXAMPLE.TEST@EXAMPLE.TEST" "$dir/deleg.klist" | grep -q "Flags: FfRA"; then
    echo "PASS: klist shows alice's forwarded TGT (flags FfRA) in the credential MIT's acceptor was delegated"
else
    echo "FAIL: klist does not show alice's forwarded TGT"; cat "$dir/deleg.klist"; status=1
fi

# 2. An MIT KDC whose principals mirror the fake domain: default salts are realm + name, as AD's.
kdb5_util create -s -r EXAMPLE.TEST -P masterkey > "$dir/kdb.log" 2>&1 || { cat "$dir/kdb.log"; exit 1; }
kadmin.local -r EXAMPLE.TEST -q "addprinc -pw Passw0rd! alice" > /dev/null 2>&1
kadmin.local -r EXAMPLE.TEST -q "addprinc -pw S3rv1ce!pass svc_server" > /dev/null 2>&1
krb5kdc -n -r EXAMPLE.TEST > "$dir/kdc.log" 2>&1 &
kdc_pid=$!
export KRB5CCNAME="FILE:$dir/ccache"
tries=0
until echo 'Passw0rd!' | kinit alice > "$dir/kinit.log" 2>&1; do
    tries=$((tries + 1))
    if [ $tries -ge 50 ]; then
        echo "FAIL: kinit against the loopback KDC"; cat "$dir/kinit.log" "$dir/kdc.log"; exit 1
    fi
    sleep 0.1
done
# Our acceptor runs as the service account the ticket is for (doc/semantics.md §41).
FAKESSPI_USER=svc_server "$prog" initiate Kerberos svc_server@EXAMPLE.TEST || status=1
FAKESSPI_USER=svc_server "$prog" initiate Negotiate svc_server@EXAMPLE.TEST || status=1
# ... and MIT's initiator with GSS_C_DCE_STYLE: our acceptor continues, then takes MIT's third leg.
FAKESSPI_USER=svc_server "$prog" initiate-dce || status=1

# 3. tshark decodes our AP-REQ (as a Kerberos datagram to UDP 88, made into a capture by text2pcap) and,
#    with the keytab, decrypts the ticket and the authenticator: an independent reading of every field.
if command -v tshark >/dev/null && command -v text2pcap >/dev/null; then
    FAKESSPI_SEED=0 "$prog" token > "$dir/token.hex" || { echo "FAIL: no AP-REQ to show tshark"; exit 1; }
    python3 - "$dir/token.hex" "$dir/krb.txt" <<'PY'
import sys
tok = bytes.fromhex(open(sys.argv[1]).read().strip())
i = 2 + (tok[1] & 0x7f if tok[1] & 0x80 else 0)  # [APPLICATION 0] header
i += 2 + tok[i + 1] + 2                            # the OID, then TOK_ID 01 00
ap = tok[i:]
with open(sys.argv[2], "w") as f:
    for off in range(0, len(ap), 16):
        f.write("%06x %s\n" % (off, " ".join("%02x" % b for b in ap[off:off + 16])))
PY
    text2pcap -q -u 50000,88 "$dir/krb.txt" "$dir/krb.pcap" > /dev/null 2>&1
    tshark -r "$dir/krb.pcap" -V -o kerberos.decrypt:TRUE -o "kerberos.file:$dir/svc.keytab" > "$dir/tshark.txt" 2>&1 || true
    for want in "msg-type: krb-ap-req (14)" "SNameString: server.example.test" "encTicketPart" \
                "Decrypted keytype 18 usage 11" "CNameString: alice" "aD-IF-RELEVANT"; do
        grep -qF "$want" "$dir/tshark.txt" || { echo "FAIL: tshark does not show '$want'"; status=1; }
    done
    if grep -qi "malformed" "$dir/tshark.txt"; then
        echo "FAIL: tshark calls our AP-REQ malformed"; status=1
    fi
    [ $status -eq 0 ] && echo "PASS: tshark decodes our AP-REQ and, with the keytab, decrypts ticket and authenticator"
else
    echo "tshark and text2pcap missing (apt-get install tshark): decoding not checked"
    [ "$(id -u)" = 0 ] && status=1
fi
exit $status
