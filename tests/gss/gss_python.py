# python3-gssapi (Debian python3-gssapi), which no one here wrote, over the GSSAPI module in one process:
# tests/gss/check_gss_python.sh runs it with GSS_MECH_CONFIG naming the module and MIT's own Kerberos pointed
# at files that do not exist. Exits non-zero on the first failed check.
import sys

import gssapi
import gssapi.raw

KRB5 = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2")
FLAGS = [gssapi.RequirementFlag.mutual_authentication, gssapi.RequirementFlag.confidentiality,
         gssapi.RequirementFlag.integrity, gssapi.RequirementFlag.replay_detection,
         gssapi.RequirementFlag.out_of_sequence_detection]


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok: " + what)


def handshake(client_creds=None, server_creds=None):
    target = gssapi.Name("host@server.example.test", gssapi.NameType.hostbased_service)
    client = gssapi.SecurityContext(name=target, mech=KRB5, usage="initiate", flags=FLAGS, creds=client_creds)
    server = gssapi.SecurityContext(usage="accept", creds=server_creds)
    ap_req = client.step()
    check(not client.complete and len(ap_req) > 0, "the initiator's first step makes an AP-REQ")
    ap_rep = server.step(ap_req)
    check(server.complete and len(ap_rep) > 0, "the acceptor completes and answers with an AP-REP")
    check(client.step(ap_rep) is None and client.complete, "the initiator completes on the AP-REP")
    return client, server


client, server = handshake()
check(str(server.initiator_name) == "alice@EXAMPLE.TEST", "the acceptor sees the process's user")
check(str(client.target_name) == "host/server.example.test@EXAMPLE.TEST", "the initiator names the service")

# The ticket's PAC as MIT's acceptor offers it (RFC 6680 name attributes, python-gssapi's Name.attributes).
alice = server.initiator_name
check(b"urn:mspac:logon-info" in list(alice.attributes) and b"urn:mspac:client-info" in list(alice.attributes),
      "the acceptor's name lists the PAC's logon and client information")
logon = alice.attributes[b"urn:mspac:logon-info"]
check(logon.authenticated and logon.complete and len(logon.values) == 1, "one value, authenticated and complete")
info = list(logon.values)[0]
check(int.from_bytes(info[120:124], "little") == 1104 and int.from_bytes(info[124:128], "little") == 513,
      "the logon information's UserId is alice's RID and its PrimaryGroupId Domain Users")
client_info = list(alice.attributes[b"urn:mspac:client-info"].values)[0]
check(client_info[10:] == "alice".encode("utf-16-le"), "the client information names alice")
check(len(list(client.target_name.attributes)) == 0, "the initiator's names have no attributes")
try:
    alice.attributes[b"urn:mspac:credentials-info"]
    check(False, "a buffer the PAC does not hold is unavailable")
except gssapi.exceptions.GSSError as e:
    check(e.maj_code == 16 << 16, "a buffer the PAC does not hold is GSS_S_UNAVAILABLE")
check(client.mech == KRB5 and server.mech == KRB5, "both sides used Kerberos")
check(client.locally_initiated and not server.locally_initiated, "each side knows who initiated")
check(0 < server.lifetime < 0xFFFFFFFF, "the context lasts as long as the ticket")
check(gssapi.RequirementFlag.mutual_authentication in client.actual_flags, "mutual authentication was done")

for sender, receiver, text in ((client, server, b"hello from the client"), (server, client, b"hello from the server")):
    wrapped = sender.wrap(text, True)
    check(wrapped.encrypted and text not in wrapped.message, "wrap encrypts")
    unwrapped = receiver.unwrap(wrapped.message)
    check(unwrapped.message == text and unwrapped.encrypted, "unwrap gives the message back")
    mic = sender.get_signature(text)
    receiver.verify_signature(text, mic)
    print("ok: the MIC verifies")
    try:
        receiver.verify_signature(text + b"!", mic)
        check(False, "a changed message is refused")
    except gssapi.exceptions.BadMICError:
        print("ok: a changed message is refused (GSS_S_BAD_SIG)")

limit = client.get_wrap_size_limit(1000, True)
check(limit == 940 and len(client.wrap(b"x" * limit, True).message) == 1000, "the wrap size limit is exact")

# Named credentials: a user of the domain, and the service as acceptor, with no password and no keytab.
bob = gssapi.Credentials(name=gssapi.Name("bob", gssapi.NameType.user), usage="initiate", mechs=[KRB5])
check(str(bob.name) == "bob@EXAMPLE.TEST" and bob.usage == "initiate", "a named initiator credential is that user")
service = gssapi.Credentials(name=gssapi.Name("host@server.example.test", gssapi.NameType.hostbased_service),
                             usage="accept", mechs=[KRB5])
