/* The one shape of every gssi_* export of the GSSAPI module, as api/entry.h is for the Windows exports:
 *
 *     OM_uint32 gssi_delete_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle, ...)
 *     {
 *         struct fs_gss_call call;
 *         fs_gss_call_begin(&call, FS_GSS_API(gss_delete_sec_context), FS_GSS_ON_CONTEXT); // start-up, trace
 *         fs_trace_handle(&call.trace, "context_handle", ...);                    // the arguments
 *         if (!fs_gss_call_proceed(&call))                                        // fault injection chose
 *             return fs_gss_call_end(&call, minor_status);                        //   the major status
 *         call.err = delete_context(..., call.api);                               // a body returning fs_err
 *         return fs_gss_call_end(&call, minor_status);                            // the one mapping
 *     }
 *
 * The major status comes from the body's fs_err through fs_gss_major() (RFC 2744 section 3.9.1), the
 * minor status is the SECURITY_STATUS the SSPI side returns for the same outcome, so gss_display_status
 * names it as the SSPI side would (doc/gssapi.md). A call FAKESSPI_FAULTS fails (gss_wrap#2=GSS_S_FAILURE) returns
 * that major status with minor status 0 and its body never runs (doc/semantics.md §67). */
#ifndef FS_GSS_GSS_ENTRY_H
#define FS_GSS_GSS_ENTRY_H

#include <gssapi/gssapi.h>

#include "core/error.h"
#include "core/trace.h"

/* What a failing body was working on: an invalid handle means no context, no credential or a bad name; an
 * unsupported mechanism (FS_GSS_ON_MECH) is GSS_S_BAD_MECH; a name attribute the name does not have
 * (FS_GSS_ON_NAME_ATTRIBUTE, FS_E_NOT_SUPPORTED) is GSS_S_UNAVAILABLE, as MIT's mechanism answers it. */
/* A KDC's refusal of S4U2Self or S4U2Proxy (FS_GSS_ON_KDC) is GSS_S_FAILURE whatever the error, as MIT's krb5
 * reports a KDC error it got (doc/semantics.md §78). */
enum fs_gss_subject { FS_GSS_ON_CONTEXT, FS_GSS_ON_CRED, FS_GSS_ON_NAME, FS_GSS_ON_MECH, FS_GSS_ON_NAME_ATTRIBUTE,
                      FS_GSS_ON_KDC };

/* The calls of gss_calls.def: FS_GSS_API(gss_wrap) is "gss_wrap", and a name the file does not list does not
 * compile, so the fault table and the exports' trace names are one list. */
enum fs_gss_api {
#define GSS_CALL(name) FS_GSS_API_##name,
#include "gss_calls.def"
#undef GSS_CALL
};
extern const char *const fs_gss_api_names[];
#define FS_GSS_API(name) (fs_gss_api_names[FS_GSS_API_##name])

struct fs_gss_call {
    const char *api;
    enum fs_gss_subject subject;
    struct fs_trace trace;
    fs_err err; /* the body's outcome */
    int injected;            /* FAKESSPI_FAULTS chose the result: injected_major */
    OM_uint32 injected_major;
};

#define fs_gss_call_begin(call, api, subject) \
    fs_gss_call_begin_at((call), (api), (subject), __builtin_return_address(0), __builtin_frame_address(0))
void fs_gss_call_begin_at(struct fs_gss_call *call, const char *api, enum fs_gss_subject subject,
                          void *return_address, void *frame);
/* 1: run the body. 0: fault injection has chosen this call's major status; skip the body. */
int fs_gss_call_proceed(struct fs_gss_call *call);
/* 1 when the body succeeded, so the outputs are worth tracing. */
int fs_gss_call_outputs(struct fs_gss_call *call);
/* The major status; *minor_status (when not NULL) receives the minor. Closes the trace line. */
OM_uint32 fs_gss_call_end(struct fs_gss_call *call, OM_uint32 *minor_status);

/* The one mapping from the internal error to a GSS major status. */
OM_uint32 fs_gss_major(fs_err err, enum fs_gss_subject subject);

#endif
