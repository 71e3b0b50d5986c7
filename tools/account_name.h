/* The tools' one way to name a SID: as LookupAccountSidA names it in the fake domain. */
#ifndef TOOLS_ACCOUNT_NAME_H
#define TOOLS_ACCOUNT_NAME_H

#include <stddef.h>

#include "windows.h"

/* "DOMAIN\name" ("Everyone" for a SID without a domain), or the SID's string form when the domain does not
 * name it, or "?" for a SID that is not one. Returns out. */
const char *account_name(PSID sid, char *out, size_t cap);

#endif
