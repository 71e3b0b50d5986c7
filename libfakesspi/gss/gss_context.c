/* The GSSAPI mechanisms' contexts over the SSPI layer (Kerberos, SPNEGO, NTLMSSP: one code path, the package from
 * gss_mech.c's table): the handshake, deleting a context and asking about it, as gssi_* functions of an MIT mechglue
 * interposer (doc/gssapi.md, doc/semantics.md §64). A context is the SSPI layer's own context object and reaches the
 * caller as a handle-table value, so a stale or forged one is caught and reported as it is for SSPI handles. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/handles.h"
#include "gss_context.h"
#include "gss_entry.h"
#include "gss_names.h"
#include "gssi.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_ticket_service.h"
#include "packages/kerberos/pac.h"
#include "packages/negotiate/spnego.h"
#include "sspi/handshake.h"

static const struct fs_package *const krb = &fs_kerberos_package;

uintptr_t fs_gss_tag(void) { return fs_package_index(krb); }

/* GSS flags into ISC_REQ_* (RFC 2744 5.19; doc/gssapi.md): the same request a Windows client makes. */
static const struct {
    OM_uint32 gss;
    uint32_t isc, isc_ret, asc_ret;
} flag_map[] = {
    {GSS_C_DELEG_FLAG, ISC_REQ_DELEGATE, ISC_RET_DELEGATE, ASC_RET_DELEGATE},
    {GSS_C_MUTUAL_FLAG, ISC_REQ_MUTUAL_AUTH, ISC_RET_MUTUAL_AUTH, ASC_RET_MUTUAL_AUTH},
    {GSS_C_REPLAY_FLAG, ISC_REQ_REPLAY_DETECT, ISC_RET_REPLAY_DETECT, ASC_RET_REPLAY_DETECT},
    {GSS_C_SEQUENCE_FLAG, ISC_REQ_SEQUENCE_DETECT, ISC_RET_SEQUENCE_DETECT, ASC_RET_SEQUENCE_DETECT},
    {GSS_C_CONF_FLAG, ISC_REQ_CONFIDENTIALITY, ISC_RET_CONFIDENTIALITY, ASC_RET_CONFIDENTIALITY},
    {GSS_C_INTEG_FLAG, ISC_REQ_INTEGRITY, ISC_RET_INTEGRITY, ASC_RET_INTEGRITY},
    /* DCE style: the bare AP-REQ, the AP-REP and the client's AP-REP, MS-KILE 3.4.5.1 (doc/semantics.md §60, §75) */
    {GSS_C_DCE_STYLE, ISC_REQ_USE_DCE_STYLE, ISC_RET_USED_DCE_STYLE, ASC_RET_USED_DCE_STYLE},
};

static uint32_t isc_req(OM_uint32 gss)
{
    uint32_t r = 0;
    for (size_t i = 0; i < sizeof flag_map / sizeof flag_map[0]; i++)
        if (gss & flag_map[i].gss)
            r |= flag_map[i].isc;
    return r;
}

static OM_uint32 gss_ret(const struct fs_context *ctx)
{
    OM_uint32 r = ctx->complete ? GSS_C_PROT_READY_FLAG : 0;
    for (size_t i = 0; i < sizeof flag_map / sizeof flag_map[0]; i++)
        if (ctx->ret_flags & (ctx->server ? flag_map[i].asc_ret : flag_map[i].isc_ret))
            r |= flag_map[i].gss;
    return r;
}

/* What an acceptor asks of every context: all that the initiator's authenticator may grant. */
#define ASC_REQ_ALL (ASC_REQ_MUTUAL_AUTH | ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONFIDENTIALITY | \
                     ASC_REQ_INTEGRITY)

fs_err fs_gss_get_context(gss_ctx_id_t h, const char *api, struct fs_context **out)
{
    struct fs_object *obj;
    fs_err err = fs_handle_get((struct fs_handle_key){(uintptr_t)h, fs_gss_tag()}, &fs_context_ops, 0, api, &obj, NULL);
    if (err == FS_OK)
        *out = fs_context_from_object(obj);
    return err;
}

/* RFC 2744 3.11 channel bindings as SSPI's SEC_CHANNEL_BINDINGS, which carries the same fields (RFC 4121
 * 4.1.1.2 hashes them alike): a NEW block in *out, NULL for none. */
