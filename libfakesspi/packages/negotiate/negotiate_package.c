/* The Negotiate package: SPNEGO (RFC 4178) around Kerberos or NTLM, chosen as Windows chooses
 * (MS-SPNG): Kerberos when the target is a service of the domain and the credential allows it, NTLM
 * otherwise. The inner packages come from the registry; Negotiate drives their legs and then lends
 * them its message protection. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "packages/package.h"
#include "core/clock.h"
#include "packages/package_list.h"
#include "security/account_policy.h"
#include "spnego.h"
#include "sspi.h"

struct nego_state {
    int server;
    const struct fs_package *inner;
    void *inner_state;
    enum spnego_mech mech;          /* as the server named it in supportedMech */
    int raw;                        /* server: the client sent a bare NTLM or Kerberos token */
    int spoke_first;                /* server: sent a NegTokenInit2 and waits for the client's NegTokenInit */
    int done;
    int mic_exchange;               /* NTLM: both sides send a mechListMIC (MS-SPNG 3.1.5.1) */
    int mic_required;               /* not the initiator's first choice: no MIC, no success (doc/semantics.md §32) */
    int sent_mic;
    int inner_finished;             /* client: the inner package finished with a token for the acceptor (Kerberos'
                                     * DCE-style third leg), whose verdict is to come (doc/semantics.md §60) */
    uint32_t ret_flags;             /* the inner package's latest, reported on every leg */
    uint64_t expiry;
    struct fs_writer mech_list;     /* the MechTypeList DER the initiator sent: what the MIC covers */
};

static void free_state(void *p)
{
    struct nego_state *s = p;
    if (!s)
        return;
    if (s->inner && s->inner_state)
        s->inner->free_state(s->inner_state);
    fs_writer_free(&s->mech_list);
    free(s);
}

static const struct fs_package *package_of(enum spnego_mech m)
{
    return m == MECH_NTLM ? &fs_ntlm_package : m == MECH_KRB5 || m == MECH_MS_KRB5 ? &fs_kerberos_package : NULL;
}

/* Runs one leg of the inner package; its token lands in inner_out->token. */
static fs_err inner_step(struct nego_state *s, const struct fs_identity *id, const struct fs_step_in *in,
                         const uint8_t *token, size_t token_len, struct fs_step_out *inner_out)
{
    struct fs_step_in step = *in;
    step.token = token;
    step.token_len = token_len;
    if (s->inner == &fs_kerberos_package && !s->server)
        step.req_flags |= ISC_REQ_MUTUAL_AUTH; /* Negotiate always has Kerberos authenticate the server */
    return s->server ? s->inner->server_step(&s->inner_state, id, &step, inner_out)
                     : s->inner->client_step(&s->inner_state, id, &step, inner_out);
}

/* Moves what the inner leg produced (besides its token) to Negotiate's own result. */
static void adopt(struct nego_state *s, struct fs_step_out *out, struct fs_step_out *inner_out)
{
    s->ret_flags = inner_out->ret_flags;
    if (inner_out->expiry)
        s->expiry = inner_out->expiry;
    out->peer_token = inner_out->peer_token;
    out->peer_name = inner_out->peer_name;
    out->commit = inner_out->commit;
    out->commit_arg = inner_out->commit_arg;
    inner_out->peer_token = NULL;
    inner_out->peer_name = NULL;
    inner_out->commit = NULL;
    inner_out->commit_arg = NULL;
}

static void drop(struct fs_step_out *inner_out)
{
    fs_writer_free(&inner_out->token);
    fs_token_unref(inner_out->peer_token);
    free(inner_out->peer_name);
    free(inner_out->commit_arg);
}

/* The mechListMIC: the inner package's signature over the initiator's MechTypeList. */
static fs_err make_mic(struct nego_state *s, uint8_t *mic, size_t *len)
{
    uint8_t *part = s->mech_list.data;
    size_t part_len = s->mech_list.len;
    *len = s->inner->max_signature;
    return s->inner->sign(s->inner_state, &part, &part_len, 1, mic, *len);
}

