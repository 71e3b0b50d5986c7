/* Any token SSPI packages exchange, explained field by field (tools only): NTLM messages and signatures
 * (through ntlm_explain), SPNEGO NegTokenInit/NegTokenResp with their inner tokens, Kerberos AP-REQ, AP-REP,
 * KRB-ERROR framed for GSS-API or bare, the KDC's AS/TGS requests and replies and KRB-CRED, and RFC 4121
 * MIC and Wrap tokens. */
#ifndef TOOLS_GSS_EXPLAIN_H
#define TOOLS_GSS_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

/* Nonzero: Kerberos tickets are opened with the current domain's service keys (--domain, or the embedded
 * one), and the session keys they carry open the AP-REP and the MIC and Wrap tokens after them. */
extern int gss_explain_use_domain;

/* Prints the token; malformed input: the byte offset on stderr, returns 1. */
int gss_explain(const uint8_t *msg, size_t len);
/* The same for a token found at offset base of an outer one (offsets in messages count from there). */
int gss_explain_at(const uint8_t *msg, size_t len, size_t base);

/* One line for a diagram or a log: "SPNEGO NegTokenInit (Kerberos AP-REQ), 789 bytes". */
void gss_summary(const uint8_t *msg, size_t len, char *out, size_t cap);

#endif