static fs_err bindings_block(gss_channel_bindings_t cb, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (cb == GSS_C_NO_CHANNEL_BINDINGS)
        return FS_OK;
    const gss_buffer_desc *parts[3] = {&cb->initiator_address, &cb->acceptor_address, &cb->application_data};
    size_t n = sizeof(SEC_CHANNEL_BINDINGS);
    for (int i = 0; i < 3; i++) {
        if (parts[i]->length > UINT32_MAX - n)
            return FS_E_INVALID_PARAMETER;
        n += parts[i]->length;
    }
    uint8_t *b = fs_calloc(1, n);
    if (!b)
        return FS_E_NOMEM;
    SEC_CHANNEL_BINDINGS h = {.dwInitiatorAddrType = cb->initiator_addrtype,
                              .dwAcceptorAddrType = cb->acceptor_addrtype};
    ULONG *lens[3] = {&h.cbInitiatorLength, &h.cbAcceptorLength, &h.cbApplicationDataLength};
    ULONG *offsets[3] = {&h.dwInitiatorOffset, &h.dwAcceptorOffset, &h.dwApplicationDataOffset};
    size_t at = sizeof h;
    for (int i = 0; i < 3; i++) {
        *lens[i] = (ULONG)parts[i]->length;
        *offsets[i] = (ULONG)at;
        if (parts[i]->length)
            memcpy(b + at, parts[i]->value, parts[i]->length);
        at += parts[i]->length;
    }
    memcpy(b, &h, sizeof h);
    *out = b;
    *len = n;
    return FS_OK;
}

/* One leg on ctx (a NEW context on the first leg): the peer's token in, ours out into new memory. */
static fs_err run_leg(struct fs_context *ctx, const char *target, uint32_t req, gss_channel_bindings_t cb,
                      gss_buffer_t in, gss_buffer_t out, int *complete, const char *api)
{
    uint8_t *bindings = NULL;
    size_t bindings_len = 0;
    fs_err err = bindings_block(cb, &bindings, &bindings_len);
    if (err != FS_OK)
        return err;
    SecBuffer in_bufs[2] = {{in ? (ULONG)in->length : 0, SECBUFFER_TOKEN, in ? in->value : NULL},
                            {(ULONG)bindings_len, SECBUFFER_CHANNEL_BINDINGS, bindings}};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, bindings ? 2 : 1, in_bufs};
    uint8_t *token = malloc(ctx->pkg->max_token); /* handed to the caller, who frees it with gss_release_buffer */
    if (!token) {
        free(bindings);
        return FS_E_NOMEM;
    }
    SecBuffer out_buf = {ctx->pkg->max_token, SECBUFFER_TOKEN, token};
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out_buf};
    pthread_mutex_lock(&ctx->lock);
    err = fs_handshake_leg(ctx, target, req, in && in->length ? &in_desc : (bindings ? &in_desc : NULL), &out_desc,
                           complete, api);
    pthread_mutex_unlock(&ctx->lock);
    free(bindings);
    if (err != FS_OK || !out_buf.cbBuffer) {
        free(token);
        token = NULL;
        out_buf.cbBuffer = 0;
    }
    fs_gss_mech_frame(ctx->front_end, token, out_buf.cbBuffer); /* Microsoft's Kerberos OID in the framing */
    out->length = out_buf.cbBuffer;
    out->value = token;
    return err;
}

/* A context's remaining lifetime in seconds on the virtual clock (RFC 2744 5.7), GSS_C_INDEFINITE if it has none. */
static OM_uint32 seconds_left(const struct fs_context *ctx)
{
    uint64_t now = fs_clock_now();
    return ctx->expiry == (uint64_t)FS_TIME_NEVER || !ctx->expiry ? GSS_C_INDEFINITE
           : ctx->expiry > now ? (OM_uint32)((ctx->expiry - now) / FS_FILETIME_PER_SECOND)
                               : 0;
}

/* The mechanism a context's mech type outputs name (doc/semantics.md §64): its own; for SPNEGO, as MIT's SPNEGO
 * says, the mechanism inside once established (Kerberos or NTLMSSP, the package Negotiate chose) and until then
 * none (gss_init_sec_context, gss_accept_sec_context) or SPNEGO's own (gss_inquire_context, spnego_in). Under
 * ctx->lock. */