static fs_err check_mic(struct nego_state *s, const uint8_t *mic, size_t mic_len)
{
    uint8_t *part = s->mech_list.data;
    size_t part_len = s->mech_list.len;
    fs_err err = s->inner->verify(s->inner_state, &part, &part_len, 1, mic, mic_len);
    return err == FS_OK ? FS_OK : FS_E_LOGON_DENIED;
}

static void finish_mic_exchange(struct nego_state *s)
{
    if (s->inner->reset_crypto)
        s->inner->reset_crypto(s->inner_state);
}

/* ---- the initiator ---- */

/* An acceptor that spoke first sent its mechanisms in a NegTokenInit2: the initiator offers only those of its own
 * that are among them (doc/semantics.md §74). */
static fs_err acceptor_offer(const struct fs_step_in *in, int *kerberos, int *ntlm)
{
    struct spnego_init offer;
    struct der_error derr;
    if (spnego_parse_init(in->token, in->token_len, &offer, &derr) || offer.token)
        return FS_E_INVALID_TOKEN;
    int offered_kerberos = 0, offered_ntlm = 0;
    for (size_t i = 0; i < offer.nmechs; i++) {
        offered_kerberos |= package_of(offer.mechs[i]) == &fs_kerberos_package;
        offered_ntlm |= package_of(offer.mechs[i]) == &fs_ntlm_package;
    }
    if (!offered_kerberos && !offered_ntlm)
        return FS_E_INVALID_TOKEN; /* nothing we speak, as the acceptor answers such a list */
    *kerberos &= offered_kerberos;
    *ntlm &= offered_ntlm;
    return FS_OK;
}

static fs_err client_start(struct nego_state *s, const struct fs_identity *id, const struct fs_step_in *in,
                           struct fs_step_out *out)
{
    int kerberos = fs_package_list_allows(in->package_list, "Kerberos");
    /* A domain that denies NTLM: Kerberos or nothing, never a fall back to NTLM (doc/semantics.md §57). */
    int ntlm = fs_package_list_allows(in->package_list, "NTLM") && fs_domain_policy_allows_ntlm();
    if (in->token && acceptor_offer(in, &kerberos, &ntlm) != FS_OK)
        return FS_E_INVALID_TOKEN;
    struct fs_step_out inner_out = {0};
    fs_writer_init(&inner_out.token);
    enum spnego_mech list[3];
    size_t n = 0;
    fs_err err = FS_E_NO_CREDENTIALS;
    if (kerberos) {
        s->inner = &fs_kerberos_package;
        err = inner_step(s, id, in, NULL, 0, &inner_out);
        if (err == FS_OK) {
            list[n++] = MECH_MS_KRB5;
            list[n++] = MECH_KRB5;
            if (ntlm)
                list[n++] = MECH_NTLM;
        } else if (err == FS_E_TARGET_UNKNOWN && ntlm) {
            drop(&inner_out); /* not a service of the domain: NTLM, as Windows falls back */
            inner_out = (struct fs_step_out){0};
            fs_writer_init(&inner_out.token);
        }
    }
    if (!n && ntlm && (err == FS_E_TARGET_UNKNOWN || !kerberos)) {
        s->inner = &fs_ntlm_package;
        err = inner_step(s, id, in, NULL, 0, &inner_out);
        list[n++] = MECH_NTLM;
    }
    if (err == FS_OK) {
        spnego_put_mech_list(&s->mech_list, list, n);
        spnego_put_init(&out->token, s->mech_list.data, s->mech_list.len, inner_out.token.data, inner_out.token.len);
        if (s->mech_list.failed || out->token.failed)
            err = FS_E_NOMEM;
        adopt(s, out, &inner_out);
        s->mech = list[0];
        s->mic_exchange = list[0] == MECH_NTLM;
    }
    drop(&inner_out);
    return err;
}

