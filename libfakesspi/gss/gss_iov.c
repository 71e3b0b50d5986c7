/* IOV message protection through the module (MIT's gss_wrap_iov, gss_unwrap_iov and gss_wrap_iov_length; the
 * mechglue builds gss_wrap_aead and gss_unwrap_aead on them): the RFC 4121 Wrap token EncryptMessage makes, laid out
 * over the caller's buffers as MIT's krb5 mechanism lays it out (doc/semantics.md §75). */
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi_ext.h>

#include "gss_context.h"
#include "gss_entry.h"
#include "gssi.h"
#include "packages/kerberos/krb_gss.h"

#define WRAP_TOKEN_HEADER 16 /* RFC 4121 4.2.6.2: TOK_ID, Flags, Filler, EC, RRC, SND_SEQ */

/* The one buffer of a type, or NULL when there is none or more than one, as MIT's mechanism finds it. */
static gss_iov_buffer_desc *iov_find(gss_iov_buffer_desc *iov, int count, OM_uint32 type)
{
    gss_iov_buffer_desc *found = NULL;
    for (int i = 0; i < count; i++) {
        if (GSS_IOV_BUFFER_TYPE(iov[i].type) != type)
            continue;
        if (found)
            return NULL;
        found = &iov[i];
    }
    return found;
}

static int iov_is(const gss_iov_buffer_desc *b, OM_uint32 type) { return GSS_IOV_BUFFER_TYPE(b->type) == type; }

/* Only Kerberos' RFC 4121 tokens with AES have an IOV layout here, with or without DCE style's filler (no RC4); NTLM
 * has none in gss-ntlmssp either, whose mechanism MIT's mechglue answers GSS_S_UNAVAILABLE (doc/semantics.md §75).
 * The security trailer tells them apart: 60 bytes with AES, 76 with AES in DCE style (RC4's is 49 or 45). *ec
 * receives the filler a sealed token carries (0, or KRB_DCE_WRAP_EC). */
static fs_err iov_protection(gss_ctx_id_t h, const char *api, struct fs_gss_protection *p, size_t *ec)
{
    fs_err err = fs_gss_protection_of(h, api, p);
    if (err == FS_OK && (p->pkg != &fs_kerberos_package || (p->security_trailer != KRB_WRAP_TRAILER &&
                                                            p->security_trailer != KRB_WRAP_TRAILER + KRB_DCE_WRAP_EC)))
        err = FS_E_NOT_SUPPORTED;
    if (err == FS_OK && ec)
        *ec = p->security_trailer - KRB_WRAP_TRAILER;
    return err;
}

/* How many bytes the token puts before the data (HEADER) and after it (TRAILER): MIT's layout, the header
 * and confounder in front and the filler (ec bytes, DCE style), encrypted header copy and HMAC (or the checksum
 * alone) behind; with no TRAILER buffer all of it goes in front, rotated there as EncryptMessage writes it (RRC 28,
 * DCE style rotating by EC + RRC as Windows does; doc/semantics.md §75). */
static void iov_layout(int seal, size_t ec, int has_trailer, size_t *head, size_t *trail)
{
    const size_t all = seal ? KRB_WRAP_TRAILER + ec : WRAP_SIGN_ONLY_OVERHEAD;
    *trail = has_trailer ? all - WRAP_TOKEN_HEADER - (seal ? KRB_CONFOUNDER : 0) : 0;
    *head = all - *trail;
}

/* A buffer for n bytes: the caller's, which must be long enough, or one allocated for it (FLAG_ALLOCATE, which
 * the caller frees with gss_release_iov_buffer). */
static fs_err iov_room(gss_iov_buffer_desc *b, size_t n)
{
    if (b->type & GSS_IOV_BUFFER_FLAG_ALLOCATE) {
        if (!(b->buffer.value = malloc(n ? n : 1)))
            return FS_E_NOMEM;
        b->type |= GSS_IOV_BUFFER_FLAG_ALLOCATED;
    } else if (b->buffer.length < n || !b->buffer.value) {
        return FS_E_INSUFFICIENT_BUFFER; /* MIT: KRB5_BAD_MSIZE, GSS_S_FAILURE */
    }
    b->buffer.length = n;
    return FS_OK;
}

static void iov_unallocate(gss_iov_buffer_desc *b)
{
    if (b && (b->type & GSS_IOV_BUFFER_FLAG_ALLOCATED)) {
        free(b->buffer.value);
        b->buffer.value = NULL;
        b->buffer.length = 0;
        b->type &= ~(OM_uint32)GSS_IOV_BUFFER_FLAG_ALLOCATED;
    }
}