static gss_OID reported_mech(const struct fs_context *ctx, gss_OID spnego_in)
{
    const struct fs_gss_mech *m = ctx->front_end;
    if (!m)
        return GSS_C_NO_OID;
    if (m->pkg != &fs_negotiate_package)
        return m->oid;
    const struct fs_gss_mech *inner =
        ctx->complete && ctx->state ? fs_gss_mech_of_package(fs_package_effective(ctx->pkg, ctx->state)) : NULL;
    return inner ? inner->oid : spnego_in;
}

/* The context handle a first leg hands out, and the flags and lifetime every leg reports. */
static fs_err finish_leg(struct fs_context *ctx, int first, gss_ctx_id_t *handle, OM_uint32 *ret_flags,
                         OM_uint32 *time_rec, const char *api)
{
    if (first) {
        uintptr_t value;
        fs_err err = fs_handle_open(&ctx->base, 0, fs_gss_tag(), api, &value);
        if (err != FS_OK)
            return err;
        ctx->handle = value;
        *handle = (gss_ctx_id_t)value;
    }
    if (ret_flags)
        *ret_flags = gss_ret(ctx);
    if (time_rec)
        *time_rec = seconds_left(ctx);
    return FS_OK;
}

static fs_err init_leg(gss_cred_id_t cred_handle, gss_ctx_id_t *handle, const struct fs_gss_name *target,
                       const struct fs_gss_mech *mech, OM_uint32 req_flags, gss_channel_bindings_t cb,
                       gss_buffer_t in, gss_OID *actual, gss_buffer_t out, OM_uint32 *ret_flags, OM_uint32 *time_rec,
                       const char *api)
{
    if (!handle || !out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    int first = *handle == GSS_C_NO_CONTEXT;
    struct fs_context *ctx;
    fs_err err;
    if (first) {
        if (!target)
            return FS_E_TARGET_UNKNOWN;
        struct fs_credential *cred = NULL;
        if (cred_handle == GSS_C_NO_CREDENTIAL) {
            err = fs_credential_acquire(mech->pkg, SECPKG_CRED_OUTBOUND, NULL, &cred); /* the process's user */
        } else {
            struct fs_gss_cred *c;
            err = fs_gss_get_cred(cred_handle, api, &c);
            if (err == FS_OK) {
                /* The mechglue hands over the credential it holds for this mechanism: of the same package. */
                cred = c->cred && (c->cred->use & SECPKG_CRED_OUTBOUND) && c->cred->pkg == mech->pkg ? c->cred : NULL;
                if (cred)
                    fs_object_ref(&cred->base);
                fs_object_unref(&c->base);
                err = cred ? FS_OK : FS_E_NO_CREDENTIALS;
            }
        }
        if (err != FS_OK)
            return err;
        ctx = fs_context_new(cred, 0);
        if (ctx && cred->name && !(ctx->client_name = fs_strdup(cred->name))) {
            fs_object_unref(&ctx->base);
            ctx = NULL;
        }
        fs_object_unref(&cred->base);
        if (!ctx)
            return FS_E_NOMEM;
        ctx->expiry = (uint64_t)FS_TIME_NEVER;
        ctx->front_end = mech;
    } else if ((err = fs_gss_get_context(*handle, api, &ctx)) != FS_OK) {
        return err;
    } else if (ctx->server) {
        fs_object_unref(&ctx->base);
        return FS_E_INVALID_HANDLE; /* an acceptor's context given to gss_init_sec_context */
    }
    int complete = 0;
    /* gss-ntlmssp's gss_wrap always seals, and MIT's Kerberos always offers confidentiality and integrity; SSPI's
     * NTLM seals only a context that negotiated it: NTLM (alone or in SPNEGO) always asks for both
     * (doc/semantics.md §64). */
    const struct fs_gss_mech *mech_of_ctx = ctx->front_end;
    uint32_t req = isc_req(req_flags);
    if (mech_of_ctx->pkg == &fs_ntlm_package || mech_of_ctx->pkg == &fs_negotiate_package)
        req |= ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY;
    err = run_leg(ctx, target ? target->principal : ctx->target, req, cb, in, out, &complete, api);
    if (err == FS_OK)
        err = finish_leg(ctx, first, handle, ret_flags, time_rec, api);
    if (err == FS_OK && actual) {
        pthread_mutex_lock(&ctx->lock);
        *actual = reported_mech(ctx, GSS_C_NO_OID);
        pthread_mutex_unlock(&ctx->lock);
    }
    fs_object_unref(&ctx->base); /* a failed first leg makes no context */
    if (err != FS_OK) {
        free(out->value);
        out->value = NULL;
        out->length = 0;
        return err;
    }
    return complete ? FS_OK : FS_I_CONTINUE_NEEDED;
}

OM_uint32 gssi_init_sec_context(OM_uint32 *minor_status, gss_cred_id_t claimant_cred_handle,
                                gss_ctx_id_t *context_handle, gss_name_t target_name, gss_OID mech_type,
                                OM_uint32 req_flags, OM_uint32 time_req,
                                gss_channel_bindings_t input_chan_bindings, gss_buffer_t input_token,
                                gss_OID *actual_mech_type, gss_buffer_t output_token,
                                OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_init_sec_context), FS_GSS_ON_CONTEXT);
    const struct fs_gss_name *target = (const struct fs_gss_name *)target_name;
    fs_trace_handle(&call.trace, "claimant_cred_handle", (uintptr_t)claimant_cred_handle);
    fs_trace_handle(&call.trace, "context_handle", context_handle ? (uintptr_t)*context_handle : 0);
    fs_trace_string(&call.trace, "target_name", target ? target->principal : NULL);
    fs_trace_number(&call.trace, "req_flags", req_flags);
    fs_trace_number(&call.trace, "input_token", input_token ? input_token->length : 0);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    /* The mechglue hands over the public OID asked for (GSS_C_NO_OID: its default, Kerberos). */
    const struct fs_gss_mech *mech = mech_type == GSS_C_NO_OID ? fs_gss_mech_krb5 : fs_gss_mech_by_oid(mech_type);
    fs_trace_string(&call.trace, "mech_type", mech ? mech->name : NULL);
    if (actual_mech_type)
        *actual_mech_type = GSS_C_NO_OID;
    if (output_token) { /* RFC 2744 5.19: no token on failure */
        output_token->length = 0;
        output_token->value = NULL;
    }
    if (!mech) {
        call.subject = FS_GSS_ON_MECH;
        call.err = FS_E_NOT_SUPPORTED;
    } else {
        call.err = init_leg(claimant_cred_handle, context_handle, target, mech, req_flags, input_chan_bindings,
                            input_token, actual_mech_type, output_token, ret_flags, time_rec, call.api);
        /* The KDC refused S4U2Proxy (KDC_ERR_BADOPTION): MIT's GSS_S_FAILURE (doc/semantics.md §78). */
        if (call.err == FS_E_NO_CREDENTIALS && fs_gss_cred_is_impersonated(claimant_cred_handle, call.api))
            call.subject = FS_GSS_ON_KDC;
    }
    if (fs_gss_call_outputs(&call)) {
        fs_trace_handle(&call.trace, "context_handle", (uintptr_t)*context_handle);
        fs_trace_number(&call.trace, "output_token", output_token->length);
    }
    return fs_gss_call_end(&call, minor_status);
}

