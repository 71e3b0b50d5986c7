/* With SECURITY_KERNEL the SDK names the slot after SetCredentialsAttributes Reserved9 (ISSP_MODE 0);
 * the table keeps its 256-byte layout either way. */
#include <stddef.h>

#define SECURITY_KERNEL
#include "sspi.h"

_Static_assert(ISSP_MODE == 0, "SECURITY_KERNEL selects ISSP_MODE 0");
_Static_assert(offsetof(SecurityFunctionTableW, Reserved9) == 232, "Reserved9 takes ChangeAccountPassword's slot");
_Static_assert(offsetof(SecurityFunctionTableA, Reserved9) == 232, "Reserved9 takes ChangeAccountPassword's slot");
_Static_assert(offsetof(SecurityFunctionTableW, QueryContextAttributesExW) == 240, "QueryContextAttributesExW");
_Static_assert(offsetof(SecurityFunctionTableA, QueryCredentialsAttributesExA) == 248, "QueryCredentialsAttributesExA");
_Static_assert(sizeof(SecurityFunctionTableW) == 256, "sizeof SecurityFunctionTableW");

int main(void) { return 0; }