/* The DATA and SIGN_ONLY buffers as EncryptMessage's SECBUFFER_DATA and SECBUFFER_READONLY_WITH_CHECKSUM, in the
 * caller's order (the checksum covers them in that order), after the token buffer bufs[0]. With base, the DATA
 * buffers' bytes are taken in turn from there instead. Returns the number of buffers, 0 for a bad buffer. */
static ULONG iov_secbuffers(gss_iov_buffer_desc *iov, int count, uint8_t *base, SecBuffer *bufs)
{
    ULONG n = 1;
    for (int i = 0; i < count; i++) {
        int data = iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_DATA), sign_only = iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_SIGN_ONLY);
        if (!data && !sign_only)
            continue;
        if (iov[i].buffer.length > UINT32_MAX || (iov[i].buffer.length && !iov[i].buffer.value && !(data && base)))
            return 0;
        bufs[n].cbBuffer = (ULONG)iov[i].buffer.length;
        bufs[n].BufferType = data ? SECBUFFER_DATA : SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM;
        bufs[n].pvBuffer = data && base ? base : iov[i].buffer.value;
        if (data && base)
            base += iov[i].buffer.length;
        n++;
    }
    return n;
}

/* The buffers a Wrap token goes into, found on a context that has an IOV layout, and how long its two parts are. */
struct iov_token {
    gss_iov_buffer_desc *header, *trailer, *padding;
    size_t head, trail;
};

static fs_err iov_token_of(gss_ctx_id_t h, int seal, gss_iov_buffer_desc *iov, int count, const char *api,
                           struct iov_token *t)
{
    struct fs_gss_protection p;
    size_t ec;
    fs_err err = iov_protection(h, api, &p, &ec);
    if (err != FS_OK)
        return err;
    t->header = iov ? iov_find(iov, count, GSS_IOV_BUFFER_TYPE_HEADER) : NULL;
    if (!t->header)
        return FS_E_INVALID_PARAMETER; /* MIT: EINVAL, GSS_S_FAILURE */
    t->trailer = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_TRAILER);
    t->padding = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_PADDING);
    iov_layout(seal, ec, t->trailer != NULL, &t->head, &t->trail);
    return FS_OK;
}

static fs_err wrap_iov_length(gss_ctx_id_t h, int conf_req, int *conf_state, gss_iov_buffer_desc *iov, int count,
                              const char *api)
{
    struct iov_token t;
    fs_err err = iov_token_of(h, conf_req != 0, iov, count, api, &t);
    if (err != FS_OK)
        return err;
    t.header->buffer.length = t.head;
    if (t.trailer)
        t.trailer->buffer.length = t.trail;
    if (t.padding)
        t.padding->buffer.length = 0; /* AES-CTS needs none: EC is 0, or DCE style's filler inside the token */
    if (conf_state)
        *conf_state = conf_req != 0;
    return FS_OK;
}

