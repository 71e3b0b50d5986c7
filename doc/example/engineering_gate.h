/* A server-side gate, as a Windows service would have it: authenticate a client over NTLM, then let in
 * members of EXAMPLE\Engineering only. The code under test in the "Testing with libfakesspi" guide. */
#ifndef ENGINEERING_GATE_H
#define ENGINEERING_GATE_H

#define SECURITY_WIN32
#include <windows.h>
#include <security.h>

enum gate_result {
    GATE_CONTINUE,  /* send *out_len bytes of out to the client and wait for its next token */
    GATE_ALLOWED,   /* authenticated, and a member */
    GATE_DENIED,    /* authenticated, not a member */
    GATE_FAILED     /* authentication failed: gate->status says why */
};

struct gate {
    CredHandle cred;
    CtxtHandle ctx;
    int has_ctx;
    SECURITY_STATUS status;
    char user[256];   /* DOMAIN\user once authenticated */
};

SECURITY_STATUS gate_open(struct gate *gate);
/* One leg: in is the client's token; out (out_len bytes of room) receives the reply. */
enum gate_result gate_step(struct gate *gate, const void *in, ULONG in_len, void *out, ULONG *out_len);
void gate_close(struct gate *gate);

/* The same decision written with the classic bug: it closes the context's own access token, which
 * QueryContextAttributes(SECPKG_ATTR_ACCESS_TOKEN) only lends. Kept to show the test catching it. */
enum gate_result gate_decide_buggy(struct gate *gate);

#endif
