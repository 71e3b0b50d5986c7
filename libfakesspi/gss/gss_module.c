/* The MIT mechglue's view of the module: which mechanisms it interposes, names and status texts. The
 * mechglue loads the module from a GSS_MECH_CONFIG (or /etc/gss/mech.d) line with the "<interposer>" option,
 * calls gss_mech_interposer() once, and from then on sends every call for those mechanisms to the gssi_*
 * functions (MIT's "GSSAPI mechanism interface", interposer modules; doc/gssapi.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "core/alloc.h"
#include "core/names.h"
#include "gss_entry.h"
#include "gss_mech.h"
#include "gss_names.h"
#include "gssi.h"
#include "security/domain_current.h"

/* The set of mechanisms taken over (doc/semantics.md §64): the table of gss_mech.c, both Kerberos OIDs, SPNEGO and
 * NTLMSSP, made with the mechglue's own functions, as it frees it with its own. The mechglue takes over only those
 * its list already has: Kerberos and SPNEGO are built in, NTLMSSP needs a line of its own (doc/gssapi.md). */
gss_OID_set gss_mech_interposer(gss_OID mech_type)
{
    OM_uint32 minor;
    gss_OID_set set = GSS_C_NO_OID_SET;
    if (gss_create_empty_oid_set(&minor, &set) != GSS_S_COMPLETE)
        return GSS_C_NO_OID_SET;
    for (size_t i = 0; i < fs_gss_mech_count; i++) {
        if (gss_add_oid_set_member(&minor, fs_gss_mechs[i].oid, &set) != GSS_S_COMPLETE) {
            gss_release_oid_set(&minor, &set);
            return GSS_C_NO_OID_SET;
        }
    }
    return set;
}

/* ---- names ---- */

OM_uint32 gssi_import_name(OM_uint32 *minor_status, gss_buffer_t input_name_buffer,
                           gss_OID input_name_type, gss_name_t *output_name)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_import_name), FS_GSS_ON_NAME);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (!output_name) {
        call.err = FS_E_NOACCESS;
    } else {
        struct fs_gss_name *name = NULL;
        call.err = fs_gss_name_import(input_name_buffer, input_name_type, &name);
        *output_name = (gss_name_t)name;
    }
    if (fs_gss_call_outputs(&call))
        fs_trace_string(&call.trace, "output_name", ((struct fs_gss_name *)*output_name)->principal);
    return fs_gss_call_end(&call, minor_status);
}

/* The mechglue asks for a name by mechanism when it has one (MIT 1.12 and later); ours is the same. */
OM_uint32 gssi_import_name_by_mech(OM_uint32 *minor_status, gss_OID mech_type,
                                   gss_buffer_t input_name_buffer, gss_OID input_name_type,
                                   gss_name_t *output_name)
{
    return gssi_import_name(minor_status, input_name_buffer, input_name_type, output_name);
}

static fs_err display_name(gss_name_t input_name, gss_buffer_t out, gss_OID *type)
{
    const struct fs_gss_name *name = (const struct fs_gss_name *)input_name;
    if (!name)
        return FS_E_INVALID_HANDLE;
    if (!out)
        return FS_E_NOACCESS;
    size_t len = strlen(name->principal);
    out->value = malloc(len + 1); /* the caller frees it with gss_release_buffer, which calls free() */
    if (!out->value)
        return FS_E_NOMEM;
    memcpy(out->value, name->principal, len + 1);
    out->length = len;
    if (type) /* an NTLM user's "EXAMPLE\\alice" is a user name, as gss-ntlmssp types it */
        *type = strchr(name->principal, '\\') ? GSS_C_NT_USER_NAME : &fs_gss_krb5_name_type;
    return FS_OK;
}

OM_uint32 gssi_display_name(OM_uint32 *minor_status, gss_name_t input_name,
                            gss_buffer_t output_name_buffer, gss_OID *output_name_type)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_display_name), FS_GSS_ON_NAME);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = display_name(input_name, output_name_buffer, output_name_type);
    return fs_gss_call_end(&call, minor_status);
}

