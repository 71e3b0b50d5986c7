/* The mechanisms the GSSAPI module takes over, one table from mechanism OID to the SSPI package that answers it
 * (doc/semantics.md §64): Kerberos under MIT's OID and Microsoft's, SPNEGO, and NTLMSSP. */
#ifndef FS_GSS_GSS_MECH_H
#define FS_GSS_GSS_MECH_H

#include <gssapi/gssapi.h>
#include <stddef.h>
#include <stdint.h>

#include "packages/package.h"

struct fs_gss_mech {
    gss_OID oid;                   /* the public OID: what the mechglue hands in and the mech type outputs say (not
                                    * const: the mechglue's prototypes take none, and never write through it) */
    const struct fs_package *pkg;  /* the SSPI package that answers it */
    const char *name;              /* for the trace */
};

/* The table, in the order gss_mech_interposer lists it, and its size. */
extern const struct fs_gss_mech fs_gss_mechs[];
extern const size_t fs_gss_mech_count;

/* Kerberos (1.2.840.113554.1.2.2): the default, and what a context whose package is Kerberos reports. */
extern const struct fs_gss_mech *const fs_gss_mech_krb5;
/* SPNEGO (1.3.6.1.5.5.2). */
extern const struct fs_gss_mech *const fs_gss_mech_spnego;

/* The entry of an OID, NULL for one the module does not take over. */
const struct fs_gss_mech *fs_gss_mech_by_oid(gss_const_OID oid);
/* The entry whose tokens an SSPI package makes (Kerberos, NTLM): what SPNEGO reports once it chose one. */
const struct fs_gss_mech *fs_gss_mech_of_package(const struct fs_package *pkg);
/* The mechanism an initial context token is for, as MIT's mechglue finds it (g_glue.c, gssint_get_mech_type): a
 * raw NTLM message is NTLMSSP, a raw AP-REQ Kerberos, else the OID of the RFC 2743 3.1 framing. NULL: none of
 * ours. */
const struct fs_gss_mech *fs_gss_mech_of_token(const uint8_t *token, size_t len);
/* Writes m's OID into the RFC 2743 3.1 framing of a token the Kerberos package made (it always writes MIT's
 * OID), as MIT's mechanism frames its tokens with the OID the context runs under; a token without framing (an
 * RFC 4121 per-message token) is left alone. */
void fs_gss_mech_frame(const struct fs_gss_mech *m, uint8_t *token, size_t len);
/* 1 when the OID is one of the table's (the mechglue must not free it). */
int fs_gss_mech_owns_oid(gss_const_OID oid);

#endif
