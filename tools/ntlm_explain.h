/* NTLM messages explained field by field on standard output (tools only). */
#ifndef TOOLS_NTLM_EXPLAIN_H
#define TOOLS_NTLM_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

/* Names the tool in messages about malformed input ("sspi-decode: offset 12: ..."). */
extern const char *ntlm_explain_program;

/* Prints the message's fields; malformed input: a message with the byte offset on stderr, returns 1. */
int ntlm_explain(const uint8_t *msg, size_t len);

#endif
