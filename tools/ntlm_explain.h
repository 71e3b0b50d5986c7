/* NTLM messages explained field by field (tools only). The messages of one conversation are explained
 * in order: what the CHALLENGE refused of the NEGOTIATE is said, and with the client's secret the
 * AUTHENTICATE's proof is checked and the session key derived, which opens the signatures and sealed
 * messages after it. */
#ifndef TOOLS_NTLM_EXPLAIN_H
#define TOOLS_NTLM_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "explain_out.h"

/* Prints the message's fields; malformed input: a message with the byte offset on stderr, returns 1. */
int ntlm_explain(const uint8_t *msg, size_t len);

/* The client's secret for the conversation: its NT hash (--password, --nt-hash). */
void ntlm_explain_set_nt_hash(const uint8_t nt_hash[16]);
/* Nonzero: the user's NT hash is looked up in the current domain (--domain, or the embedded one). */
extern int ntlm_explain_use_domain;
/* An NTLMSSP_MESSAGE_SIGNATURE (16 bytes) and the message after it, if any (sealed or signed data): explained,
 * and checked or decrypted when the session key is known. Returns 1 if the input is not one. */
int ntlm_explain_signature(const uint8_t *msg, size_t len);
/* Nonzero when msg looks like an NTLM signature (version 1, 16 bytes or more). */
int ntlm_is_signature(const uint8_t *msg, size_t len);

#endif
