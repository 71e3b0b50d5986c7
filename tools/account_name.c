#include "account_name.h"

#include <stdio.h>

#include "sddl.h"

const char *account_name(PSID sid, char *out, size_t cap)
{
    char name[256], domain[256];
    DWORD nn = sizeof name, dn = sizeof domain;
    SID_NAME_USE use;
    LPSTR text = NULL;
    if (LookupAccountSidA(NULL, sid, name, &nn, domain, &dn, &use))
        snprintf(out, cap, "%s%s%s", domain, *domain ? "\\" : "", name);
    else if (ConvertSidToStringSidA(sid, &text))
        snprintf(out, cap, "%s", text);
    else
        snprintf(out, cap, "?");
    LocalFree(text);
    return out;
}
