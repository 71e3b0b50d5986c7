/* A second domain, OTHER (other.test), in a two-way forest trust with the embedded EXAMPLE: appended to the embedded
 * domain's text, it is the domain file the trust's tests load (doc/semantics.md §76). */
#ifndef TESTS_SECURITY_TRUST_DOMAIN_H
#define TESTS_SECURITY_TRUST_DOMAIN_H

#include "sspi/sspitest.h"
#include "security/domain_ini.h"

#define TRUST_OTHER_SID "S-1-5-21-2100000004-2200000005-2300000006"

/* OTHER's trust and principals: Readers (1300) holds EXAMPLE\Engineering (so alice), Auditors (1301) EXAMPLE\bob;
 * svc_files serves cifs/ and HTTP/files.other.test. */
#define TRUST_SECTIONS(direction)                                                                                   \
    "\n[trust OTHER]\n"                                                                                             \
    "dns = other.test\n"                                                                                            \
    "sid = " TRUST_OTHER_SID "\n"                                                                                   \
    "direction = " direction "\n"                                                                                   \
    "type = forest\n"                                                                                               \
    "password = Tru5t!EXAMPLE-OTHER\n"                                                                              \
    "computer = FILES\n"                                                                                            \
    "\n[group OTHER\\Domain Users]\nrid = 513\n"                                                                    \
    "\n[group OTHER\\Readers]\nrid = 1300\nscope = domain_local\nmembers = EXAMPLE\\Engineering\n"                  \
    "\n[group OTHER\\Auditors]\nrid = 1301\nscope = domain_local\nmembers = EXAMPLE\\bob\n"                         \
    "\n[group OTHER\\Staff]\nrid = 1302\n"                                                                          \
    "\n[user OTHER\\krbtgt]\nrid = 502\npassword = Krbtgt!key-of-OTHER\ndisabled = yes\n"                           \
    "guid = 6b2f4d3e-9c5e-4f70-8b1c-2d3e4f5a6b7c\n"                                                                 \
    "\n[user OTHER\\carol]\nrid = 1104\npassword = Car0l!pass\ngroups = Domain Users, Staff\n"                      \
    "\n[user OTHER\\svc_files]\nrid = 1106\npassword = F1les!pass\n"                                                \
    "spn = cifs/files.other.test, HTTP/files.other.test\n"

/* Loads the embedded domain with sections (TRUST_SECTIONS(...)) appended. */
__attribute__((unused)) static void trust_load(const char *sections)
{
    static char text[16384];
    int n = snprintf(text, sizeof text, "%s%s", fs_default_domain_ini, sections);
    ck_assert_int_lt(n, (int)sizeof text);
    ck_assert_msg(fakesspi_load_domain_text(text, "trust.ini") == 0, "%s", fakesspi_last_message());
}

/* An acceptor's token's user and group SIDs, as text, each followed by ";": "user;group;group;...". */
__attribute__((unused)) static void trust_token_sids(CtxtHandle *server, char *out, size_t cap)
{
    HANDLE token;
    ck_assert_sec_status(QuerySecurityContextToken(server, &token), SEC_E_OK);
    unsigned char buf[8192];
    DWORD len;
    char *text;
    ck_assert(GetTokenInformation(token, TokenUser, buf, sizeof buf, &len));
    ck_assert(ConvertSidToStringSidA(((TOKEN_USER *)buf)->User.Sid, &text));
    snprintf(out, cap, "%s;", text);
    LocalFree(text);
    ck_assert(GetTokenInformation(token, TokenGroups, buf, sizeof buf, &len));
    TOKEN_GROUPS *g = (TOKEN_GROUPS *)buf;
    for (DWORD i = 0; i < g->GroupCount; i++) {
        ck_assert(ConvertSidToStringSidA(g->Groups[i].Sid, &text));
        size_t at = strlen(out);
        snprintf(out + at, cap - at, "%s;", text);
        LocalFree(text);
    }
    ck_assert(CloseHandle(token));
}

#endif
