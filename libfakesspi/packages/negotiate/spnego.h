/* SPNEGO tokens (RFC 4178 4.2) in DER: NegTokenInit, wrapped in the GSS-API initial-token framing, and
 * NegTokenResp. */
#ifndef FS_NEGOTIATE_SPNEGO_H
#define FS_NEGOTIATE_SPNEGO_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"
#include "packages/der.h"

/* The mechanisms we know, by OID. */
enum spnego_mech { MECH_UNKNOWN, MECH_MS_KRB5, MECH_KRB5, MECH_KRB5_U2U, MECH_NTLM, MECH_NEGOEX };

#define SPNEGO_MAX_MECHS 8

enum spnego_state {
    NEG_ACCEPT_COMPLETED = 0,
    NEG_ACCEPT_INCOMPLETE = 1,
    NEG_REJECT = 2,
    NEG_REQUEST_MIC = 3,
    NEG_ABSENT = -1
};

struct spnego_init {
    size_t nmechs;
    enum spnego_mech mechs[SPNEGO_MAX_MECHS];
    const uint8_t *mech_oids[SPNEGO_MAX_MECHS];  /* each one's OID contents, for the decoders */
    size_t mech_oid_lens[SPNEGO_MAX_MECHS];
    int has_hints;               /* Microsoft's NegTokenInit2 with negHints */
    const uint8_t *mech_list;    /* the MechTypeList's DER as it came: the mechListMIC covers it */
    size_t mech_list_len;
    const uint8_t *token;        /* optimistic mechToken, or NULL */
    size_t token_len;
    const uint8_t *mic;
    size_t mic_len;
};

struct spnego_resp {
    enum spnego_state state;
    enum spnego_mech mech;       /* supportedMech, MECH_UNKNOWN when absent */
    int has_mech;
    const uint8_t *token;        /* responseToken, or NULL */
    size_t token_len;
    const uint8_t *mic;          /* mechListMIC, or NULL */
    size_t mic_len;
};

/* The DER OID contents of a mechanism, and its name for the decoders. */
const uint8_t *spnego_mech_oid(enum spnego_mech m, size_t *len);
const char *spnego_mech_name(enum spnego_mech m);
enum spnego_mech spnego_mech_of(const uint8_t *oid, size_t len);

/* The MechTypeList DER for mechs (what the MIC covers), appended to w. */
void spnego_put_mech_list(struct fs_writer *w, const enum spnego_mech *mechs, size_t n);
/* [APPLICATION 0] { SPNEGO OID, [0] NegTokenInit { mechTypes, mechToken } } */
void spnego_put_init(struct fs_writer *w, const uint8_t *mech_list, size_t mech_list_len, const uint8_t *token,
                     size_t token_len);
/* Microsoft's NegTokenInit2, an acceptor's first word (MS-SPNG 2.2.1, 3.2.5.2): NegTokenInit with mechs and negHints
 * { hintName "not_defined_in_RFC4178@please_ignore" }, no mechToken. */
void spnego_put_init2(struct fs_writer *w, const enum spnego_mech *mechs, size_t n);
/* [1] NegTokenResp; state NEG_ABSENT, mech MECH_UNKNOWN, token or mic NULL leave the field out. */
void spnego_put_resp(struct fs_writer *w, enum spnego_state state, enum spnego_mech mech, const uint8_t *token,
                     size_t token_len, const uint8_t *mic, size_t mic_len);

/* Readers, views into in. FS_E_INVALID_TOKEN (err says where and why) for anything malformed. */
FS_MUST_CHECK fs_err spnego_parse_init(const uint8_t *in, size_t len, struct spnego_init *out, struct der_error *err);
FS_MUST_CHECK fs_err spnego_parse_resp(const uint8_t *in, size_t len, struct spnego_resp *out, struct der_error *err);
/* 1 if in starts like an initial SPNEGO token ([APPLICATION 0] with the SPNEGO OID). */
int spnego_is_init(const uint8_t *in, size_t len);

#endif