static fs_err client_continue(struct nego_state *s, const struct fs_identity *id, const struct fs_step_in *in,
                              struct fs_step_out *out)
{
    struct spnego_resp r;
    struct der_error derr;
    if (!in->token || spnego_parse_resp(in->token, in->token_len, &r, &derr))
        return FS_E_INVALID_TOKEN;
    if (r.state == NEG_REJECT)
        return FS_E_LOGON_DENIED;
    if (r.has_mech && !s->inner_state)
        return FS_E_INVALID_TOKEN;
    /* The server chose another of our mechanisms than the optimistic one: start that one now. */
    if (r.has_mech && package_of(r.mech) != s->inner) {
        if (!package_of(r.mech) || r.token)
            return FS_E_INVALID_TOKEN;
        s->inner->free_state(s->inner_state);
        s->inner_state = NULL;
        s->inner = package_of(r.mech);
        s->mech = r.mech;
        s->mic_exchange = 1; /* not the first mechanism: RFC 4178 5 asks for the MIC */
        s->mic_required = 1;
        struct fs_step_out inner_out = {0};
        fs_writer_init(&inner_out.token);
        fs_err err = inner_step(s, id, in, NULL, 0, &inner_out);
        if (err == FS_OK) {
            spnego_put_resp(&out->token, NEG_ABSENT, MECH_UNKNOWN, inner_out.token.data, inner_out.token.len, NULL, 0);
            adopt(s, out, &inner_out);
        }
        drop(&inner_out);
        return err;
    }
    struct fs_step_out inner_out = {0};
    fs_writer_init(&inner_out.token);
    fs_err err = FS_OK;
    int inner_done = s->inner_state && !r.token; /* nothing new for the inner package */
    if (r.token) {
        err = inner_step(s, id, in, r.token, r.token_len, &inner_out);
        inner_done = err == FS_OK && inner_out.complete;
        if (err == FS_OK)
            adopt(s, out, &inner_out);
    } else if (!s->sent_mic && !s->inner_finished) {
        err = FS_E_INVALID_TOKEN; /* a response with nothing in it */
    }
    uint8_t mic[64];
    size_t mic_len = 0;
    if (err == FS_OK && inner_done && r.mic) {
        err = check_mic(s, r.mic, r.mic_len);
        s->done = err == FS_OK;
    } else if (err == FS_OK && inner_done && s->mic_exchange && !s->sent_mic) {
        err = make_mic(s, mic, &mic_len);
        s->sent_mic = err == FS_OK;
    } else if (err == FS_OK && inner_done && inner_out.token.len && r.state == NEG_ACCEPT_INCOMPLETE) {
        /* Kerberos in DCE style finished with its third leg, which the acceptor has yet to take: send it and wait
         * for accept-completed (doc/semantics.md §60). */
        s->inner_finished = 1;
    } else if (err == FS_OK && inner_done && s->mic_required) {
        /* We sent our MIC and the acceptor finished without its own: a man in the middle may have rewritten
         * our mechanism list (RFC 4178 5: the MIC is not optional when our first choice was not taken). */
        err = FS_E_DOWNGRADE_DETECTED;
    } else if (err == FS_OK && inner_done) {
        s->done = r.state == NEG_ACCEPT_COMPLETED || r.state == NEG_ABSENT;
        if (!s->done)
            err = FS_E_INVALID_TOKEN;
    }
    /* Once MICs went either way, both sides restart message protection. */
    if (err == FS_OK && s->done && (s->sent_mic || r.mic))
        finish_mic_exchange(s);
    if (err == FS_OK && (inner_out.token.len || mic_len)) {
        spnego_put_resp(&out->token, NEG_ABSENT, MECH_UNKNOWN, inner_out.token.len ? inner_out.token.data : NULL,
                        inner_out.token.len, mic_len ? mic : NULL, mic_len);
        if (out->token.failed)
            err = FS_E_NOMEM;
    }
    drop(&inner_out);
    if (err == FS_OK && s->done) {
        out->complete = 1;
        out->expiry = s->expiry;
    }
    out->ret_flags = s->ret_flags;
    return err;
}

static fs_err client_step(void **state, const struct fs_identity *id, const struct fs_step_in *in,
                          struct fs_step_out *out)
{
    struct nego_state *s = *state;
    if (!s) {
        if (!(s = fs_calloc(1, sizeof *s)))
            return FS_E_NOMEM;
        fs_writer_init(&s->mech_list);
        fs_err err = client_start(s, id, in, out);
        if (err != FS_OK) {
            fs_token_unref(out->peer_token);
            out->peer_token = NULL;
            free_state(s);
            return err;
        }
        out->ret_flags = s->ret_flags;
        *state = s;
        return FS_OK; /* always a second leg: the server answers with a NegTokenResp */
    }
    if (s->done)
        return FS_E_OUT_OF_SEQUENCE;
    return client_continue(s, id, in, out);
}

