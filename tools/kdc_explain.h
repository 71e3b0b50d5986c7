/* The KDC's messages explained field by field (tools only): AS-REQ, AS-REP, TGS-REQ, TGS-REP and KRB-CRED
 * (RFC 4120 5.4, 5.8), padata by name, and with keys what is encrypted in them: the AS-REP's EncASRepPart in
 * the client's long-term key (the domain's, the keytab's or string-to-key of --password), the TGS-REP's
 * EncTGSRepPart in the keys its TGS-REQ taught, a KRB-CRED's EncKrbCredPart in the AP exchange's session key.
 * The keys learnt are kept for the messages after them in the same run. */
#ifndef TOOLS_KDC_EXPLAIN_H
#define TOOLS_KDC_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "packages/der.h"
#include "packages/kerberos/krb_crypto.h"

/* AS-REQ 10, AS-REP 11, TGS-REQ 12, TGS-REP 13, KRB-CRED 22 (KRB-ERROR 30 is gss_explain's). */
int kdc_is_tag(uint8_t tag);
/* Explains the message at p (its first byte one of those tags) found at offset base of the input; how says how
 * it was framed, whole is the framed length. 1 on malformed input (the offset on stderr). */
int kdc_explain(const uint8_t *p, size_t n, size_t base, const char *how, size_t whole);
/* A SEQUENCE OF PA-DATA (a KRB-ERROR's METHOD-DATA): whether p is one, and printing it. */
int kdc_is_padata_list(const uint8_t *p, size_t n);
void kdc_print_padata(int depth, const char *label, struct der *f, size_t base);
/* The offset of d's next byte in the input, for a cursor begun at offset base. */
size_t kdc_at(const struct der *d, size_t base);

/* --password: the client's password, for the AS-REP (string-to-key with the reply's salt). */
void kdc_explain_set_password(const char *password);
/* Nonzero when some key may open what is encrypted: the domain, a keytab, a password. */
int kdc_have_key_source(void);
/* The AS-REP's session key (the TGT's), once one was opened. */
int kdc_as_session_key(struct krb_key *out);
/* What a TGS-REQ's authenticator taught: the TGT's session key and the subkey (NULL: none) the TGS-REP is in. */
void kdc_remember_tgs(const struct krb_key *session, const struct krb_key *subkey);

#endif
