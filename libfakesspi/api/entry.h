/* The one shape of every exported function, as Wine's secur32 wrapper gives every SSPI export one:
 *
 *     SECURITY_STATUS SEC_ENTRY MakeSignature(PCtxtHandle phContext, ...)
 *     {
 *         struct fs_call call;
 *         fs_call_begin(&call, "MakeSignature");          // start-up, trace line opened
 *         fs_trace_sec_handle(&call.trace, "phContext", phContext);   // the arguments
 *         if (fs_call_proceed(&call))                      // fault injection decides, or the body runs
 *             call.err = sign(phContext, ..., call.api);   // a body returning fs_err
 *         if (fs_call_outputs(&call))                      // succeeded: trace what it hands back
 *             fs_trace_buffers(&call.trace, "pMessage", pMessage);
 *         return fs_call_end_status(&call);                // the one mapping, the trace line closed
 *     }
 *
 * An injected fault is traced like any other outcome, marked "(injected)"; a result chosen by the
 * test's script (fakesspi_script_call) is marked "(scripted)". Bodies never call an
 * exported function (that would trace and count it twice): they call the body of it. */
#ifndef FS_API_ENTRY_H
#define FS_API_ENTRY_H

#include <stdint.h>

#include "windows.h"
#include "sspi.h"
#include "winternl.h"
#include "core/bytes.h"
#include "core/error.h"
#include "core/origin.h"
#include "core/trace.h"

struct fs_call {
    const char *api;
    struct fs_trace trace;
    fs_err err;            /* the body's outcome */
    int injected;          /* FAKESSPI_FAULTS chose the result: injected_value is it */
    int scripted;          /* the test's script chose it: injected_value is it unless the body failed */
    int chosen_fails;      /* the chosen value is a failure (a failing status, a non-zero error) */
    int64_t injected_value;
    struct fs_writer script_token; /* a scripted InitializeSecurityContext/AcceptSecurityContext's token */
};

/* A macro, so that the export's own return address and frame are what the origin of anything made
 * in the call starts from (core/origin.h: the caller's stack is cached per call site). */
#define fs_call_begin(call, api) fs_call_begin_at((call), (api), FS_ORIGIN_CALLER)
void fs_call_begin_at(struct fs_call *call, const char *api, void *return_address, void *frame);
/* 1: run the body. 0: fault injection or the test's script has chosen this call's result; skip the
 * body. A scripted InitializeSecurityContext/AcceptSecurityContext that succeeds still hands out its
 * token and context: its export runs the scripted leg when call->scripted && !call->chosen_fails. */
int fs_call_proceed(struct fs_call *call);
/* 1 when the body succeeded, so the outputs are worth tracing (marks where they start). */
int fs_call_outputs(struct fs_call *call);

/* Closing the call, by the export's return type: */
SECURITY_STATUS fs_call_end_status(struct fs_call *call); /* SSPI: the status */
NTSTATUS fs_call_end_nt_status(struct fs_call *call);      /* the LSA (ntsecapi.h): the NTSTATUS */
BOOL fs_call_end_bool(struct fs_call *call);              /* Win32: TRUE, or FALSE with the last error set */
/* Win32 calls that set the last error on success too (AdjustTokenPrivileges: ERROR_SUCCESS, or
 * ERROR_NOT_ALL_ASSIGNED from FS_I_NOT_ALL_ASSIGNED). */
BOOL fs_call_end_bool_noting(struct fs_call *call);
/* Win32 functions returning a pointer or handle: value on success, else NULL with the last error set. */
void *fs_call_end_pointer(struct fs_call *call, void *value);
/* Win32 functions that answer a question (EqualSid): the answer, with ERROR_SUCCESS as the last
 * error when the body succeeded; FALSE with the mapped last error when it failed. */
BOOL fs_call_end_answer(struct fs_call *call, BOOL answer);
/* Win32 functions that return their error code (SetEntriesInAcl, ...): ERROR_SUCCESS or the mapped error;
 * the last error is left alone. */
DWORD fs_call_end_error(struct fs_call *call);
/* Free functions that return NULL on success and their argument on failure (LocalFree, FreeSid). */
void *fs_call_end_freed(struct fs_call *call, void *argument);

#endif