/* The service a Kerberos AP-REQ is for: in the token itself, or (SPNEGO) in the optimistic token of a NegTokenInit
 * whose first choice is Kerberos. FS_E_NOT_SUPPORTED when the token holds none (SPNEGO with NTLM). */
static fs_err ticket_service(const struct fs_gss_mech *mech, gss_buffer_t in, char *spn, size_t cap)
{
    if (mech->pkg == &fs_kerberos_package && in->length && ((const uint8_t *)in->value)[0] == 0x6e) {
        /* DCE style's bare AP-REQ ([APPLICATION 14], MS-KILE 3.4.5.1): framed as the others to read its service
         * (doc/semantics.md §75). */
        struct fs_writer framed;
        fs_writer_init(&framed);
        krb_gss_frame(&framed, krb_oid_krb5, KRB_TOK_AP_REQ, in->value, in->length);
        fs_err err = framed.failed ? FS_E_NOMEM : krb_ap_req_service(framed.data, framed.len, spn, cap);
        fs_writer_free(&framed);
        return err;
    }
    if (mech->pkg == &fs_kerberos_package)
        return krb_ap_req_service(in->value, in->length, spn, cap);
    struct spnego_init init;
    struct der_error derr;
    if (spnego_parse_init(in->value, in->length, &init, &derr) != FS_OK)
        return FS_E_INVALID_TOKEN;
    if (!init.nmechs || !init.token || (init.mechs[0] != MECH_KRB5 && init.mechs[0] != MECH_MS_KRB5))
        return FS_E_NOT_SUPPORTED;
    return krb_ap_req_service(init.token, init.token_len, spn, cap);
}