static fs_err wrap_iov(gss_ctx_id_t h, int conf_req, int *conf_state, gss_iov_buffer_desc *iov, int count,
                       const char *api)
{
    const int seal = conf_req != 0;
    struct iov_token t;
    fs_err err = iov_token_of(h, seal, iov, count, api, &t);
    if (err != FS_OK)
        return err;
    gss_iov_buffer_desc *header = t.header, *trailer = t.trailer, *padding = t.padding;
    const size_t head = t.head, trail = t.trail;
    SecBuffer *bufs = calloc((size_t)count + 1, sizeof *bufs);
    uint8_t tok[KRB_WRAP_TRAILER + KRB_DCE_WRAP_EC];
    if (!bufs)
        return FS_E_NOMEM;
    bufs[0] = (SecBuffer){sizeof tok, SECBUFFER_TOKEN, tok};
    ULONG n = iov_secbuffers(iov, count, NULL, bufs);
    err = n ? iov_room(header, head) : FS_E_INVALID_PARAMETER;
    if (err == FS_OK && trailer)
        err = iov_room(trailer, trail);
    if (err == FS_OK) {
        SecBufferDesc desc = {SECBUFFER_VERSION, n, bufs};
        err = fs_gss_protect(h, FS_PROTECT_SEAL, seal ? 0 : KRB_QOP_NO_ENCRYPT, &desc, NULL, api);
    }
    if (err == FS_OK && bufs[0].cbBuffer != head + trail)
        err = FS_E_INTERNAL;
    if (err == FS_OK) {
        /* EncryptMessage's token: the header (RRC 28, or 12 unsealed), the rotated trailer (DCE style's filler
         * first), the confounder. With a TRAILER buffer nothing is rotated (RRC 0): the header and confounder go in
         * front, the rest behind; the checksum and the encrypted header copy never cover RRC (RFC 4121 4.2.5). */
        uint8_t *out = header->buffer.value;
        memcpy(out, tok, WRAP_TOKEN_HEADER);
        if (trailer) {
            out[6] = out[7] = 0;
            memcpy(out + WRAP_TOKEN_HEADER, tok + WRAP_TOKEN_HEADER + trail, head - WRAP_TOKEN_HEADER);
            memcpy(trailer->buffer.value, tok + WRAP_TOKEN_HEADER, trail);
        } else {
            memcpy(out + WRAP_TOKEN_HEADER, tok + WRAP_TOKEN_HEADER, head - WRAP_TOKEN_HEADER);
        }
        if (padding)
            padding->buffer.length = 0;
        if (conf_state)
            *conf_state = seal;
    } else {
        iov_unallocate(header);
        iov_unallocate(trailer);
    }
    explicit_bzero(tok, sizeof tok);
    free(bufs);
    return err;
}

/* The received token as one message (MIT's STREAM, or HEADER | DATA... | PADDING | TRAILER put back together):
 * DecryptMessage's token is what comes before the data, whatever RRC rotated (doc/semantics.md §75). */
static fs_err unwrap_iov(gss_ctx_id_t h, int *conf_state, gss_qop_t *qop_state, gss_iov_buffer_desc *iov, int count,
                         const char *api)
{
    struct fs_gss_protection p;
    fs_err err = iov_protection(h, api, &p, NULL);
    if (err != FS_OK)
        return err;
    if (!iov)
        return FS_E_INVALID_PARAMETER;
    gss_iov_buffer_desc *stream = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_STREAM), *data = NULL;
    gss_iov_buffer_desc *header = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_HEADER),
                        *trailer = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_TRAILER),
                        *padding = iov_find(iov, count, GSS_IOV_BUFFER_TYPE_PADDING);
    size_t wire = 0, data_len = 0, datas = 0;
    for (int i = 0; i < count; i++)
        if (iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_DATA)) {
            data = &iov[i];
            data_len += iov[i].buffer.length;
            datas++;
        }
    if (stream) {
        if (datas != 1 || !stream->buffer.value)
            return FS_E_INVALID_PARAMETER; /* MIT: one DATA buffer receives the message, EINVAL otherwise */
        wire = stream->buffer.length;
    } else {
        if (!header)
            return FS_E_INVALID_PARAMETER; /* MIT: EINVAL, GSS_S_FAILURE */
        if (padding && padding->buffer.length)
            return FS_E_INVALID_TOKEN; /* RFC 4121 has no padding: GSS_S_DEFECTIVE_TOKEN, as MIT */
        wire = header->buffer.length + data_len + (trailer ? trailer->buffer.length : 0);
        if (header->buffer.length < WRAP_TOKEN_HEADER || (header->buffer.length && !header->buffer.value) ||
            (trailer && trailer->buffer.length && !trailer->buffer.value))
            return FS_E_INVALID_TOKEN;
    }
    if (wire < WRAP_TOKEN_HEADER || wire > UINT32_MAX)
        return FS_E_INVALID_TOKEN;
    uint8_t *msg = malloc(wire);
    SecBuffer *bufs = calloc((size_t)count + 1, sizeof *bufs);
    if (!msg || !bufs) {
        free(msg);
        free(bufs);
        return FS_E_NOMEM;
    }
    if (stream) {
        memcpy(msg, stream->buffer.value, wire);
    } else {
        uint8_t *at = msg;
        memcpy(at, header->buffer.value, header->buffer.length);
        at += header->buffer.length;
        for (int i = 0; i < count; i++)
            if (iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_DATA) && iov[i].buffer.length) {
                memcpy(at, iov[i].buffer.value, iov[i].buffer.length);
                at += iov[i].buffer.length;
            }
        if (trailer && trailer->buffer.length)
            memcpy(at, trailer->buffer.value, trailer->buffer.length);
    }
    size_t front;
    err = krb_wrap_split(msg, wire, &front);
    if (err == FS_OK && stream)
        data_len = wire - front;
    else if (err == FS_OK && wire - front != data_len)
        err = FS_E_INVALID_TOKEN; /* the buffers do not add up to the token's length */
    ULONG n = 0;
    if (err == FS_OK) {
        bufs[0] = (SecBuffer){(ULONG)front, SECBUFFER_TOKEN, msg};
        if (stream)
            data->buffer.length = data_len; /* one DATA buffer takes the whole message */
        n = iov_secbuffers(iov, count, msg + front, bufs);
        if (!n)
            err = FS_E_INVALID_TOKEN;
    }
    ULONG qop = 0;
    if (err == FS_OK) {
        SecBufferDesc desc = {SECBUFFER_VERSION, n, bufs};
        err = fs_gss_protect(h, FS_PROTECT_UNSEAL, 0, &desc, &qop, api);
    }
    if (err == FS_OK && stream) {
        /* MIT leaves the message in the stream, DATA pointing at it after the header and confounder, or copies it
         * to a buffer of its own (FLAG_ALLOCATE). */
        const size_t at = WRAP_TOKEN_HEADER + (qop != KRB_QOP_NO_ENCRYPT ? KRB_CONFOUNDER : 0);
        if (data->type & GSS_IOV_BUFFER_FLAG_ALLOCATE) {
            data->buffer.length = 0;
            err = iov_room(data, data_len);
            if (err == FS_OK && data_len)
                memcpy(data->buffer.value, msg + front, data_len);
        } else {
            memcpy((uint8_t *)stream->buffer.value + at, msg + front, data_len);
            data->buffer.value = (uint8_t *)stream->buffer.value + at;
            data->buffer.length = data_len;
        }
    } else if (err == FS_OK) {
        const uint8_t *plain = msg + front;
        for (int i = 0; i < count; i++)
            if (iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_DATA) && iov[i].buffer.length) {
                memcpy(iov[i].buffer.value, plain, iov[i].buffer.length);
                plain += iov[i].buffer.length;
            }
    }
    if (err != FS_OK && stream && !(data->type & GSS_IOV_BUFFER_FLAG_ALLOCATED))
        data->buffer.length = 0;
    if (err == FS_OK && conf_state)
        *conf_state = qop != KRB_QOP_NO_ENCRYPT;
    if (err == FS_OK && qop_state)
        *qop_state = GSS_C_QOP_DEFAULT;
    explicit_bzero(msg, wire);
    free(msg);
    free(bufs);
    return err;
}