client, server = handshake(bob, service)
check(str(server.initiator_name) == "bob@EXAMPLE.TEST", "the acceptor sees bob")

# A password checked against the domain, as a KDC would check it, with no KDC (MIT's extension).
bob_name = gssapi.Name("bob", gssapi.NameType.user)
res = gssapi.raw.acquire_cred_with_password(bob_name, b"Hunter2!", usage="initiate", mechs=[KRB5])
client, server = handshake(gssapi.Credentials(res.creds), None)
check(str(server.initiator_name) == "bob@EXAMPLE.TEST", "a credential from bob's password logs in as bob")
try:
    gssapi.raw.acquire_cred_with_password(bob_name, b"hunter2!", usage="initiate", mechs=[KRB5])
    check(False, "a wrong password is refused")
except gssapi.exceptions.GSSError as e:
    check(e.maj_code == 0x70000, "a wrong password is refused with GSS_S_NO_CRED")

# A service the domain does not know.
try:
    gssapi.SecurityContext(name=gssapi.Name("nosuch@server.example.test", gssapi.NameType.hostbased_service),
                           mech=KRB5, usage="initiate").step()
    check(False, "an unknown service is refused")
except gssapi.exceptions.GSSError as e:
    check(e.maj_code == 0x20000, "an unknown service is GSS_S_BAD_NAME")  # RFC 2744 3.9.1

# SPNEGO and NTLMSSP by gssapi.Mechanism (doc/semantics.md §64): the module answers them with the Negotiate and NTLM
# packages of the SSPI side.
SPNEGO = gssapi.Mechanism.from_int_seq("1.3.6.1.5.5.2") if hasattr(gssapi.Mechanism, "from_int_seq") else gssapi.OID.from_int_seq("1.3.6.1.5.5.2")
NTLMSSP = gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10")


def login(mech, host):
    target = gssapi.Name("host@" + host, gssapi.NameType.hostbased_service)
    client = gssapi.SecurityContext(name=target, mech=mech, usage="initiate", flags=FLAGS)
    server = gssapi.SecurityContext(usage="accept")
    token, legs = client.step(), 1
    while token is not None:
        token = server.step(token)
        legs += 1
        if token is not None and not client.complete:
            token = client.step(token)
            legs += 1
        elif client.complete:
            break
    check(client.complete and server.complete, "a login with %s to %s completes in %d legs" % (mech, host, legs))
    return client, server, legs


for mech, host, inner, who, legs in ((SPNEGO, "server.example.test", KRB5, "alice@EXAMPLE.TEST", 3),
                                     (SPNEGO, "elsewhere.invalid", NTLMSSP, "EXAMPLE\\alice", 5),
                                     (NTLMSSP, "server.example.test", NTLMSSP, "EXAMPLE\\alice", 4)):
    client, server, n = login(mech, host)
    check(n == legs, "%d legs" % legs)
    check(client.mech == inner and server.mech == inner, "both sides report %s" % inner)
    check(str(server.initiator_name) == who, "the acceptor sees %s" % who)
    for sender, receiver in ((client, server), (server, client)):
        wrapped = sender.wrap(b"one fake domain", True)
        check(wrapped.encrypted and receiver.unwrap(wrapped.message).message == b"one fake domain", "wrap, unwrap")
        receiver.verify_signature(b"two APIs", sender.get_signature(b"two APIs"))
        print("ok: the MIC verifies")
ntlm_bob = gssapi.raw.acquire_cred_with_password(gssapi.Name("EXAMPLE\\bob", gssapi.NameType.user), b"Hunter2!",
                                                 usage="initiate", mechs=[NTLMSSP])
client = gssapi.SecurityContext(name=gssapi.Name("host@server.example.test", gssapi.NameType.hostbased_service),
                                mech=NTLMSSP, usage="initiate", creds=gssapi.Credentials(ntlm_bob.creds))
server = gssapi.SecurityContext(usage="accept")
server.step(client.step(server.step(client.step())))
check(client.complete and server.complete and str(server.initiator_name) == "EXAMPLE\\bob",
      "an NTLMSSP credential from bob's password logs in as EXAMPLE\\bob")

