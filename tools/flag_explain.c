/* Why a context flag asked for did not come back, and which granted flag promises less than its name.
 * A learner reads "asked for MUTUAL_AUTH ... granted MUTUAL_AUTH" and believes NTLM authenticated the
 * server; these lines say what the protocol really did. Only the last leg's flags are final, so only
 * the last leg is explained. */
#include "flag_explain.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/flagnames.h"
#include "sspi.h"

/* The REQ bits whose RET bit has the same value on each side (sspi.h), so that asked & ~granted is what did not
 * come; the others (ALLOCATE_MEMORY, EXTENDED_ERROR, ...) answer with bits of other meanings. */
static ULONG comparable(int server)
{
    return ISC_REQ_MUTUAL_AUTH | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONFIDENTIALITY |
           ISC_REQ_CONNECTION | (server ? ASC_REQ_INTEGRITY : ISC_REQ_INTEGRITY);
}

static int is_ntlm(const char *package) { return strcasecmp(package, "NTLM") == 0; }

/* Why the last leg did not grant what was asked: what Windows does, and what the caller should make of it. */
static const char *why_not(const char *package, int server, ULONG bit)
{
    if (is_ntlm(package) && !server && bit == ISC_REQ_CONNECTION)
        return "Windows' NTLM reports ISC_RET_CONNECTION on the first leg only (doc/semantics.md §25); the "
               "context is connection-oriented all the same";
    if (bit == ISC_REQ_MUTUAL_AUTH)
        return "this package cannot prove the server's identity";
    return "the package did not grant it: a caller that needs it checks the flags and drops the context";
}

int flags_not_granted(const char *package, int server, ULONG asked, ULONG granted, char *text, size_t cap)
{
    size_t used = 0;
    text[0] = '\0';
    ULONG missing = asked & ~granted & comparable(server);
    for (ULONG bit = 1; bit && used < cap; bit <<= 1)
        if (missing & bit) {
            char name[64];
            fs_flags_format(server ? FS_NAMES_ASC_REQ : FS_NAMES_ISC_REQ, bit, name, sizeof name);
            used += (size_t)snprintf(text + used, cap - used, "%s%s: %s", used ? "; " : "", name,
                                     why_not(package, server, bit));
        }
    return text[0] != '\0';
}

int flags_promise_less(const char *package, int server, ULONG granted, char *text, size_t cap)
{
    text[0] = '\0';
    if (is_ntlm(package) && !server && (granted & ISC_RET_MUTUAL_AUTH))
        snprintf(text, cap, "ISC_RET_MUTUAL_AUTH is set as Windows' NTLM sets it on its last leg, yet nothing in "
                 "NTLM proves the server's identity: the server never shows that it knows a key of its own. "
                 "Only Kerberos' AP-REP does (Kerberos, or Negotiate to an SPN of the domain)");
    else if (!is_ntlm(package) && server && (granted & ASC_RET_MUTUAL_AUTH))
        snprintf(text, cap, "ASC_RET_MUTUAL_AUTH: the client asked for it, so this leg answers with an AP-REP "
                 "encrypted in the ticket's session key, which only a holder of the service's key could read");
    else if (!is_ntlm(package) && !server && (granted & ISC_RET_MUTUAL_AUTH))
        snprintf(text, cap, "ISC_RET_MUTUAL_AUTH: the server's AP-REP is encrypted in the ticket's session key, "
                 "which it could read only with the service's key (known to the KDC and the service alone)");
    return text[0] != '\0';
}
