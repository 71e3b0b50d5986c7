/* What gss_explain.c lends kdc_explain.c (tools only): Kerberos names, keys, times and flags printed one way,
 * the tickets opened with the keys of the domain or the keytab, and the keys the AP exchange taught. */
#ifndef TOOLS_KRB_PRINT_H
#define TOOLS_KRB_PRINT_H

#include <stddef.h>
#include <stdint.h>

#include "packages/der.h"
#include "packages/kerberos/krb_messages.h"

/* Malformed input at e's offset past base: the message on stderr (xo_error), returns 1. */
int gx_failed(const struct der_error *e, size_t base);
const char *gx_etype_name(int32_t etype);
const char *gx_name_type(int32_t type);
void gx_print_principal(int depth, const char *label, const struct krb_principal *p);
/* A KerberosTime as a date, "(none)" for 0. */
void gx_print_time(int depth, const char *label, uint64_t filetime);
/* "aes256-cts-hmac-sha1-96 (18) 04fb...": the key's type and bytes. */
void gx_print_key(int depth, const char *label, const struct krb_key *k);
/* KerberosFlags (RFC 4120 5.2.8: bit 0 the most significant) as hex and the names of the bits set, names[i] being
 * bit i's, for the first nnames bits. */
void gx_print_kerberos_flags(int depth, const char *label, uint32_t flags, const char *const *names, unsigned nnames);
void gx_print_ticket_flags(int depth, uint32_t flags);
/* A ticket (its realm, sname and ciphertext), opened and printed at depth when a key of the domain or the
 * keytab fits; what went wrong in one line otherwise. */
void gx_open_bare_ticket(const char *realm, const struct krb_principal *sname, int32_t etype, uint32_t kvno,
                         const uint8_t *cipher, size_t len, int depth);
/* A PA-TGS-REQ's AP-REQ (RFC 4120 5.4.1): explained with its authenticator in usage 7. */
int gx_explain_tgs_ap_req(const uint8_t *p, size_t n, size_t base);
/* The last AP-REQ's session key and the initiator's key (its authenticator's subkey, else the session key):
 * 1 when an AP-REQ was opened. */
int gx_ap_keys(struct krb_key *session, struct krb_key *initiator);

#endif