OM_uint32 gssi_wrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag, gss_qop_t qop_req,
                        int *conf_state, gss_iov_buffer_desc *iov, int iov_count)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_wrap_iov), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "conf_req_flag", (uint64_t)conf_req_flag);
    fs_trace_number(&call.trace, "iov_count", (uint64_t)iov_count);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT
                   ? FS_E_QOP_NOT_SUPPORTED
                   : wrap_iov(context_handle, conf_req_flag, conf_state, iov, iov_count, call.api);
    return fs_gss_call_end(&call, minor_status);
}

OM_uint32 gssi_unwrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int *conf_state, gss_qop_t *qop_state,
                          gss_iov_buffer_desc *iov, int iov_count)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_unwrap_iov), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "iov_count", (uint64_t)iov_count);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = unwrap_iov(context_handle, conf_state, qop_state, iov, iov_count, call.api);
    return fs_gss_call_end(&call, minor_status);
}

OM_uint32 gssi_wrap_iov_length(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int conf_req_flag,
                               gss_qop_t qop_req, int *conf_state, gss_iov_buffer_desc *iov, int iov_count)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_wrap_iov_length), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "conf_req_flag", (uint64_t)conf_req_flag);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT
                   ? FS_E_QOP_NOT_SUPPORTED
                   : wrap_iov_length(context_handle, conf_req_flag, conf_state, iov, iov_count, call.api);
    return fs_gss_call_end(&call, minor_status);
}

/* ---- MICs over IOV buffers (MIT's gss_get_mic_iov, gss_verify_mic_iov, gss_get_mic_iov_length) ---- */

/* The MIC covers every DATA and SIGN_ONLY buffer in the caller's order, as MIT's mechanism and MakeSignature over
 * several data buffers both take them; the token is the one MIC_TOKEN buffer (doc/semantics.md §75). */
