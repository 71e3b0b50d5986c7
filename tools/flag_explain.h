/* sspi-handshake's words for a last leg's context flags: the ones asked for and not granted, and the granted
 * ones that promise less than their names (NTLM's ISC_RET_MUTUAL_AUTH). */
#ifndef TOOLS_FLAG_EXPLAIN_H
#define TOOLS_FLAG_EXPLAIN_H

#include <stddef.h>

#include "sspi.h"

/* package: the one the context runs ("NTLM", "Kerberos"; Negotiate's choice, not "Negotiate"). server:
 * asked/granted are ASC_ flags, else ISC_. Each writes "; "-separated explanations into text and returns
 * nonzero when there is any. */
int flags_not_granted(const char *package, int server, ULONG asked, ULONG granted, char *text, size_t cap);
int flags_promise_less(const char *package, int server, ULONG granted, char *text, size_t cap);

#endif
