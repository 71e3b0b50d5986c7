"""python3-ntlm-auth (an NTLM implementation nobody here wrote) logs in to libfakesspi's
AcceptSecurityContext and exchanges sealed messages both ways. Driven by check_ntlm_auth.sh."""
import subprocess
import sys

from ntlm_auth.ntlm import NtlmContext


def talk(peer, line):
    peer.stdin.write(line + "\n")
    peer.stdin.flush()
    return peer.stdout.readline().strip()


def login(peer_cmd, user, password):
    peer = subprocess.Popen(peer_cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ctx = NtlmContext(user, password, domain="EXAMPLE", workstation="CLIENT", ntlm_compatibility=3)
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
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