/* The acceptor's SSPI credential (of mech's package) for this token: the one named, or the account that owns the
 * service the ticket is for (doc/gssapi.md); NTLM names no service, and any account of the domain checks its
 * AUTHENTICATE: the process's. NEW reference. */
static fs_err acceptor_credential(gss_cred_id_t cred_handle, const struct fs_gss_mech *mech, gss_buffer_t in,
                                  const char *api, struct fs_credential **out)
{
    int any = cred_handle == GSS_C_NO_CREDENTIAL;
    if (!any) {
        struct fs_gss_cred *c;
        fs_err err = fs_gss_get_cred(cred_handle, api, &c);
        if (err != FS_OK)
            return err;
        struct fs_credential *cred =
            c->cred && (c->cred->use & SECPKG_CRED_INBOUND) && c->cred->pkg == mech->pkg ? c->cred : NULL;
        any = c->accept_any;
        if (cred && !any)
            *out = (struct fs_credential *)fs_object_ref(&cred->base);
        fs_object_unref(&c->base);
        if (!any)
            return cred ? FS_OK : FS_E_NO_CREDENTIALS;
    }
    char spn[640];
    fs_err err = mech->pkg == &fs_ntlm_package ? FS_E_NOT_SUPPORTED : ticket_service(mech, in, spn, sizeof spn);
    if (err == FS_E_NOT_SUPPORTED)
        return fs_credential_acquire(mech->pkg, SECPKG_CRED_INBOUND, NULL, out);
    return err == FS_OK ? fs_gss_credential_for(spn, mech->pkg, SECPKG_CRED_INBOUND, out) : err;
}

/* An acceptor's source name carries the ticket's PAC, as MIT's carries its authorization data, for
 * gss_get_name_attribute (doc/semantics.md §50); an initiator's names carry none. Under ctx->lock. */
static fs_err name_take_pac(const struct fs_context *ctx, struct fs_gss_name *name)
{
    size_t len = 0;
    /* SPNEGO's acceptor name carries the PAC of the Kerberos context inside it (doc/semantics.md §69). */
    const void *state = ctx->state ? fs_package_effective_state(ctx->pkg, ctx->state) : NULL;
    const uint8_t *pac =
        ctx->server && state && fs_package_effective(ctx->pkg, ctx->state) == krb ? krb_context_pac(state, &len) : NULL;
    return pac ? fs_gss_name_set_pac(name, pac, len) : FS_OK;
}

