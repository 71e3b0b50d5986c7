/* Begin and end of every gssi_* export: start-up, the fork gate, fault injection, the trace line, and the one
 * mapping of internal errors to RFC 2744 major statuses. */
#include "gss_entry.h"

#include <stdio.h>

#include "api/api.h"
#include "core/fault.h"
#include "core/fork_gate.h"
#include "core/names.h"
#include "core/origin.h"

/* Each row of the library's table of GSS major statuses is MIT's value, or the module does not build. */
#define G(name, value, meaning) _Static_assert((name) == (value), #name " differs from gssapi.h");
#include "core/gss_status_table.def"
#undef G

/* The calls FAKESSPI_FAULTS can fail, by the name their trace lines carry (doc/semantics.md §67). */
static const struct fs_fault_function faultable[] = {
#define GSS_CALL(name) {#name, FS_FAULT_GSS, 0},
#include "gss_calls.def"
#undef GSS_CALL
};

const char *const fs_gss_api_names[] = {
#define GSS_CALL(name) #name,
#include "gss_calls.def"
#undef GSS_CALL
};

/* At load, before the first call arms FAKESSPI_FAULTS: a fault named for a gss_* call must find it. */
__attribute__((constructor)) static void register_faults(void)
{
    fs_fault_add_functions(faultable, sizeof faultable / sizeof faultable[0]);
}

void fs_gss_call_begin_at(struct fs_gss_call *call, const char *api, enum fs_gss_subject subject,
                          void *return_address, void *frame)
{
    fs_fork_gate_enter(); /* left in fs_gss_call_end */
    fs_api_enter();
    call->api = api;
    call->subject = subject;
    call->err = FS_OK;
    call->injected = 0;
    call->injected_major = 0;
    fs_trace_begin(&call->trace, api, fs_origin_call_begin(return_address, frame));
}

int fs_gss_call_proceed(struct fs_gss_call *call)
{
    int64_t major;
    call->injected = fs_fault_call(call->api, &major);
    if (call->injected)
        call->injected_major = (OM_uint32)major;
    return !call->injected;
}

int fs_gss_call_outputs(struct fs_gss_call *call)
{
    if (call->injected || !fs_succeeded(call->err))
        return 0;
    fs_trace_outputs(&call->trace);
    return 1;
}

/* RFC 2744 section 3.9.1 for each outcome the SSPI side can have; whatever has no GSS meaning of its own
 * is GSS_S_FAILURE, with the minor status saying which. */
static const struct {
    fs_err err;
    OM_uint32 major;
} major_of[] = {
    {FS_OK, GSS_S_COMPLETE},
    {FS_I_NOT_ALL_ASSIGNED, GSS_S_COMPLETE},
    {FS_I_SOME_NOT_MAPPED, GSS_S_COMPLETE},
    {FS_I_CONTINUE_NEEDED, GSS_S_CONTINUE_NEEDED},
    {FS_E_NOACCESS, GSS_S_CALL_INACCESSIBLE_WRITE},
    {FS_E_INVALID_TOKEN, GSS_S_DEFECTIVE_TOKEN},
    {FS_E_MESSAGE_ALTERED, GSS_S_BAD_SIG},
    {FS_E_OUT_OF_SEQUENCE, GSS_S_UNSEQ_TOKEN},
    {FS_E_BAD_BINDINGS, GSS_S_BAD_BINDINGS},
    {FS_E_QOP_NOT_SUPPORTED, GSS_S_BAD_QOP},
    {FS_E_CONTEXT_EXPIRED, GSS_S_CONTEXT_EXPIRED},
    {FS_E_NO_CREDENTIALS, GSS_S_NO_CRED},
    {FS_E_UNKNOWN_CREDENTIALS, GSS_S_NO_CRED},
    {FS_E_LOGON_FAILURE, GSS_S_NO_CRED},
    {FS_E_LOGON_DENIED, GSS_S_NO_CRED},
    {FS_E_WRONG_PASSWORD, GSS_S_NO_CRED},
    {FS_E_NO_SUCH_USER, GSS_S_NO_CRED},
    {FS_E_ACCOUNT_DISABLED, GSS_S_NO_CRED},
    {FS_E_ACCOUNT_EXPIRED, GSS_S_NO_CRED},
    {FS_E_ACCOUNT_RESTRICTION, GSS_S_NO_CRED},
    {FS_E_LOGON_TYPE_NOT_GRANTED, GSS_S_NO_CRED},
    {FS_E_ACCOUNT_LOCKED_OUT, GSS_S_NO_CRED}, /* the domain's account policy (doc/semantics.md §52) */
    {FS_E_PASSWORD_MUST_CHANGE, GSS_S_NO_CRED},
    {FS_E_PASSWORD_EXPIRED, GSS_S_NO_CRED},
    {FS_E_INVALID_LOGON_HOURS, GSS_S_NO_CRED},
    {FS_E_INVALID_WORKSTATION, GSS_S_NO_CRED},
    {FS_E_WRONG_PRINCIPAL, GSS_S_NO_CRED}, /* the acceptor holds no key for the ticket's service */
    {FS_E_TARGET_UNKNOWN, GSS_S_BAD_NAME},
    {FS_E_NONE_MAPPED, GSS_S_BAD_NAME},
};

OM_uint32 fs_gss_major(fs_err err, enum fs_gss_subject subject)
{
    if (subject == FS_GSS_ON_KDC && !fs_succeeded(err))
        return GSS_S_FAILURE; /* MIT's krb5 for any KDC error of S4U2Self or S4U2Proxy (doc/semantics.md §78) */
    if (err == FS_E_INVALID_HANDLE)
        return subject == FS_GSS_ON_CRED                                                ? GSS_S_NO_CRED
               : subject == FS_GSS_ON_NAME || subject == FS_GSS_ON_NAME_ATTRIBUTE ? GSS_S_BAD_NAME
                                                                                  : GSS_S_NO_CONTEXT;
    if (err == FS_E_INVALID_DATA && subject == FS_GSS_ON_NAME)
        return GSS_S_BAD_NAME; /* RFC 2744 5.16: text that is no name of its type */
    if (err == FS_E_NOT_SUPPORTED)
        return subject == FS_GSS_ON_NAME ? GSS_S_BAD_NAMETYPE : subject == FS_GSS_ON_MECH ? GSS_S_BAD_MECH : GSS_S_UNAVAILABLE;
    for (size_t i = 0; i < sizeof major_of / sizeof major_of[0]; i++)
        if (major_of[i].err == err)
            return major_of[i].major;
    return GSS_S_FAILURE;
}

OM_uint32 fs_gss_call_end(struct fs_gss_call *call, OM_uint32 *minor_status)
{
    OM_uint32 major = call->injected ? call->injected_major : fs_gss_major(call->err, call->subject);
    /* The minor status: the SECURITY_STATUS the SSPI side returns for the same failure, 0 when none (and
     * for an injected fault, which stands for no SSPI outcome). */
    OM_uint32 minor = GSS_ERROR(major) && !call->injected ? (OM_uint32)fs_sec_status(call->err) : 0;
    if (minor_status)
        *minor_status = minor;
    fs_origin_call_end();
    if (call->trace.on) {
        char text[160];
        const char *name = call->injected ? fs_gss_major_name(major) : minor ? fs_status_name((int32_t)minor) : NULL;
        snprintf(text, sizeof text, "GSS major %#x%s%.100s%s%s", (unsigned)major, name ? " (" : "", name ? name : "",
                 name ? ")" : "", call->injected ? " (injected)" : "");
        fs_trace_end(&call->trace, text);
    }
    fs_fork_gate_leave();
    return major;
}