# SecurityContext.export() and SecurityContext(token=...) (doc/semantics.md §72): each side moved through an
# interprocess token goes on with the same messages, names and mechanism; a token cut short is defective.
for mech, who in ((KRB5, "alice@EXAMPLE.TEST"), (SPNEGO, "alice@EXAMPLE.TEST"), (NTLMSSP, "EXAMPLE\\alice")):
    client, server, n = login(mech, "server.example.test")
    before = client.wrap(b"before the move", True).message
    check(server.unwrap(before).message == b"before the move", "a message before the export")
    server_token, client_token = server.export(), client.export()
    check(len(server_token) > 0 and len(client_token) > 0, "both %s contexts export" % mech)
    server, client = gssapi.SecurityContext(token=server_token), gssapi.SecurityContext(token=client_token)
    check(server.complete and client.complete and client.locally_initiated and not server.locally_initiated,
          "the imported %s contexts are established, each on its side" % mech)
    check(str(server.initiator_name) == who, "the imported acceptor names %s" % who)
    for sender, receiver in ((client, server), (server, client)):
        wrapped = sender.wrap(b"after the move", True)
        check(receiver.unwrap(wrapped.message).message == b"after the move", "wrap, unwrap after the import")
        receiver.verify_signature(b"still signed", sender.get_signature(b"still signed"))
        print("ok: the MIC verifies after the import")
    try:
        gssapi.SecurityContext(token=server_token[:-3])
        check(False, "a truncated interprocess token is refused")
    except gssapi.exceptions.GSSError as e:
        check(e.maj_code == 0x90000, "a truncated interprocess token is GSS_S_DEFECTIVE_TOKEN")  # RFC 2744 5.20
# The IOV and AEAD calls (doc/semantics.md §75): python-gssapi's raw wrap_iov/unwrap_iov over MIT's standard layout
# (header, data, sign-only data, padding, trailer), and wrap_aead/unwrap_aead with associated data; a changed
# associated text is GSS_S_BAD_SIG.
from gssapi.raw import (IOV, IOVBufferType, get_mic_iov, unwrap_aead, unwrap_iov, verify_mic_iov, wrap_aead,
                        wrap_iov)
client, server = handshake()
iov = IOV(b"the data", (IOVBufferType.sign_only, b"the header text"), std_layout=True)
check(wrap_iov(client, iov, confidential=True), "wrap_iov seals")
check(bytes(iov[1].value) != b"the data", "wrap_iov encrypted the data in place")
check(unwrap_iov(server, iov).encrypted and bytes(iov[1].value) == b"the data", "unwrap_iov opens the data in place")
sealed = wrap_aead(client, b"the message", b"the associated text", confidential=True)
opened = unwrap_aead(server, sealed.message, b"the associated text")
check(opened.message == b"the message" and opened.encrypted, "unwrap_aead opens wrap_aead's token")
sealed = wrap_aead(server, b"the answer", b"the associated text", confidential=True)
try:
    unwrap_aead(client, sealed.message, b"another associated text")
    check(False, "a changed associated text is refused")
except gssapi.exceptions.GSSError as e:
    check(e.maj_code == 0x60000, "a changed associated text is GSS_S_BAD_SIG")
iov = IOV(b"the data", (IOVBufferType.sign_only, b"the header text"), IOVBufferType.mic_token, std_layout=False)
get_mic_iov(client, iov)
check(len(iov[2].value) == 28, "get_mic_iov writes a 28-byte MIC token")
verify_mic_iov(server, iov)
print("ok: verify_mic_iov takes it")
# Protocol transition (doc/semantics.md §78): Credentials.impersonate is gss_acquire_cred_impersonate_name (S4U2Self),
# a credential for bob from the process's, without his password. The default domain lets no account delegate, so
# S4U2Proxy with it to a service is the KDC's KDC_ERR_BADOPTION, MIT's GSS_S_FAILURE.
me = gssapi.Credentials(usage="initiate", mechs=[KRB5])
bob_s4u = me.impersonate(gssapi.Name("bob", gssapi.NameType.user), mechs=[KRB5])
check(str(bob_s4u.name) == "bob@EXAMPLE.TEST", "Credentials.impersonate gives a credential naming bob")
try:
    gssapi.SecurityContext(name=gssapi.Name("host@server.example.test", gssapi.NameType.hostbased_service),
                           mech=KRB5, usage="initiate", creds=bob_s4u).step()
    check(False, "S4U2Proxy to a service the account may not delegate to is refused")
except gssapi.exceptions.GSSError as e:
    check(e.maj_code == 0xd0000, "S4U2Proxy to a service the account may not delegate to is GSS_S_FAILURE")
print("PASS")