static fs_err accept_leg(gss_cred_id_t cred_handle, gss_ctx_id_t *handle, gss_channel_bindings_t cb, gss_buffer_t in,
                         gss_name_t *src_name, gss_OID *mech_type, gss_buffer_t out, OM_uint32 *ret_flags,
                         OM_uint32 *time_rec, gss_cred_id_t *delegated, const char *api)
{
    if (!handle || !out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    if (!in || !in->length || !in->value)
        return FS_E_INVALID_TOKEN;
    int first = *handle == GSS_C_NO_CONTEXT;
    struct fs_context *ctx;
    fs_err err;
    if (first) {
        /* The mechglue tells the module no mechanism here: the token says which, as it did to the mechglue, and
         * a Kerberos token's framing says which of the two OIDs the acceptor answers with (MIT's
         * parse_init_token). */
        const struct fs_gss_mech *mech = fs_gss_mech_of_token(in->value, in->length);
        if (!mech)
            return FS_E_INVALID_TOKEN;
        struct fs_credential *cred;
        if ((err = acceptor_credential(cred_handle, mech, in, api, &cred)) != FS_OK)
            return err;
        ctx = fs_context_new(cred, 1);
        fs_object_unref(&cred->base);
        if (!ctx)
            return FS_E_NOMEM;
        ctx->expiry = (uint64_t)FS_TIME_NEVER;
        ctx->front_end = mech;
    } else if ((err = fs_gss_get_context(*handle, api, &ctx)) != FS_OK) {
        return err;
    } else if (!ctx->server) {
        fs_object_unref(&ctx->base);
        return FS_E_INVALID_HANDLE; /* an initiator's context given to gss_accept_sec_context */
    }
    int complete = 0;
    err = run_leg(ctx, NULL, ASC_REQ_ALL, cb, in, out, &complete, api);
    if (err == FS_OK)
        err = finish_leg(ctx, first, handle, ret_flags, time_rec, api);
    if (err == FS_OK && mech_type) {
        pthread_mutex_lock(&ctx->lock);
        *mech_type = reported_mech(ctx, GSS_C_NO_OID);
        pthread_mutex_unlock(&ctx->lock);
    }
    if (err == FS_OK && complete && src_name) {
        /* The ticket's client principal, "alice@EXAMPLE.TEST", as MIT's acceptor names it, with the PAC. */
        const char *client = NULL, *server = NULL;
        pthread_mutex_lock(&ctx->lock);
        if (ctx->pkg->native_names)
            ctx->pkg->native_names(ctx->state, &client, &server);
        struct fs_gss_name *name;
        err = fs_gss_name_new(client ? client : ctx->client_name ? ctx->client_name : "", &name);
        if (err == FS_OK && (err = name_take_pac(ctx, name)) != FS_OK)
            fs_gss_name_free(name);
        pthread_mutex_unlock(&ctx->lock);
        if (err == FS_OK)
            *src_name = (gss_name_t)name;
    }
    if (err == FS_OK && complete && delegated) {
        err = fs_gss_delegated_cred(ctx, api, delegated);
        if (err == FS_OK && *delegated != GSS_C_NO_CREDENTIAL && ctx->pkg == &fs_negotiate_package)
            err = fs_gss_mechglue_cred(fs_gss_mech_krb5, delegated, api);
    }
    fs_object_unref(&ctx->base);
    if (err != FS_OK) {
        free(out->value);
        out->value = NULL;
        out->length = 0;
        return err;
    }
    return complete ? FS_OK : FS_I_CONTINUE_NEEDED;
}

OM_uint32 gssi_accept_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                                  gss_cred_id_t verifier_cred_handle, gss_buffer_t input_token,
                                  gss_channel_bindings_t input_chan_bindings, gss_name_t *src_name,
                                  gss_OID *mech_type, gss_buffer_t output_token, OM_uint32 *ret_flags,
                                  OM_uint32 *time_rec, gss_cred_id_t *delegated_cred_handle)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_accept_sec_context), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", context_handle ? (uintptr_t)*context_handle : 0);
    fs_trace_handle(&call.trace, "verifier_cred_handle", (uintptr_t)verifier_cred_handle);
    fs_trace_number(&call.trace, "input_token", input_token ? input_token->length : 0);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (src_name)
        *src_name = GSS_C_NO_NAME;
    if (mech_type)
        *mech_type = GSS_C_NO_OID;
    if (delegated_cred_handle)
        *delegated_cred_handle = GSS_C_NO_CREDENTIAL; /* until a client delegated (doc/semantics.md §68) */
    call.err = accept_leg(verifier_cred_handle, context_handle, input_chan_bindings, input_token, src_name, mech_type,
                          output_token, ret_flags, time_rec, delegated_cred_handle, call.api);
    if (fs_gss_call_outputs(&call)) {
        fs_trace_handle(&call.trace, "context_handle", (uintptr_t)*context_handle);
        if (src_name && *src_name)
            fs_trace_string(&call.trace, "src_name", ((struct fs_gss_name *)*src_name)->principal);
        fs_trace_number(&call.trace, "output_token", output_token->length);
        if (delegated_cred_handle && *delegated_cred_handle)
            fs_trace_handle(&call.trace, "delegated_cred_handle", (uintptr_t)*delegated_cred_handle);
    }
    return fs_gss_call_end(&call, minor_status);
}

fs_err fs_gss_delete_context(gss_ctx_id_t *handle, gss_buffer_t output_token, const char *api)
{
    if (output_token) {
        output_token->length = 0; /* RFC 2744 5.9: no token is made */
        output_token->value = NULL;
    }
    if (!handle || *handle == GSS_C_NO_CONTEXT)
        return FS_E_INVALID_HANDLE;
    struct fs_object *taken;
    fs_err err = fs_handle_close_take((struct fs_handle_key){(uintptr_t)*handle, fs_gss_tag()}, &fs_context_ops, api, &taken);
    if (err != FS_OK)
        return err;
    fs_context_retire(taken, api);
    *handle = GSS_C_NO_CONTEXT;
    return FS_OK;
}