/* ---- the acceptor ---- */

static int is_raw_ntlm(const uint8_t *t, size_t n) { return n >= 8 && !memcmp(t, "NTLMSSP", 8); }

static fs_err server_first(struct nego_state *s, const struct fs_identity *id, const struct fs_step_in *in,
                           struct fs_step_out *out, struct fs_step_out *inner_out)
{
    /* Windows' Negotiate also takes a bare NTLM or Kerberos token, and answers in kind. */
    if (is_raw_ntlm(in->token, in->token_len) || (!spnego_is_init(in->token, in->token_len) && in->token_len > 2 &&
                                                  in->token[0] == 0x60)) {
        s->raw = 1;
        s->inner = is_raw_ntlm(in->token, in->token_len) ? &fs_ntlm_package : &fs_kerberos_package;
        fs_err err = inner_step(s, id, in, in->token, in->token_len, inner_out);
        if (err == FS_OK)
            fs_write_bytes(&out->token, inner_out->token.data, inner_out->token.len);
        s->done = err == FS_OK && inner_out->complete;
        return err;
    }
    struct spnego_init init;
    struct der_error derr;
    if (spnego_parse_init(in->token, in->token_len, &init, &derr))
        return FS_E_INVALID_TOKEN;
    size_t chosen = SIZE_MAX;
    for (size_t i = 0; i < init.nmechs && chosen == SIZE_MAX; i++)
        if (package_of(init.mechs[i]))
            chosen = i;
    if (chosen == SIZE_MAX)
        return FS_E_INVALID_TOKEN; /* nothing we speak */
    fs_write_bytes(&s->mech_list, init.mech_list, init.mech_list_len);
    s->inner = package_of(init.mechs[chosen]);
    s->mech = init.mechs[chosen];
    s->mic_exchange = chosen != 0 || s->inner == &fs_ntlm_package;
    s->mic_required = chosen != 0;
    if (chosen != 0 || !init.token) {
        /* The optimistic token (if any) was for another mechanism: name ours and wait. */
        spnego_put_resp(&out->token, NEG_ACCEPT_INCOMPLETE, s->mech, NULL, 0, NULL, 0);
        return out->token.failed ? FS_E_NOMEM : FS_OK;
    }
    fs_err err = inner_step(s, id, in, init.token, init.token_len, inner_out);
    if (err != FS_OK)
        return err;
    s->done = inner_out->complete && !s->mic_exchange;
    spnego_put_resp(&out->token, s->done ? NEG_ACCEPT_COMPLETED : NEG_ACCEPT_INCOMPLETE, s->mech,
                    inner_out->token.len ? inner_out->token.data : NULL, inner_out->token.len, NULL, 0);
    return FS_OK;
}

/* AcceptSecurityContext with no input token: the acceptor speaks first, as SMB servers have it, with a NegTokenInit2
 * naming what it accepts (doc/semantics.md §74). */
static fs_err server_speak_first(struct nego_state *s, const struct fs_step_in *in, struct fs_step_out *out)
{
    enum spnego_mech list[4];
    size_t n = 0;
    if (fs_package_list_allows(in->package_list, "Kerberos")) {
        list[n++] = MECH_MS_KRB5;
        list[n++] = MECH_KRB5;
        list[n++] = MECH_KRB5_U2U;
    }
    if (fs_package_list_allows(in->package_list, "NTLM") && fs_domain_policy_allows_ntlm())
        list[n++] = MECH_NTLM;
    if (!n)
        return FS_E_NO_CREDENTIALS;
    spnego_put_init2(&out->token, list, n);
    s->spoke_first = 1;
    return FS_OK;
}

