"""python3-ntlm-auth (an NTLM implementation nobody here wrote) logs in to libfakesspi's
AcceptSecurityContext and exchanges sealed messages both ways. Driven by check_ntlm_auth.sh."""
import os
import subprocess
import sys
import tempfile

from ntlm_auth.ntlm import NtlmContext


# A domain whose DC has the LmCompatibilityLevel given (doc/semantics.md §61), with alice as the embedded one has her.
DOMAIN = """[domain]
netbios = EXAMPLE
dns = example.test
sid = S-1-5-21-1000000001-2000000002-3000000003
dc_lm_compatibility_level = %d
[group Domain Users]
rid = 513
[user alice]
rid = 1104
password = Passw0rd!
"""


def talk(peer, line):
    peer.stdin.write(line + "\n")
    peer.stdin.flush()
    return peer.stdout.readline().strip()


def login(peer_cmd, user, password, level=3, env=None):
    peer = subprocess.Popen(peer_cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    ctx = NtlmContext(user, password, domain="EXAMPLE", workstation="CLIENT", ntlm_compatibility=level)
    challenge = talk(peer, "TOKEN " + ctx.step().hex())
    assert challenge.startswith("TOKEN "), challenge
    authenticate = ctx.step(bytes.fromhex(challenge[6:]))
    return peer, ctx, talk(peer, "TOKEN " + authenticate.hex())


class OneStream:
    """Without extended session security Windows keeps one RC4 stream and one sequence number for both directions of
    a context (doc/semantics.md §65); ntlm-auth's SessionSecurity keeps two of each, keyed alike, which agree with
    Windows only on each direction's first message. This makes its two one, as a Windows peer has them: its own
    RC4, CRC32, keys and signature layout do the rest."""

    def __init__(self, ctx):
        self.ctx, self.ss, self.seq = ctx, ctx._session_security, 0
        self.ss.incoming_handle = self.ss.outgoing_handle

    def wrap(self, data):
        self.ss.outgoing_seq_num = self.seq
        self.seq += 1
        return self.ctx.wrap(data)

    def unwrap(self, data):
        self.ss.incoming_seq_num = self.seq
        self.seq += 1
        return self.ctx.unwrap(data)


def main():
    peer_cmd = sys.argv[1:]
    passed = failed = 0

    def check(name, ok):
        nonlocal passed, failed
        print(("PASS: " if ok else "FAIL: ") + name)
        passed, failed = passed + bool(ok), failed + (not ok)

    peer, ctx, status = login(peer_cmd, "alice", "Passw0rd!")
    check("ntlm-auth's NTLMv2 login is accepted", status == "OK")
    for text in (b"hello from python", b"a second message", b"x" * 1000):
        reply = talk(peer, "WRAP " + ctx.wrap(text).hex())
        check("our DecryptMessage opens ntlm-auth's sealed %d bytes" % len(text),
              reply == "PLAIN " + text.hex())
        wrapped = talk(peer, "SEND " + text.hex())
        check("ntlm-auth unwraps our EncryptMessage of %d bytes" % len(text),
              wrapped.startswith("WRAP ") and ctx.unwrap(bytes.fromhex(wrapped[5:])) == text)
    peer.stdin.close()
    peer.wait()

    peer, ctx, status = login(peer_cmd, "alice", "not her password")
    check("a wrong password is refused (SEC_E_LOGON_DENIED)", status == "FAIL SEC_E_LOGON_DENIED")
    peer.stdin.close()
    peer.wait()
    # NTLMv1 (doc/semantics.md §61): ntlm-auth at its levels 1 and 2 offers extended session security, which our
    # acceptor grants, and sends the NTLM2 session response; a DC below level 5 takes it, level 5 refuses it.
    for dc_level in (0, 3, 4, 5):
        with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as f:
            f.write(DOMAIN % dc_level)
        env = dict(os.environ, FAKESSPI_DOMAIN=f.name)
        for level in (1, 2):
            peer, ctx, status = login(peer_cmd, "alice", "Passw0rd!", level, env)
            if dc_level < 5:
                check("ntlm-auth's NTLMv1 (its level %d) is taken by a level-%d DC" % (level, dc_level),
                      status == "OK")
                text = b"sealed after NTLMv1"
                reply = talk(peer, "WRAP " + ctx.wrap(text).hex())
                check("our DecryptMessage opens ntlm-auth's NTLMv1-keyed message (level %d, DC %d)"
                      % (level, dc_level), reply == "PLAIN " + text.hex())
                wrapped = talk(peer, "SEND " + text.hex())
                check("ntlm-auth unwraps our NTLMv1-keyed EncryptMessage (level %d, DC %d)" % (level, dc_level),
                      wrapped.startswith("WRAP ") and ctx.unwrap(bytes.fromhex(wrapped[5:])) == text)
            else:
                check("ntlm-auth's NTLMv1 (its level %d) is refused by a level-5 DC (SEC_E_LOGON_DENIED)" % level,
                      status == "FAIL SEC_E_LOGON_DENIED")
            peer.stdin.close()
            peer.wait()
        if dc_level == 3:
            peer, ctx, status = login(peer_cmd, "alice", "not her password", 2, env)
            check("ntlm-auth's NTLMv1 with a wrong password is refused (SEC_E_LOGON_DENIED)",
                  status == "FAIL SEC_E_LOGON_DENIED")
            peer.stdin.close()
            peer.wait()
        os.unlink(f.name)
    # Without extended session security (doc/semantics.md §65): ntlm-auth at its level 0 offers LM_KEY and not
    # extended session security; our acceptor grants LM_KEY, and the session is sealed with RC4-CRC32 under the
    # 56-bit LM_KEY sealing key. At its level 1 with extended session security taken out of its NEGOTIATE, as from a
    # server that declines it, under the whole session key.
    for level, flags_off, name in ((0, 0, "level 0, LM_KEY"), (1, 0x00080000, "level 1, ESS declined")):
        peer = subprocess.Popen(peer_cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ctx = NtlmContext("alice", "Passw0rd!", domain="EXAMPLE", workstation="CLIENT", ntlm_compatibility=level)
        ctx.negotiate_flags &= ~flags_off
        challenge = talk(peer, "TOKEN " + ctx.step().hex())
        granted = int.from_bytes(bytes.fromhex(challenge[6:])[20:24], "little")
        check("our CHALLENGE to ntlm-auth (%s) grants no extended session security%s" %
              (name, ", and LM_KEY" if level == 0 else ""),
              not granted & 0x00080000 and bool(granted & 0x80) == (level == 0))
        status = talk(peer, "TOKEN " + ctx.step(bytes.fromhex(challenge[6:])).hex())
        check("ntlm-auth's NTLMv1 login (%s) is accepted" % name, status == "OK")
        one = OneStream(ctx)
        for i, text in enumerate((b"first from python", b"y" * 700, b"third")):
            reply = talk(peer, "WRAP " + one.wrap(text).hex())
            check("our DecryptMessage opens ntlm-auth's RC4-CRC32 message %d (%s)" % (i, name),
                  reply == "PLAIN " + text.hex())
            wrapped = talk(peer, "SEND " + text.hex())
            ok = wrapped.startswith("WRAP ")
            try:
                ok = ok and one.unwrap(bytes.fromhex(wrapped[5:])) == text
            except Exception:  # ntlm-auth raises on a bad checksum or sequence number
                ok = False
            check("ntlm-auth unwraps our RC4-CRC32 EncryptMessage %d (%s)" % (i, name), ok)
        tampered = bytearray(one.wrap(b"tampered"))
        tampered[-1] ^= 1
        check("our DecryptMessage refuses ntlm-auth's tampered message (%s)" % name,
              talk(peer, "WRAP " + bytes(tampered).hex()) == "FAIL SEC_E_MESSAGE_ALTERED")
        peer.stdin.close()
        peer.wait()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