OM_uint32 gssi_release_name(OM_uint32 *minor_status, gss_name_t *input_name)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_release_name), FS_GSS_ON_NAME);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (!input_name || !*input_name) {
        call.err = FS_E_INVALID_HANDLE;
    } else {
        fs_gss_name_free((struct fs_gss_name *)*input_name);
        *input_name = GSS_C_NO_NAME;
    }
    return fs_gss_call_end(&call, minor_status);
}

OM_uint32 gssi_duplicate_name(OM_uint32 *minor_status, const gss_name_t src_name,
                              gss_name_t *dest_name)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_duplicate_name), FS_GSS_ON_NAME);
    const struct fs_gss_name *src = (const struct fs_gss_name *)src_name;
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    struct fs_gss_name *copy = NULL;
    call.err = !src ? FS_E_INVALID_HANDLE : !dest_name ? FS_E_NOACCESS : fs_gss_name_copy(src, &copy); /* PAC too */
    if (call.err == FS_OK)
        *dest_name = (gss_name_t)copy;
    return fs_gss_call_end(&call, minor_status);
}

OM_uint32 gssi_compare_name(OM_uint32 *minor_status, gss_name_t name1, gss_name_t name2,
                            int *name_equal)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_compare_name), FS_GSS_ON_NAME);
    const struct fs_gss_name *a = (const struct fs_gss_name *)name1, *b = (const struct fs_gss_name *)name2;
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = !a || !b ? FS_E_INVALID_HANDLE : !name_equal ? FS_E_NOACCESS : FS_OK;
    if (call.err == FS_OK)
        *name_equal = !strcmp(a->principal, b->principal);
    return fs_gss_call_end(&call, minor_status);
}

/* A call that turns a name into a buffer: the buffer emptied first (RFC 2744: outputs are set on failure too),
 * then the name checked. */
static fs_err name_to_buffer_begin(gss_name_t input, gss_buffer_t out, const struct fs_gss_name **name)
{
    if (!out)
        return FS_E_NOACCESS;
    out->length = 0;
    out->value = NULL;
    *name = (const struct fs_gss_name *)input;
    return *name ? FS_OK : FS_E_INVALID_HANDLE;
}

/* RFC 2743 3.2: 04 01, the mechanism OID's DER length (2 bytes) and DER, the name's length (4 bytes), the
 * name: the principal with its realm, as MIT's mechanism exports it. */
static fs_err export_name(gss_name_t input_name, gss_buffer_t out)
{
    const struct fs_gss_name *name;
    fs_err err = name_to_buffer_begin(input_name, out, &name);
    if (err != FS_OK)
        return err;
    char *principal;
    err = fs_gss_name_canonical(name->principal, &principal);
    if (err != FS_OK)
        return err;
    const size_t n = strlen(principal), oid_der = 2 + fs_gss_krb5_oid.length, len = 4 + oid_der + 4 + n;
    uint8_t *p = malloc(len); /* the caller frees it with gss_release_buffer, which calls free() */
    if (!p) {
        free(principal);
        return FS_E_NOMEM;
    }
    p[0] = 0x04;
    p[1] = 0x01;
    p[2] = (uint8_t)(oid_der >> 8);
    p[3] = (uint8_t)oid_der;
    p[4] = 0x06;
    p[5] = (uint8_t)fs_gss_krb5_oid.length;
    memcpy(p + 6, fs_gss_krb5_oid.elements, fs_gss_krb5_oid.length);
    uint8_t *q = p + 4 + oid_der;
    q[0] = (uint8_t)(n >> 24);
    q[1] = (uint8_t)(n >> 16);
    q[2] = (uint8_t)(n >> 8);
    q[3] = (uint8_t)n;
    memcpy(q + 4, principal, n);
    free(principal);
    out->value = p;
    out->length = len;
    return FS_OK;
}

OM_uint32 gssi_export_name(OM_uint32 *minor_status, const gss_name_t input_name, gss_buffer_t exported_name)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_export_name), FS_GSS_ON_NAME);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = export_name(input_name, exported_name);
    return fs_gss_call_end(&call, minor_status);
}

/* The name types gss_import_name takes for the mechanism (RFC 2744 5.25). The mechglue hands over the public
 * OID of the mechanism asked for: one of the module's (every one imports the same names). */
