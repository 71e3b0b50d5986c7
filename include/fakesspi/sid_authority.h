/* The SECURITY_*_AUTHORITY initialisers as the SDK spells them: one pair of braces, so that both
 * `SID_IDENTIFIER_AUTHORITY a = SECURITY_NT_AUTHORITY;` and `... a = { SECURITY_NT_AUTHORITY };` mean
 * authority 5 in C and C++ (doc/semantics.md §24). GCC's -Wmissing-braces would flag the first spelling
 * at the macro's definition; on Windows these live in a system header, and so do they here. */
#ifndef FAKESSPI_SID_AUTHORITY_H
#define FAKESSPI_SID_AUTHORITY_H

#if defined(__GNUC__)
#pragma GCC system_header
#endif

#define SECURITY_NULL_SID_AUTHORITY {0, 0, 0, 0, 0, 0}
#define SECURITY_WORLD_SID_AUTHORITY {0, 0, 0, 0, 0, 1}
#define SECURITY_LOCAL_SID_AUTHORITY {0, 0, 0, 0, 0, 2}
#define SECURITY_CREATOR_SID_AUTHORITY {0, 0, 0, 0, 0, 3}
#define SECURITY_NON_UNIQUE_AUTHORITY {0, 0, 0, 0, 0, 4}
#define SECURITY_NT_AUTHORITY {0, 0, 0, 0, 0, 5}
#define SECURITY_RESOURCE_MANAGER_AUTHORITY {0, 0, 0, 0, 0, 9}
#define SECURITY_MANDATORY_LABEL_AUTHORITY {0, 0, 0, 0, 0, 16}

#endif