OM_uint32 gssi_delete_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                                  gss_buffer_t output_token)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_delete_sec_context), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", context_handle ? (uintptr_t)*context_handle : 0);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = fs_gss_delete_context(context_handle, output_token, call.api);
    return fs_gss_call_end(&call, minor_status);
}

/* The principals inquire_context names (under ctx->lock). */
void fs_gss_principals(const struct fs_context *ctx, const char **client, const char **server)
{
    *client = *server = NULL;
    if (ctx->state && ctx->pkg->native_names)
        ctx->pkg->native_names(ctx->state, client, server);
    /* NTLM names no principal: the client's "EXAMPLE\\alice"; an imported Kerberos state keeps none either. */
    if ((!*client || !**client) && ctx->complete)
        *client = ctx->client_name;
    if (!*server || !**server)
        *server = ctx->target; /* an initiator's target; an imported context's service */
}

/* RFC 2744 5.33 on a context of either side: the ticket's client and service principals, as MIT's mechanism
 * names them ("alice@EXAMPLE.TEST", "host/server.example.test@EXAMPLE.TEST"). */
static fs_err inquire_context(gss_ctx_id_t h, gss_name_t *src, gss_name_t *targ, OM_uint32 *lifetime,
                              gss_OID *mech, OM_uint32 *flags, int *local, int *open, const char *api)
{
    struct fs_context *ctx;
    fs_err err = fs_gss_get_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    struct fs_gss_name *s = NULL, *t = NULL;
    pthread_mutex_lock(&ctx->lock);
    const char *client, *server;
    fs_gss_principals(ctx, &client, &server);
    if (src && client && *client && (err = fs_gss_name_new(client, &s)) == FS_OK && (err = name_take_pac(ctx, s)) != FS_OK) {
        fs_gss_name_free(s);
        s = NULL;
    }
    if (err == FS_OK && targ && server && *server)
        err = fs_gss_name_new(server, &t);
    if (err == FS_OK) {
        if (lifetime)
            *lifetime = seconds_left(ctx);
        if (flags)
            *flags = gss_ret(ctx);
        if (local)
            *local = !ctx->server;
        if (open)
            *open = ctx->complete;
        if (mech)
            *mech = reported_mech(ctx, fs_gss_mech_spnego->oid);
    }
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    if (err != FS_OK) {
        fs_gss_name_free(s);
        fs_gss_name_free(t);
        return err;
    }
    if (src)
        *src = (gss_name_t)s;
    if (targ)
        *targ = (gss_name_t)t;
    return FS_OK;
}

OM_uint32 gssi_inquire_context(OM_uint32 *minor_status, gss_ctx_id_t context_handle, gss_name_t *src_name,
                               gss_name_t *targ_name, OM_uint32 *lifetime_rec, gss_OID *mech_type,
                               OM_uint32 *ctx_flags, int *locally_initiated, int *opened)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_inquire_context), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (src_name)
        *src_name = GSS_C_NO_NAME;
    if (targ_name)
        *targ_name = GSS_C_NO_NAME;
    if (mech_type)
        *mech_type = GSS_C_NO_OID;
    call.err = inquire_context(context_handle, src_name, targ_name, lifetime_rec, mech_type, ctx_flags,
                               locally_initiated, opened, call.api);
    if (fs_gss_call_outputs(&call)) {
        if (src_name && *src_name)
            fs_trace_string(&call.trace, "src_name", ((struct fs_gss_name *)*src_name)->principal);
        if (targ_name && *targ_name)
            fs_trace_string(&call.trace, "targ_name", ((struct fs_gss_name *)*targ_name)->principal);
    }
    return fs_gss_call_end(&call, minor_status);
}

/* RFC 2744 5.7: an established context's remaining lifetime; GSS_S_CONTEXT_EXPIRED once it is 0. */
static fs_err context_time(gss_ctx_id_t h, OM_uint32 *time_rec, const char *api)
{
    struct fs_context *ctx;
    fs_err err = fs_gss_get_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    pthread_mutex_lock(&ctx->lock);
    OM_uint32 left = seconds_left(ctx);
    int complete = ctx->complete;
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    if (!complete)
        return FS_E_INVALID_HANDLE; /* not established: no context yet, as MIT's mechanism says */
    if (time_rec)
        *time_rec = left;
    return left ? FS_OK : FS_E_CONTEXT_EXPIRED;
}