static fs_err names_for_mech(gss_OID mechanism, gss_OID_set *out)
{
    if (!out)
        return FS_E_NOACCESS;
    *out = GSS_C_NO_OID_SET;
    if (!fs_gss_mech_by_oid(mechanism))
        return FS_E_NOT_SUPPORTED;
    OM_uint32 minor;
    gss_OID_set set = GSS_C_NO_OID_SET;
    /* Made with the mechglue's own functions, as the caller frees it with gss_release_oid_set. */
    if (gss_create_empty_oid_set(&minor, &set) != GSS_S_COMPLETE)
        return FS_E_NOMEM;
    for (size_t i = 0; i < fs_gss_name_type_count; i++) {
        gss_OID_desc member = *fs_gss_name_types[i]; /* the mechglue's prototype takes no const; it copies */
        if (gss_add_oid_set_member(&minor, &member, &set) != GSS_S_COMPLETE) {
            gss_release_oid_set(&minor, &set);
            return FS_E_NOMEM;
        }
    }
    *out = set;
    return FS_OK;
}

OM_uint32 gssi_inquire_names_for_mech(OM_uint32 *minor_status, gss_OID mechanism, gss_OID_set *name_types)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_inquire_names_for_mech), FS_GSS_ON_MECH);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = names_for_mech(mechanism, name_types);
    return fs_gss_call_end(&call, minor_status);
}

/* RFC 6680 7.4: a mechanism name, with the PAC's attributes when it has one (an acceptor's source name), none
 * otherwise, as MIT's mechanism lists them (doc/semantics.md §50). The mechglue answers name_is_MN and MN_mech
 * itself and passes NULL for them. */
OM_uint32 gssi_inquire_name(OM_uint32 *minor_status, gss_name_t name, int *name_is_MN, gss_OID *MN_mech,
                            gss_buffer_set_t *attrs)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_inquire_name), FS_GSS_ON_NAME);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (attrs)
        *attrs = GSS_C_NO_BUFFER_SET;
    call.err = name ? FS_OK : FS_E_INVALID_HANDLE;
    if (call.err == FS_OK) {
        if (name_is_MN)
            *name_is_MN = 1;
        if (MN_mech)
            *MN_mech = &fs_gss_krb5_oid;
        if (attrs)
            call.err = fs_gss_name_attributes((const struct fs_gss_name *)name, attrs);
    }
    if (fs_gss_call_outputs(&call))
        fs_trace_number(&call.trace, "attributes", attrs && *attrs ? (*attrs)->count : 0);
    return fs_gss_call_end(&call, minor_status);
}

/* RFC 6680 7.5 as MIT's mechanism answers it for a PAC's buffer: its bytes, authenticated (the acceptor verified
 * the server signature) and complete, no display value, and one value only: *more must come in as -1 and goes
 * out 0; a second call, an attribute the PAC does not hold or a name without a PAC is GSS_S_UNAVAILABLE
 * (doc/semantics.md §50). */
static fs_err get_name_attribute(gss_name_t input, gss_buffer_t attr, int *authenticated, int *complete,
                                 gss_buffer_t value, gss_buffer_t display_value, int *more)
{
    const struct fs_gss_name *name = (const struct fs_gss_name *)input;
    if (display_value) {
        display_value->length = 0;
        display_value->value = NULL;
    }
    if (value) {
        value->length = 0;
        value->value = NULL;
    }
    if (!name)
        return FS_E_INVALID_HANDLE;
    if (!more)
        return FS_E_NOACCESS;
    const uint8_t *bytes = NULL;
    size_t len = 0;
    fs_err err = *more != -1 ? FS_E_NOT_SUPPORTED : fs_gss_name_attribute(name, attr, &bytes, &len);
    *more = 0;
    if (err != FS_OK)
        return err;
    if (value) {
        value->value = malloc(len ? len : 1); /* the caller frees it with gss_release_buffer, which calls free() */
        if (!value->value)
            return FS_E_NOMEM;
        if (len)
            memcpy(value->value, bytes, len);
        value->length = len;
    }
    if (authenticated)
        *authenticated = 1;
    if (complete)
        *complete = 1;
    return FS_OK;
}

