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
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