OM_uint32 gssi_context_time(OM_uint32 *minor_status, gss_ctx_id_t context_handle, OM_uint32 *time_rec)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_context_time), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (time_rec)
        *time_rec = 0;
    call.err = context_time(context_handle, time_rec, call.api);
    return fs_gss_call_end(&call, minor_status);
}

/* GSS_C_INQ_SSPI_SESSION_KEY (1.2.840.113554.1.2.2.5.5): the session key SSPI's SECPKG_ATTR_SESSION_KEY gives for
 * the same context, then its enctype as the OID 1.2.840.113554.1.2.2.4.<enctype>: the two buffers MIT's Kerberos
 * mechanism answers with (doc/gssapi.md). */
static const gss_OID_desc inq_sspi_session_key = {11, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x05\x05"};
static const unsigned char session_key_enctype_oid[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x04};

/* base's DER bytes with one more arc appended (X.690 8.19: base 128, high bit on all but the last byte). */
static size_t oid_with_arc(const unsigned char *base, size_t base_len, uint32_t arc, unsigned char *out)
{
    memcpy(out, base, base_len);
    unsigned char digits[5];
    size_t n = 0;
    do
        digits[n++] = arc & 0x7f;
    while ((arc >>= 7) != 0);
    for (size_t i = 0; i < n; i++)
        out[base_len + i] = (unsigned char)(digits[n - 1 - i] | (i + 1 < n ? 0x80 : 0));
    return base_len + n;
}

static fs_err session_key_set(gss_ctx_id_t h, gss_buffer_set_t *out, const char *api)
{
    struct fs_context *ctx;
    fs_err err = fs_gss_get_context(h, api, &ctx);
    if (err != FS_OK)
        return err;
    uint8_t key[64];
    size_t len = sizeof key;
    struct fs_key_info info = {0};
    pthread_mutex_lock(&ctx->lock);
    err = ctx->complete ? ctx->pkg->session_key(ctx->state, key, &len) : FS_E_INVALID_HANDLE;
    if (err == FS_OK)
        ctx->pkg->key_info(ctx->state, &info);
    pthread_mutex_unlock(&ctx->lock);
    fs_object_unref(&ctx->base);
    OM_uint32 minor;
    unsigned char oid[sizeof session_key_enctype_oid + 5];
    gss_buffer_desc key_buffer = {len, key};
    gss_buffer_desc oid_buffer = {0, oid};
    if (err == FS_OK) {
        oid_buffer.length =
            oid_with_arc(session_key_enctype_oid, sizeof session_key_enctype_oid, info.encrypt_algorithm, oid);
        /* MIT's own set calls, so that the caller's gss_release_buffer_set frees what they made. */
        if (gss_create_empty_buffer_set(&minor, out) != GSS_S_COMPLETE ||
            gss_add_buffer_set_member(&minor, &key_buffer, out) != GSS_S_COMPLETE ||
            gss_add_buffer_set_member(&minor, &oid_buffer, out) != GSS_S_COMPLETE) {
            if (*out != GSS_C_NO_BUFFER_SET && (*out)->count)
                explicit_bzero((*out)->elements[0].value, (*out)->elements[0].length);
            gss_release_buffer_set(&minor, out);
            err = FS_E_NOMEM;
        }
    }
    explicit_bzero(key, sizeof key);
    return err;
}

OM_uint32 gssi_inquire_sec_context_by_oid(OM_uint32 *minor_status, const gss_ctx_id_t context_handle,
                                          const gss_OID desired_object, gss_buffer_set_t *data_set)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_inquire_sec_context_by_oid), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    int session_key = desired_object && desired_object->length == inq_sspi_session_key.length &&
                      !memcmp(desired_object->elements, inq_sspi_session_key.elements, inq_sspi_session_key.length);
    if (data_set)
        *data_set = GSS_C_NO_BUFFER_SET;
    if (!data_set)
        call.err = FS_E_NOACCESS;
    else if (!session_key)
        call.err = FS_E_NOT_SUPPORTED; /* GSS_S_UNAVAILABLE, as MIT's mechanism answers an OID it does not know */
    else
        call.err = session_key_set(context_handle, data_set, call.api);
    return fs_gss_call_end(&call, minor_status);
}
