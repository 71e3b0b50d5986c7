/* The KRB-CRED message (RFC 4120 5.8) that carries a forwarded TGT inside the authenticator checksum (RFC 4121
 * 4.1.1), the ticket flags of delegation, and the Ticket of an AP-REQ whole (doc/semantics.md §54). */
#ifndef FS_KERBEROS_KRB_CRED_H
#define FS_KERBEROS_KRB_CRED_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"
#include "krb_messages.h"

/* TicketFlags (RFC 4120 5.3), bit 0 the most significant: what a forwarded TGT and a ticket to a service trusted
 * for delegation carry. */
#define KRB_TKT_FORWARDED 0x20000000u
#define KRB_TKT_OK_AS_DELEGATE 0x00040000u

/* Key usage of EncKrbCredPart (RFC 4120 7.5.1). */
#define KRB_USAGE_KRB_CRED 14

/* One ticket of a KRB-CRED with what KrbCredInfo says of it. */
struct krb_cred {
    uint8_t *ticket;                /* the DER Ticket: owned when opened, lent when built */
    size_t ticket_len;
    struct krb_key key;             /* the ticket's session key */
    char *prealm;                   /* owned when opened, lent when built */
    struct krb_principal pname;
    uint32_t flags;
    uint64_t authtime, starttime, endtime, renew_till;
    char *srealm;                   /* owned when opened, lent when built */
    struct krb_principal sname;
};

/* KRB-CRED with one ticket, its EncKrbCredPart encrypted in key (the AP-REQ ticket's session key). */
FS_MUST_CHECK fs_err krb_build_cred(const struct krb_cred *c, const struct krb_key *key, struct fs_writer *out);
/* Opens a KRB-CRED of exactly one ticket, every field of KrbCredInfo that names the ticket present:
 * FS_E_INVALID_TOKEN for anything else, FS_E_MESSAGE_ALTERED when key does not open it. Free *out with
 * krb_cred_free (on success only). */
FS_MUST_CHECK fs_err krb_open_cred(const uint8_t *in, size_t len, const struct krb_key *key, struct krb_cred *out);
/* Wipes the session key and frees what an opened krb_cred owns. */
void krb_cred_free(struct krb_cred *c);

/* The Ticket of a DER AP-REQ, whole (a view into ap_req): 0, or -1 when the AP-REQ is malformed. */
int krb_ap_req_ticket(const uint8_t *ap_req, size_t len, const uint8_t **ticket, size_t *ticket_len);

/* Parses a DER Ticket far enough to open it (krb_open_ticket): its realm and sname into the AP-REQ view's fields,
 * its ciphertext as a view into ticket. FS_E_INVALID_TOKEN for anything malformed; free with krb_ap_req_free. */
FS_MUST_CHECK fs_err krb_parse_ticket(const uint8_t *ticket, size_t len, struct krb_ap_req *out);

#endif
