/* Which service an AP-REQ is for, read without a key (for an acceptor that names no credential). */
#ifndef FS_KERBEROS_KRB_TICKET_SERVICE_H
#define FS_KERBEROS_KRB_TICKET_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* The ticket's "sname@REALM" of a GSS-framed AP-REQ (RFC 4121 4.1) into spn; FS_E_INVALID_TOKEN for
 * anything else, or a name longer than cap. */
FS_MUST_CHECK fs_err krb_ap_req_service(const uint8_t *token, size_t len, char *spn, size_t cap);

#endif