static fs_err server_continue(struct nego_state *s, const struct fs_identity *id, const struct fs_step_in *in,
                              struct fs_step_out *out, struct fs_step_out *inner_out)
{
    if (s->raw) {
        fs_err err = inner_step(s, id, in, in->token, in->token_len, inner_out);
        if (err == FS_OK)
            fs_write_bytes(&out->token, inner_out->token.data, inner_out->token.len);
        s->done = err == FS_OK && inner_out->complete;
        return err;
    }
    struct spnego_resp r;
    struct der_error derr;
    if (!in->token || spnego_parse_resp(in->token, in->token_len, &r, &derr) || !r.token)
        return FS_E_INVALID_TOKEN;
    fs_err err = inner_step(s, id, in, r.token, r.token_len, inner_out);
    if (err != FS_OK)
        return err;
    uint8_t mic[64];
    size_t mic_len = 0;
    if (inner_out->complete && s->mic_required && !r.mic)
        return FS_E_DOWNGRADE_DETECTED; /* not the initiator's first choice, and no MIC to show it chose so */
    if (inner_out->complete && s->mic_exchange) {
        /* The client's MIC first (MS-SPNG 3.2.5.1), then ours; then both sides start afresh. */
        if (r.mic)
            err = check_mic(s, r.mic, r.mic_len);
        if (err == FS_OK && r.mic)
            err = make_mic(s, mic, &mic_len);
        if (err == FS_OK && r.mic)
            finish_mic_exchange(s);
    }
    if (err != FS_OK)
        return err;
    s->done = inner_out->complete;
    spnego_put_resp(&out->token, s->done ? NEG_ACCEPT_COMPLETED : NEG_ACCEPT_INCOMPLETE, MECH_UNKNOWN,
                    inner_out->token.len ? inner_out->token.data : NULL, inner_out->token.len,
                    mic_len ? mic : NULL, mic_len);
    return FS_OK;
}

static fs_err server_step(void **state, const struct fs_identity *id, const struct fs_step_in *in,
                          struct fs_step_out *out)
{
    struct nego_state *s = *state;
    int first = !s;
    if (first) {
        if (!(s = fs_calloc(1, sizeof *s)))
            return FS_E_NOMEM;
        s->server = 1;
        fs_writer_init(&s->mech_list);
    } else if (s->done) {
        return FS_E_OUT_OF_SEQUENCE;
    }
    struct fs_step_out inner_out = {0};
    fs_writer_init(&inner_out.token);
    fs_err err;
    if (first && !in->token) {
        err = server_speak_first(s, in, out);
    } else if (!in->token) {
        err = FS_E_INVALID_TOKEN;
    } else if (first || s->spoke_first) {
        s->spoke_first = 0; /* the client's NegTokenInit comes as a first token would */
        err = server_first(s, id, in, out, &inner_out);
    } else {
        err = server_continue(s, id, in, out, &inner_out);
    }
    if (err == FS_OK && (out->token.failed || s->mech_list.failed))
        err = FS_E_NOMEM;
    if (err == FS_OK) {
        adopt(s, out, &inner_out);
        out->complete = s->done;
        out->ret_flags = s->ret_flags;
        out->expiry = s->done ? s->expiry : 0;
    }
    drop(&inner_out);
    if (first) {
        if (err == FS_OK)
            *state = s;
        else
            free_state(s);
    }
    return err;
}

/* ---- after the handshake: the chosen package does the work ---- */

static fs_err sign(void *p, uint8_t *const *parts, const size_t *lens, size_t n, uint8_t *sig, size_t sig_len)
{
    struct nego_state *s = p;
    return s->inner->sign(s->inner_state, parts, lens, n, sig, sig_len);
}

static fs_err verify(void *p, uint8_t *const *parts, const size_t *lens, size_t n, const uint8_t *sig,
                     size_t sig_len)
{
    struct nego_state *s = p;
    return s->inner->verify(s->inner_state, parts, lens, n, sig, sig_len);
}

static fs_err seal(void *p, uint32_t qop, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only,
                   size_t n, uint8_t *sig, size_t *sig_len)
{
    struct nego_state *s = p;
    return s->inner->seal(s->inner_state, qop, parts, lens, sign_only, n, sig, sig_len);
}

static fs_err unseal(void *p, uint8_t *const *parts, const size_t *lens, const uint8_t *sign_only, size_t n,
                     const uint8_t *sig, size_t sig_len, uint32_t *qop)
{
    struct nego_state *s = p;
    return s->inner->unseal(s->inner_state, parts, lens, sign_only, n, sig, sig_len, qop);
}