static fs_err mic_iov(gss_ctx_id_t h, enum fs_protect_op op, gss_iov_buffer_desc *iov, int count, const char *api)
{
    struct fs_gss_protection p;
    fs_err err = iov_protection(h, api, &p, NULL);
    if (err != FS_OK)
        return err;
    gss_iov_buffer_desc *mic = iov ? iov_find(iov, count, GSS_IOV_BUFFER_TYPE_MIC_TOKEN) : NULL;
    if (!mic || count < 1)
        return FS_E_INVALID_PARAMETER; /* MIT: EINVAL, GSS_S_FAILURE */
    if (op == FS_PROTECT_SIGN && (err = iov_room(mic, p.max_signature)) != FS_OK)
        return err;
    if (op == FS_PROTECT_VERIFY && (!mic->buffer.value || mic->buffer.length > UINT32_MAX))
        return FS_E_INVALID_TOKEN;
    SecBuffer *bufs = calloc((size_t)count, sizeof *bufs);
    if (!bufs) {
        iov_unallocate(mic);
        return FS_E_NOMEM;
    }
    ULONG n = 0;
    for (int i = 0; i < count && err == FS_OK; i++)
        if (iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_DATA) || iov_is(&iov[i], GSS_IOV_BUFFER_TYPE_SIGN_ONLY)) {
            if (iov[i].buffer.length > UINT32_MAX) /* no SecBuffer holds it: refused, not left unsigned */
                err = FS_E_INVALID_PARAMETER;
            bufs[n++] = (SecBuffer){(ULONG)iov[i].buffer.length, SECBUFFER_DATA, iov[i].buffer.value};
        }
    bufs[n++] = (SecBuffer){(ULONG)mic->buffer.length, SECBUFFER_TOKEN, mic->buffer.value};
    SecBufferDesc desc = {SECBUFFER_VERSION, n, bufs};
    ULONG qop = 0;
    if (err == FS_OK)
        err = fs_gss_protect(h, op, 0, &desc, op == FS_PROTECT_VERIFY ? &qop : NULL, api);
    if (op == FS_PROTECT_SIGN && err == FS_OK)
        mic->buffer.length = bufs[n - 1].cbBuffer;
    else if (op == FS_PROTECT_SIGN)
        iov_unallocate(mic);
    free(bufs);
    return err;
}

static fs_err mic_iov_length(gss_ctx_id_t h, gss_iov_buffer_desc *iov, int count, const char *api)
{
    struct fs_gss_protection p;
    fs_err err = iov_protection(h, api, &p, NULL);
    if (err != FS_OK)
        return err;
    gss_iov_buffer_desc *mic = iov ? iov_find(iov, count, GSS_IOV_BUFFER_TYPE_MIC_TOKEN) : NULL;
    if (!mic)
        return FS_E_INVALID_PARAMETER;
    mic->buffer.length = p.max_signature;
    return FS_OK;
}

OM_uint32 gssi_get_mic_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle, gss_qop_t qop_req,
                           gss_iov_buffer_desc *iov, int iov_count)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_get_mic_iov), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "iov_count", (uint64_t)iov_count);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT ? FS_E_QOP_NOT_SUPPORTED
                                             : mic_iov(context_handle, FS_PROTECT_SIGN, iov, iov_count, call.api);
    return fs_gss_call_end(&call, minor_status);
}

OM_uint32 gssi_verify_mic_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle, gss_qop_t *qop_state,
                              gss_iov_buffer_desc *iov, int iov_count)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_verify_mic_iov), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    fs_trace_number(&call.trace, "iov_count", (uint64_t)iov_count);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = mic_iov(context_handle, FS_PROTECT_VERIFY, iov, iov_count, call.api);
    if (call.err == FS_OK && qop_state)
        *qop_state = GSS_C_QOP_DEFAULT;
    return fs_gss_call_end(&call, minor_status);
}

OM_uint32 gssi_get_mic_iov_length(OM_uint32 *minor_status, gss_ctx_id_t context_handle, gss_qop_t qop_req,
                                  gss_iov_buffer_desc *iov, int iov_count)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_get_mic_iov_length), FS_GSS_ON_CONTEXT);
    fs_trace_handle(&call.trace, "context_handle", (uintptr_t)context_handle);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = qop_req != GSS_C_QOP_DEFAULT ? FS_E_QOP_NOT_SUPPORTED
                                             : mic_iov_length(context_handle, iov, iov_count, call.api);
    return fs_gss_call_end(&call, minor_status);
}
