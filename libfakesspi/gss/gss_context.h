/* What the module's files share (libfakesspi/gss/): the handle tag, a credential's object and the credentials the
 * handshake makes (gss_cred.c), a context by its handle (gss_context.c), and what message protection needs of a
 * context (gss_protect.c, for gss_iov.c). Nothing here is exported: the module's one export list is fakesspi_gss.sym. */
#ifndef FS_GSS_CONTEXT_H
#define FS_GSS_CONTEXT_H

#include <stdint.h>

#include <gssapi/gssapi.h>

#include "core/error.h"
#include "core/object.h"
#include "gss_mech.h"
#include "sspi/context.h"
#include "sspi/protect.h"

/* The handle-table tag of every handle this module hands out, whatever its mechanism: the Kerberos package, as a
 * CtxtHandle's dwLower would carry it. */
uintptr_t fs_gss_tag(void);

/* ---- credentials (gss_cred.c) ---- */

/* A GSS credential: an SSPI credential, or none for an acceptor that answers as whichever service the
 * ticket names (GSS_C_NO_NAME: MIT's acceptor takes any key of its keytab; here the domain holds them all). */
struct fs_gss_cred {
    struct fs_object base;
    const struct fs_gss_mech *mech; /* the mechanism it was acquired for (the mechglue asks for one at a time) */
    struct fs_credential *cred; /* a reference (of mech's package), or NULL: the initiator side was not asked for */
    int accept_any;             /* accepts for every service of the domain */
    char *principal;            /* "bob@EXAMPLE.TEST": gss_inquire_cred's name; NULL for an acceptor of any service */
    int impersonated;           /* gss_acquire_cred_impersonate_name's: S4U2Proxy answers for it (doc/semantics.md §78) */
};

/* A NEW SSPI credential of pkg for the account a principal names, with the key the domain holds for it. */
FS_MUST_CHECK fs_err fs_gss_credential_for(const char *principal, const struct fs_package *pkg, uint32_t use,
                                           struct fs_credential **out);
/* The module credential behind a handle (a NEW reference). */
FS_MUST_CHECK fs_err fs_gss_get_cred(gss_cred_id_t h, const char *api, struct fs_gss_cred **out);
/* The credential a client delegated to an acceptor's context, as a NEW module credential in *out, or none
 * (doc/semantics.md §68). */
FS_MUST_CHECK fs_err fs_gss_delegated_cred(struct fs_context *ctx, const char *api, gss_cred_id_t *out);
/* 1 when h is a credential of the module that gss_acquire_cred_impersonate_name made (doc/semantics.md §78). */
int fs_gss_cred_is_impersonated(gss_cred_id_t h, const char *api);
/* *h, a module credential, handed over as the mechglue's own credential for inner (SPNEGO's delegated credential). */
FS_MUST_CHECK fs_err fs_gss_mechglue_cred(const struct fs_gss_mech *inner, gss_cred_id_t *h, const char *api);

/* ---- contexts (gss_context.c) ---- */

/* The context behind a handle (a NEW reference). */
FS_MUST_CHECK fs_err fs_gss_get_context(gss_ctx_id_t h, const char *api, struct fs_context **out);
/* gss_delete_sec_context's work: closes the handle (a misuse report if it is no context of ours). */
FS_MUST_CHECK fs_err fs_gss_delete_context(gss_ctx_id_t *handle, gss_buffer_t output_token, const char *api);
/* The principals gss_inquire_context names (under ctx->lock; borrowed from ctx). */
void fs_gss_principals(const struct fs_context *ctx, const char **client, const char **server);

/* ---- message protection (gss_protect.c) ---- */

/* The bytes a Wrap token adds to its data (RFC 4121 4.2.4 with AES): with confidentiality the header,
 * checksum, encrypted header and confounder (KRB_WRAP_TRAILER); without, the header and the 12-byte checksum. */
#define WRAP_SIGN_ONLY_OVERHEAD 28

/* What message protection needs of a complete context: the package whose tokens it makes (Negotiate's choice),
 * the sizes SECPKG_ATTR_SIZES reports for it, and the mechanism it runs under. */
struct fs_gss_protection {
    const struct fs_package *pkg;
    uint32_t max_signature, security_trailer;
    const struct fs_gss_mech *mech;
};

FS_MUST_CHECK fs_err fs_gss_protection_of(gss_ctx_id_t h, const char *api, struct fs_gss_protection *out);
/* NTLM's Wrap token is always sealed, whatever conf_req_flag says, as gss-ntlmssp makes it (doc/semantics.md §64). */
int fs_gss_always_seals(const struct fs_gss_protection *p);
/* Runs op on a complete context under its lock. */
FS_MUST_CHECK fs_err fs_gss_protect(gss_ctx_id_t h, enum fs_protect_op op, ULONG qop, PSecBufferDesc msg,
                                    ULONG *qop_out, const char *api);

#endif
