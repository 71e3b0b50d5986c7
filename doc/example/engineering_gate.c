/* The gate's code, unchanged from the Windows original apart from the includes. */
#include "engineering_gate.h"

#include <string.h>

SECURITY_STATUS gate_open(struct gate *gate)
{
    memset(gate, 0, sizeof *gate);
    gate->status = AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &gate->cred,
                                             NULL);
    return gate->status;
}

/* Is the token's user in EXAMPLE\Engineering? */
static BOOL is_engineer(HANDLE token, BOOL *member)
{
    BYTE sid[SECURITY_MAX_SID_SIZE];
    DWORD sid_size = sizeof sid;
    char domain[64];
    DWORD domain_size = sizeof domain;
    SID_NAME_USE use;
    if (!LookupAccountNameA(NULL, "EXAMPLE\\Engineering", sid, &sid_size, domain, &domain_size, &use))
        return FALSE;
    return CheckTokenMembership(token, sid, member);
}

static enum gate_result decide(struct gate *gate)
{
    /* Whose call is this? Ask while impersonating, as the service logs it. */
    if ((gate->status = ImpersonateSecurityContext(&gate->ctx)) != SEC_E_OK)
        return GATE_FAILED;
    DWORD size = sizeof gate->user;
    BOOL named = GetUserNameExA(NameSamCompatible, gate->user, &size);
    RevertSecurityContext(&gate->ctx);
    if (!named)
        return GATE_FAILED;

    HANDLE token;
    if ((gate->status = QuerySecurityContextToken(&gate->ctx, &token)) != SEC_E_OK)
        return GATE_FAILED;
    BOOL member = FALSE;
    BOOL ok = is_engineer(token, &member);
    CloseHandle(token); /* ours: QuerySecurityContextToken hands out a duplicate */
    if (!ok)
        return GATE_FAILED;
    return member ? GATE_ALLOWED : GATE_DENIED;
}

enum gate_result gate_step(struct gate *gate, const void *in, ULONG in_len, void *out, ULONG *out_len)
{
    SecBuffer in_buf = {in_len, SECBUFFER_TOKEN, (void *)in};
    SecBuffer out_buf = {*out_len, SECBUFFER_TOKEN, out};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 1, &in_buf}, out_desc = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs;
    gate->status = AcceptSecurityContext(&gate->cred, gate->has_ctx ? &gate->ctx : NULL, &in_desc, ASC_REQ_CONNECTION,
                                         SECURITY_NATIVE_DREP, &gate->ctx, &out_desc, &attrs, NULL);
    if (gate->status == SEC_I_CONTINUE_NEEDED) {
        gate->has_ctx = 1;
        *out_len = out_buf.cbBuffer;
        return GATE_CONTINUE;
    }
    if (gate->status != SEC_E_OK)
        return GATE_FAILED;
    *out_len = 0;
    return decide(gate);
}

enum gate_result gate_decide_buggy(struct gate *gate)
{
    SecPkgContext_AccessToken lent;
    if ((gate->status = QueryContextAttributesA(&gate->ctx, SECPKG_ATTR_ACCESS_TOKEN, &lent)) != SEC_E_OK)
        return GATE_FAILED;
    BOOL member = FALSE;
    BOOL ok = is_engineer(lent.AccessToken, &member);
    CloseHandle(lent.AccessToken); /* the bug: this handle belongs to the context */
    if (!ok)
        return GATE_FAILED;
    return member ? GATE_ALLOWED : GATE_DENIED;
}

void gate_close(struct gate *gate)
{
    if (gate->has_ctx)
        DeleteSecurityContext(&gate->ctx);
    FreeCredentialsHandle(&gate->cred);
}
