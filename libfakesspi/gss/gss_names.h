/* GSSAPI names of the Kerberos mechanism: a principal's text, and how it maps to the fake domain. */
#ifndef FS_GSS_GSS_NAMES_H
#define FS_GSS_GSS_NAMES_H

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "security/domain.h"

/* The mechanism's internal name (what gss_name_t points to for the mechglue): one principal as text,
 * "alice@EXAMPLE.TEST" or "host/server.example.test" (no realm: the domain's). */
struct fs_gss_name {
    char *principal;
    uint8_t *pac;   /* an acceptor's source name: the ticket's PAC, whole, as verified (doc/gssapi.md); else NULL */
    size_t pac_len;
};

/* RFC 2743 name types into a NEW name: GSS_C_NT_HOSTBASED_SERVICE ("host@server.example.test" becomes
 * "host/server.example.test"), GSS_C_NT_USER_NAME, the Kerberos principal name type and GSS_C_NO_OID (the
 * text as it is), GSS_C_NT_EXPORT_NAME (RFC 2743 3.2 with the Kerberos OID). FS_E_NOT_SUPPORTED for any
 * other type, FS_E_INVALID_DATA for text that names nothing. */
FS_MUST_CHECK fs_err fs_gss_name_import(const gss_buffer_t text, const gss_OID type, struct fs_gss_name **out);
/* A NEW name for a principal's text. */
FS_MUST_CHECK fs_err fs_gss_name_new(const char *principal, struct fs_gss_name **out);
void fs_gss_name_free(struct fs_gss_name *name);
/* A NEW copy of a name, with its PAC. */
FS_MUST_CHECK fs_err fs_gss_name_copy(const struct fs_gss_name *src, struct fs_gss_name **out);
/* Gives name a copy of a verified PAC's bytes. */
FS_MUST_CHECK fs_err fs_gss_name_set_pac(struct fs_gss_name *name, const uint8_t *pac, size_t len);

/* RFC 6680 name attributes as MIT's Kerberos mechanism names a PAC's (its "mspac" authorization data module,
 * doc/semantics.md §50): "urn:mspac:" the whole PAC, then one per PAC buffer in the PAC's order,
 * "urn:mspac:logon-info" and the other types MIT names, "urn:mspac:<type>" for the rest. A NEW set made with the
 * mechglue's own calls, GSS_C_NO_BUFFER_SET for a name without a PAC. */
FS_MUST_CHECK fs_err fs_gss_name_attributes(const struct fs_gss_name *name, gss_buffer_set_t *out);
/* The bytes of one attribute (the name matched without regard to case): BORROWED from name.
 * FS_E_NOT_SUPPORTED (GSS_S_UNAVAILABLE) for a name without a PAC, an attribute MIT does not name, or a
 * buffer the PAC does not hold. */
FS_MUST_CHECK fs_err fs_gss_name_attribute(const struct fs_gss_name *name, const gss_buffer_t attr,
                                           const uint8_t **value, size_t *len);

/* The account of d that a name stands for: a user by its name (with or without "@REALM"), a service by one
 * of its SPNs. NULL if none, or the realm is not the domain's. BORROWED from d. */
const struct fs_user *fs_gss_name_account(const struct fs_domain *d, const char *principal);

/* A NEW text of a principal with its realm: "bob" is "bob@EXAMPLE.TEST", "host/server.example.test" is
 * "host/server.example.test@EXAMPLE.TEST" (RFC 1964 2.1.1; the domain's realm); a principal that has one stays
 * as it is. */
FS_MUST_CHECK fs_err fs_gss_name_canonical(const char *principal, char **out);

/* The name types the mechanism imports (RFC 2744 5.25, gss_inquire_names_for_mech), and their number. */
extern const gss_OID_desc *const fs_gss_name_types[];
extern const size_t fs_gss_name_type_count;

/* The Kerberos mechanism OID (1.2.840.113554.1.2.2) and its principal name type (1.2.840.113554.1.2.2.1). */
extern gss_OID_desc fs_gss_krb5_oid;
extern gss_OID_desc fs_gss_krb5_name_type;

#endif