/* A whole message splits as the chosen package's does; NTLM's takes no stream buffers. */
static fs_err stream_split(const void *p, const uint8_t *msg, size_t len, size_t *trailer_len)
{
    const struct nego_state *s = p;
    if (!s->inner || !s->inner->stream_split)
        return FS_E_INVALID_TOKEN;
    return s->inner->stream_split(s->inner_state, msg, len, trailer_len);
}

static fs_err session_key(void *p, uint8_t *key, size_t *len)
{
    struct nego_state *s = p;
    return s->inner->session_key(s->inner_state, key, len);
}

static void key_info(const void *p, struct fs_key_info *out)
{
    const struct nego_state *s = p;
    s->inner->key_info(s->inner_state, out);
}

static void sizes(const void *p, uint32_t *max_signature, uint32_t *security_trailer)
{
    const struct nego_state *s = p;
    if (s->inner && s->inner->sizes && s->inner_state)
        s->inner->sizes(s->inner_state, max_signature, security_trailer);
}

static void native_names(const void *p, const char **client, const char **server)
{
    const struct nego_state *s = p;
    *client = *server = NULL;
    if (s->inner && s->inner->native_names)
        s->inner->native_names(s->inner_state, client, server);
}

static const struct fs_package *selected(const void *p, const void **chosen_state)
{
    const struct nego_state *s = p;
    *chosen_state = s->inner_state;
    return s->inner;
}

/* The packed form names the chosen package and carries its own packed state. */
#define NEGO_EXPORT_VERSION 1

static fs_err export_state(void *p, int reset, struct fs_writer *w)
{
    struct nego_state *s = p;
    fs_write_u8(w, NEGO_EXPORT_VERSION);
    fs_write_u8(w, (uint8_t)fs_package_index(s->inner));
    fs_write_u8(w, (uint8_t)s->mech);
    return s->inner->export_state(s->inner_state, reset, w);
}

static fs_err import_state(struct fs_reader *r, void **out)
{
    uint8_t version = fs_read_u8(r);
    const struct fs_package *inner = fs_package_at(fs_read_u8(r));
    uint8_t mech = fs_read_u8(r);
    if (r->failed || version != NEGO_EXPORT_VERSION || (inner != &fs_ntlm_package && inner != &fs_kerberos_package))
        return FS_E_INVALID_TOKEN;
    struct nego_state *s = fs_calloc(1, sizeof *s);
    if (!s)
        return FS_E_NOMEM;
    fs_writer_init(&s->mech_list);
    fs_err err = inner->import_state(r, &s->inner_state);
    if (err != FS_OK) {
        free(s);
        return err;
    }
    s->inner = inner;
    s->mech = (enum spnego_mech)mech;
    s->done = 1;
    *out = s;
    return FS_OK;
}

/* A credential Negotiate may use Kerberos with expires with Kerberos' TGT; one limited to NTLM never expires
 * (doc/semantics.md §62). */
static uint64_t credential_expiry(const struct fs_identity *id, const char *package_list)
{
    if (!fs_package_list_allows(package_list, "Kerberos"))
        return (uint64_t)FS_TIME_NEVER;
    return fs_kerberos_package.credential_expiry(id, NULL);
}

const struct fs_package fs_negotiate_package = {
    .name = "Negotiate",
    .comment = "Microsoft Package Negotiator",
    .capabilities = 0x83BB3, /* doc/semantics.md §5 */
    .version = 1,
    .rpcid = 9,
    .max_token = 48256,
    .max_signature = 16, /* before a choice: NTLM's; after, the chosen package speaks (selected) */
    .block_size = 0,
    .security_trailer = 16,
    .client_step = client_step,
    .server_step = server_step,
    .free_state = free_state,
    .sign = sign,
    .verify = verify,
    .seal = seal,
    .unseal = unseal,
    .stream_split = stream_split,
    .session_key = session_key,
    .export_state = export_state,
    .import_state = import_state,
    .key_info = key_info,
    .sizes = sizes,
    .native_names = native_names,
    .selected = selected,
    .credential_expiry = credential_expiry,
};
