/* Which service an AP-REQ is for, read from its clear part without a key: an acceptor with no credential
 * of its own (GSSAPI's GSS_C_NO_CREDENTIAL) answers as the account that owns that service. */
#include "krb_ticket_service.h"

#include <stdio.h>

#include "krb_gss.h"
#include "krb_messages.h"

fs_err krb_ap_req_service(const uint8_t *token, size_t len, char *spn, size_t cap)
{
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    if (krb_gss_unframe(token, len, &tok_id, &inner, &inner_len) || tok_id != KRB_TOK_AP_REQ)
        return FS_E_INVALID_TOKEN;
    struct krb_ap_req r;
    struct der_error derr;
    fs_err err = krb_parse_ap_req(inner, inner_len, &r, &derr);
    if (err != FS_OK)
        return err;
    char name[512];
    krb_principal_format(&r.sname, name, sizeof name);
    int n = snprintf(spn, cap, "%s@%s", name, r.realm ? r.realm : "");
    krb_ap_req_free(&r);
    return n < 0 || (size_t)n >= cap ? FS_E_INVALID_TOKEN : FS_OK;
}