OM_uint32 gssi_get_name_attribute(OM_uint32 *minor_status, gss_name_t name, gss_buffer_t attr, int *authenticated,
                                  int *complete, gss_buffer_t value, gss_buffer_t display_value, int *more)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_get_name_attribute), FS_GSS_ON_NAME_ATTRIBUTE);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    if (call.trace.on && attr && attr->value) {
        char text[128];
        size_t n = attr->length < sizeof text - 1 ? attr->length : sizeof text - 1;
        memcpy(text, attr->value, n);
        text[n] = '\0';
        fs_trace_string(&call.trace, "attr", text);
    }
    call.err = get_name_attribute(name, attr, authenticated, complete, value, display_value, more);
    if (fs_gss_call_outputs(&call) && value)
        fs_trace_number(&call.trace, "value", value->length);
    return fs_gss_call_end(&call, minor_status);
}

/* The local account a principal stands for: the account of the fake domain it names (a user by its name, a
 * service by the account that owns it), as MIT maps a principal of the default realm to its first component. */
static fs_err localname(gss_name_t input, gss_buffer_t out)
{
    const struct fs_gss_name *name;
    fs_err err = name_to_buffer_begin(input, out, &name);
    if (err != FS_OK)
        return err;
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = d ? fs_gss_name_account(d, name->principal) : NULL;
    char *account = u ? fs_strdup(u->name) : NULL;
    fs_domain_release();
    if (!d)
        return FS_E_DOMAIN_UNUSABLE;
    if (!u)
        return FS_E_NONE_MAPPED;
    if (!account)
        return FS_E_NOMEM;
    out->value = account; /* the caller frees it with gss_release_buffer, which calls free() */
    out->length = strlen(account);
    return FS_OK;
}

OM_uint32 gssi_localname(OM_uint32 *minor_status, const gss_name_t name, gss_const_OID mech_type,
                         gss_buffer_t localname_buffer)
{
    struct fs_gss_call call;
    fs_gss_call_begin(&call, FS_GSS_API(gss_localname), FS_GSS_ON_NAME);
    if (!fs_gss_call_proceed(&call))
        return fs_gss_call_end(&call, minor_status);
    call.err = localname(name, localname_buffer);
    if (fs_gss_call_outputs(&call))
        fs_trace_string(&call.trace, "localname", localname_buffer->value);
    return fs_gss_call_end(&call, minor_status);
}

/* ---- status texts ---- */

/* A minor status is the SECURITY_STATUS the SSPI side returns for the same outcome: its name. The
 * mechglue answers GSS_C_GSS_CODE itself. */
OM_uint32 gssi_display_status(OM_uint32 *minor_status, OM_uint32 status_value, int status_type,
                              gss_OID mech_type, OM_uint32 *message_context,
                              gss_buffer_t status_string)
{
    if (minor_status)
        *minor_status = 0;
    if (!status_string)
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    if (status_type != GSS_C_MECH_CODE)
        return GSS_S_BAD_STATUS;
    const char *name = fs_status_name((int32_t)status_value);
    char text[160];
    if (name)
        snprintf(text, sizeof text, "fakesspi: %s", name);
    else
        snprintf(text, sizeof text, "fakesspi: status %#x", (unsigned)status_value);
    size_t len = strlen(text);
    if (!(status_string->value = malloc(len + 1))) {
        status_string->length = 0;
        return GSS_S_FAILURE;
    }
    memcpy(status_string->value, text, len + 1);
    status_string->length = len;
    if (message_context)
        *message_context = 0;
    return GSS_S_COMPLETE;
}

/* The mechglue offers every OID it is about to free to each mechanism first: the name type gss_display_name
 * hands out and the mechanism OIDs of the table are the module's static ones, not to be freed. */
OM_uint32 gssi_internal_release_oid(OM_uint32 *minor_status, gss_OID *oid)
{
    if (minor_status)
        *minor_status = 0;
    if (!oid || (*oid != &fs_gss_krb5_name_type && *oid != &fs_gss_krb5_oid && !fs_gss_mech_owns_oid(*oid)))
        return GSS_S_CONTINUE_NEEDED; /* not ours: the mechglue asks the next mechanism */
    *oid = GSS_C_NO_OID;
    return GSS_S_COMPLETE;
}
