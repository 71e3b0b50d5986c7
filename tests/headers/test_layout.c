/* Windows x64 layouts, checked at compile time (doc/semantics.md §1) and once more at run time. */
#include <stddef.h>

#include "testutil.h"
#include "security.h"
#include "sddl.h"
#include "aclapi.h"
#include "authz.h"
#include "ntsecapi.h"

#define SIZE(type, n) _Static_assert(sizeof(type) == (n), "sizeof " #type)
#define AT(type, field, n) _Static_assert(offsetof(type, field) == (n), #type "." #field)

SIZE(LONG, 4); SIZE(ULONG, 4); SIZE(DWORD, 4); SIZE(WCHAR, 2); SIZE(ULONG_PTR, 8); SIZE(HANDLE, 8);
SIZE(SECURITY_STATUS, 4); SIZE(BOOL, 4); SIZE(BOOLEAN, 1); SIZE(LARGE_INTEGER, 8);
SIZE(SecHandle, 16); AT(SecHandle, dwUpper, 8);
SIZE(TimeStamp, 8);
SIZE(SecBuffer, 16); AT(SecBuffer, BufferType, 4); AT(SecBuffer, pvBuffer, 8);
SIZE(SecBufferDesc, 16); AT(SecBufferDesc, cBuffers, 4); AT(SecBufferDesc, pBuffers, 8);
SIZE(SecPkgInfoA, 32); AT(SecPkgInfoA, wVersion, 4); AT(SecPkgInfoA, wRPCID, 6); AT(SecPkgInfoA, cbMaxToken, 8);
AT(SecPkgInfoA, Name, 16); AT(SecPkgInfoA, Comment, 24); SIZE(SecPkgInfoW, 32); AT(SecPkgInfoW, Comment, 24);
SIZE(SEC_WINNT_AUTH_IDENTITY_W, 48); AT(SEC_WINNT_AUTH_IDENTITY_W, UserLength, 8);
AT(SEC_WINNT_AUTH_IDENTITY_W, Domain, 16); AT(SEC_WINNT_AUTH_IDENTITY_W, DomainLength, 24);
AT(SEC_WINNT_AUTH_IDENTITY_W, Password, 32); AT(SEC_WINNT_AUTH_IDENTITY_W, PasswordLength, 40);
AT(SEC_WINNT_AUTH_IDENTITY_W, Flags, 44); SIZE(SEC_WINNT_AUTH_IDENTITY_A, 48);
SIZE(SEC_WINNT_AUTH_IDENTITY_EXW, 72); AT(SEC_WINNT_AUTH_IDENTITY_EXW, User, 8);
AT(SEC_WINNT_AUTH_IDENTITY_EXW, UserLength, 16); AT(SEC_WINNT_AUTH_IDENTITY_EXW, Domain, 24);
AT(SEC_WINNT_AUTH_IDENTITY_EXW, DomainLength, 32); AT(SEC_WINNT_AUTH_IDENTITY_EXW, Password, 40);
AT(SEC_WINNT_AUTH_IDENTITY_EXW, PasswordLength, 48); AT(SEC_WINNT_AUTH_IDENTITY_EXW, Flags, 52);
AT(SEC_WINNT_AUTH_IDENTITY_EXW, PackageList, 56); AT(SEC_WINNT_AUTH_IDENTITY_EXW, PackageListLength, 64);
SIZE(SEC_WINNT_AUTH_IDENTITY_EXA, 72);
SIZE(SecPkgContext_Sizes, 16); SIZE(SecPkgContext_StreamSizes, 20); SIZE(SecPkgContext_NamesW, 8);
SIZE(SecPkgContext_Lifespan, 16); SIZE(SecPkgContext_DceInfo, 16); AT(SecPkgContext_DceInfo, pPac, 8);
SIZE(SecPkgContext_KeyInfoW, 32); AT(SecPkgContext_KeyInfoW, KeySize, 16); AT(SecPkgContext_KeyInfoW, EncryptAlgorithm, 24);
SIZE(SecPkgContext_AuthorityW, 8); SIZE(SecPkgContext_SessionKey, 16); AT(SecPkgContext_SessionKey, SessionKey, 8);
SIZE(SecPkgContext_PackageInfoW, 8); SIZE(SecPkgContext_NegotiationInfoW, 16);
AT(SecPkgContext_NegotiationInfoW, NegotiationState, 8); SIZE(SecPkgContext_NativeNamesW, 16);
SIZE(SecPkgContext_Flags, 4); SIZE(SecPkgContext_AccessToken, 8); SIZE(SecPkgContext_CredentialNameW, 16);
AT(SecPkgContext_CredentialNameW, sCredentialName, 8); SIZE(SecPkgContext_TargetInformation, 16);
SIZE(SecPkgContext_PasswordExpiry, 8); SIZE(SecPkgCredentials_NamesW, 8); SIZE(SEC_CHANNEL_BINDINGS, 32);
SIZE(LUID, 8); _Static_assert(_Alignof(LUID) == 4, "LUID is 4-aligned"); SIZE(LUID_AND_ATTRIBUTES, 12);
SIZE(SID_AND_ATTRIBUTES, 16); AT(SID_AND_ATTRIBUTES, Attributes, 8); SIZE(TOKEN_USER, 16);
SIZE(TOKEN_GROUPS, 24); AT(TOKEN_GROUPS, Groups, 8); SIZE(TOKEN_PRIVILEGES, 16); AT(TOKEN_PRIVILEGES, Privileges, 4);
SIZE(TOKEN_STATISTICS, 56); AT(TOKEN_STATISTICS, AuthenticationId, 8); AT(TOKEN_STATISTICS, ExpirationTime, 16);
AT(TOKEN_STATISTICS, TokenType, 24); AT(TOKEN_STATISTICS, ImpersonationLevel, 28);
AT(TOKEN_STATISTICS, DynamicCharged, 32); AT(TOKEN_STATISTICS, GroupCount, 40); AT(TOKEN_STATISTICS, ModifiedId, 48);
SIZE(TOKEN_TYPE, 4); SIZE(SECURITY_IMPERSONATION_LEVEL, 4); SIZE(TOKEN_ELEVATION, 4);
SIZE(TOKEN_MANDATORY_LABEL, 16); SIZE(SID_IDENTIFIER_AUTHORITY, 6); SIZE(SID, 12); AT(SID, SubAuthority, 8);
SIZE(TOKEN_SOURCE, 16); AT(TOKEN_SOURCE, SourceIdentifier, 8); SIZE(TOKEN_ORIGIN, 8); SIZE(TOKEN_OWNER, 8);
SIZE(TOKEN_GROUPS_AND_PRIVILEGES, 56); AT(TOKEN_GROUPS_AND_PRIVILEGES, Sids, 8);
AT(TOKEN_GROUPS_AND_PRIVILEGES, RestrictedSids, 24); AT(TOKEN_GROUPS_AND_PRIVILEGES, Privileges, 40);
AT(TOKEN_GROUPS_AND_PRIVILEGES, AuthenticationId, 48);
/* aclapi.h's structures and enums, as the SDK lays them out on x64 (doc/semantics.md §42). */
SIZE(TRUSTEE_A, 32); AT(TRUSTEE_A, MultipleTrusteeOperation, 8); AT(TRUSTEE_A, TrusteeForm, 12);
AT(TRUSTEE_A, TrusteeType, 16); AT(TRUSTEE_A, ptstrName, 24); SIZE(TRUSTEE_W, 32); AT(TRUSTEE_W, ptstrName, 24);
SIZE(EXPLICIT_ACCESS_A, 48); AT(EXPLICIT_ACCESS_A, grfAccessMode, 4); AT(EXPLICIT_ACCESS_A, grfInheritance, 8);
AT(EXPLICIT_ACCESS_A, Trustee, 16); SIZE(EXPLICIT_ACCESS_W, 48); AT(EXPLICIT_ACCESS_W, Trustee, 16);
SIZE(OBJECTS_AND_SID, 48); AT(OBJECTS_AND_SID, ObjectTypeGuid, 4); AT(OBJECTS_AND_SID, pSid, 40);
SIZE(OBJECTS_AND_NAME_W, 32); AT(OBJECTS_AND_NAME_W, ObjectTypeName, 8); AT(OBJECTS_AND_NAME_W, ptstrName, 24);
SIZE(ACCESS_MODE, 4); SIZE(TRUSTEE_FORM, 4); SIZE(TRUSTEE_TYPE, 4); SIZE(MULTIPLE_TRUSTEE_OPERATION, 4);
_Static_assert(NOT_USED_ACCESS == 0 && GRANT_ACCESS == 1 && SET_ACCESS == 2 && DENY_ACCESS == 3 && REVOKE_ACCESS == 4 &&
               SET_AUDIT_SUCCESS == 5 && SET_AUDIT_FAILURE == 6, "ACCESS_MODE");
_Static_assert(TRUSTEE_IS_SID == 0 && TRUSTEE_IS_NAME == 1 && TRUSTEE_BAD_FORM == 2 && TRUSTEE_IS_OBJECTS_AND_SID == 3 &&
               TRUSTEE_IS_OBJECTS_AND_NAME == 4, "TRUSTEE_FORM");
_Static_assert(TRUSTEE_IS_UNKNOWN == 0 && TRUSTEE_IS_USER == 1 && TRUSTEE_IS_WELL_KNOWN_GROUP == 5 &&
               TRUSTEE_IS_COMPUTER == 8, "TRUSTEE_TYPE");
_Static_assert(NO_MULTIPLE_TRUSTEE == 0 && TRUSTEE_IS_IMPERSONATE == 1, "MULTIPLE_TRUSTEE_OPERATION");
_Static_assert(SE_FILE_OBJECT == 1 && SE_KERNEL_OBJECT == 6 && SE_REGISTRY_WOW64_32KEY == 12, "SE_OBJECT_TYPE");
/* AuthZ (authz.h, doc/semantics.md §56) and the object type list it shares with AccessCheckByType. */
SIZE(OBJECT_TYPE_LIST, 16); AT(OBJECT_TYPE_LIST, Sbz, 2); AT(OBJECT_TYPE_LIST, ObjectType, 8);
SIZE(AUTHZ_ACCESS_REQUEST, 40); AT(AUTHZ_ACCESS_REQUEST, PrincipalSelfSid, 8); AT(AUTHZ_ACCESS_REQUEST, ObjectTypeList, 16);
AT(AUTHZ_ACCESS_REQUEST, ObjectTypeListLength, 24); AT(AUTHZ_ACCESS_REQUEST, OptionalArguments, 32);
SIZE(AUTHZ_ACCESS_REPLY, 32); AT(AUTHZ_ACCESS_REPLY, GrantedAccessMask, 8); AT(AUTHZ_ACCESS_REPLY, SaclEvaluationResults, 16);
AT(AUTHZ_ACCESS_REPLY, Error, 24); SIZE(AUTHZ_CLIENT_CONTEXT_HANDLE, 8); SIZE(AUTHZ_CONTEXT_INFORMATION_CLASS, 4);
_Static_assert(AuthzContextInfoUserSid == 1 && AuthzContextInfoPrivileges == 4 && AuthzContextInfoAuthenticationId == 10 &&
               AuthzContextInfoCapabilitySids == 16, "AUTHZ_CONTEXT_INFORMATION_CLASS");
/* The LSA (ntsecapi.h, doc/semantics.md §44), checked against MinGW-w64's own headers as well. */
SIZE(LSA_OBJECT_ATTRIBUTES, 48); AT(LSA_OBJECT_ATTRIBUTES, RootDirectory, 8); AT(LSA_OBJECT_ATTRIBUTES, ObjectName, 16);
AT(LSA_OBJECT_ATTRIBUTES, Attributes, 24); AT(LSA_OBJECT_ATTRIBUTES, SecurityDescriptor, 32);
AT(LSA_OBJECT_ATTRIBUTES, SecurityQualityOfService, 40);
SIZE(LSA_STRING, 16); AT(LSA_STRING, Buffer, 8);
SIZE(LSA_TRUST_INFORMATION, 24); AT(LSA_TRUST_INFORMATION, Sid, 16);
SIZE(LSA_REFERENCED_DOMAIN_LIST, 16); AT(LSA_REFERENCED_DOMAIN_LIST, Domains, 8);
SIZE(LSA_TRANSLATED_SID, 12); SIZE(LSA_TRANSLATED_SID2, 24); AT(LSA_TRANSLATED_SID2, Sid, 8);
AT(LSA_TRANSLATED_SID2, DomainIndex, 16); AT(LSA_TRANSLATED_SID2, Flags, 20);
SIZE(LSA_TRANSLATED_NAME, 32); AT(LSA_TRANSLATED_NAME, Name, 8); AT(LSA_TRANSLATED_NAME, DomainIndex, 24);
AT(LSA_TRANSLATED_SID, RelativeId, 4); AT(LSA_TRANSLATED_SID, DomainIndex, 8);
/* LsaGetLogonSessionData's answer (offsets checked against MinGW-w64's ntsecapi.h). */
SIZE(SECURITY_LOGON_SESSION_DATA, 272); SIZE(LSA_LAST_INTER_LOGON_INFO, 24);
AT(SECURITY_LOGON_SESSION_DATA, LogonId, 4); AT(SECURITY_LOGON_SESSION_DATA, UserName, 16);
AT(SECURITY_LOGON_SESSION_DATA, LogonType, 64); AT(SECURITY_LOGON_SESSION_DATA, Session, 68);
AT(SECURITY_LOGON_SESSION_DATA, Sid, 72); AT(SECURITY_LOGON_SESSION_DATA, LogonTime, 80);
AT(SECURITY_LOGON_SESSION_DATA, LogonServer, 88); AT(SECURITY_LOGON_SESSION_DATA, Upn, 120);
AT(SECURITY_LOGON_SESSION_DATA, UserFlags, 136); AT(SECURITY_LOGON_SESSION_DATA, LastLogonInfo, 144);
AT(SECURITY_LOGON_SESSION_DATA, LogonScript, 168); AT(SECURITY_LOGON_SESSION_DATA, HomeDirectoryDrive, 216);
AT(SECURITY_LOGON_SESSION_DATA, LogoffTime, 232); AT(SECURITY_LOGON_SESSION_DATA, PasswordMustChange, 264);
SIZE(POLICY_ACCOUNT_DOMAIN_INFO, 24); AT(POLICY_ACCOUNT_DOMAIN_INFO, DomainSid, 16);
SIZE(POLICY_PRIMARY_DOMAIN_INFO, 24); SIZE(POLICY_DNS_DOMAIN_INFO, 72); AT(POLICY_DNS_DOMAIN_INFO, DomainGuid, 48);
AT(POLICY_DNS_DOMAIN_INFO, Sid, 64);
SIZE(MSV1_0_INTERACTIVE_LOGON, 56); AT(MSV1_0_INTERACTIVE_LOGON, LogonDomainName, 8);
AT(MSV1_0_INTERACTIVE_LOGON, UserName, 24); AT(MSV1_0_INTERACTIVE_LOGON, Password, 40);
SIZE(KERB_INTERACTIVE_LOGON, 56);
SIZE(MSV1_0_INTERACTIVE_PROFILE, 160); AT(MSV1_0_INTERACTIVE_PROFILE, LogonCount, 4);
AT(MSV1_0_INTERACTIVE_PROFILE, BadPasswordCount, 6); AT(MSV1_0_INTERACTIVE_PROFILE, LogonTime, 8);
AT(MSV1_0_INTERACTIVE_PROFILE, PasswordMustChange, 48); AT(MSV1_0_INTERACTIVE_PROFILE, LogonScript, 56);
AT(MSV1_0_INTERACTIVE_PROFILE, FullName, 88); AT(MSV1_0_INTERACTIVE_PROFILE, LogonServer, 136);
AT(MSV1_0_INTERACTIVE_PROFILE, UserFlags, 152); SIZE(KERB_INTERACTIVE_PROFILE, 160);
SIZE(KERB_S4U_LOGON, 40); AT(KERB_S4U_LOGON, Flags, 4); AT(KERB_S4U_LOGON, ClientUpn, 8);
AT(KERB_S4U_LOGON, ClientRealm, 24);
/* The Kerberos package's ticket-cache messages (doc/semantics.md §51), checked against MinGW-w64's ntsecapi.h. */
SIZE(KERB_TICKET_CACHE_INFO_EX, 96); SIZE(KERB_TICKET_CACHE_INFO_EX2, 104); SIZE(KERB_TICKET_CACHE_INFO_EX3, 128);
AT(KERB_TICKET_CACHE_INFO_EX, ServerRealm, 48); AT(KERB_TICKET_CACHE_INFO_EX, StartTime, 64);
AT(KERB_TICKET_CACHE_INFO_EX, TicketFlags, 92); AT(KERB_TICKET_CACHE_INFO_EX2, SessionKeyType, 96);
AT(KERB_TICKET_CACHE_INFO_EX3, BranchId, 100); AT(KERB_TICKET_CACHE_INFO_EX3, CacheFlags, 104);
AT(KERB_TICKET_CACHE_INFO_EX3, KdcCalled, 112); AT(KERB_QUERY_TKT_CACHE_EX3_RESPONSE, Tickets, 8);
AT(KERB_QUERY_TKT_CACHE_EX_RESPONSE, Tickets, 8); AT(KERB_QUERY_TKT_CACHE_EX2_RESPONSE, Tickets, 8);
SIZE(KERB_EXTERNAL_TICKET, 152); SIZE(KERB_EXTERNAL_NAME, 24); AT(KERB_EXTERNAL_NAME, Names, 8);
AT(KERB_EXTERNAL_TICKET, DomainName, 24); AT(KERB_EXTERNAL_TICKET, AltTargetDomainName, 56);
AT(KERB_EXTERNAL_TICKET, SessionKey, 72); AT(KERB_EXTERNAL_TICKET, TicketFlags, 88);
AT(KERB_EXTERNAL_TICKET, KeyExpirationTime, 96); AT(KERB_EXTERNAL_TICKET, TimeSkew, 128);
AT(KERB_EXTERNAL_TICKET, EncodedTicketSize, 136); AT(KERB_EXTERNAL_TICKET, EncodedTicket, 144);
SIZE(KERB_RETRIEVE_TKT_REQUEST, 64); AT(KERB_RETRIEVE_TKT_REQUEST, LogonId, 4);
AT(KERB_RETRIEVE_TKT_REQUEST, TargetName, 16); AT(KERB_RETRIEVE_TKT_REQUEST, TicketFlags, 32);
AT(KERB_RETRIEVE_TKT_REQUEST, CacheOptions, 36); AT(KERB_RETRIEVE_TKT_REQUEST, EncryptionType, 40);
AT(KERB_RETRIEVE_TKT_REQUEST, CredentialsHandle, 48); SIZE(KERB_RETRIEVE_TKT_RESPONSE, 152);
SIZE(KERB_QUERY_TKT_CACHE_REQUEST, 12); SIZE(KERB_PURGE_TKT_CACHE_REQUEST, 48);
AT(KERB_PURGE_TKT_CACHE_REQUEST, ServerName, 16); AT(KERB_PURGE_TKT_CACHE_REQUEST, RealmName, 32);
SIZE(KERB_TICKET_CACHE_INFO, 64); AT(KERB_TICKET_CACHE_INFO, StartTime, 32);
AT(KERB_TICKET_CACHE_INFO, TicketFlags, 60); SIZE(KERB_PURGE_TKT_CACHE_EX_REQUEST, 112);
AT(KERB_PURGE_TKT_CACHE_EX_REQUEST, Flags, 12); AT(KERB_PURGE_TKT_CACHE_EX_REQUEST, TicketTemplate, 16);
SIZE(KERB_CRYPTO_KEY, 16); SIZE(KERB_CRYPTO_KEY32, 12);
_Static_assert(KerbRetrieveEncodedTicketMessage == 8 && KerbQueryTicketCacheExMessage == 14 &&
               KerbQueryTicketCacheEx2Message == 20 && KerbQueryTicketCacheEx3Message == 25 &&
               KerbRetrieveKeyTabMessage == 34, "KERB_PROTOCOL_MESSAGE_TYPE");
SIZE(QUOTA_LIMITS, 48); AT(QUOTA_LIMITS, PagefileLimit, 32); AT(QUOTA_LIMITS, TimeLimit, 40);
_Static_assert(Interactive == 2 && Network == 3 && Batch == 4 && Service == 5 && Proxy == 6 && Unlock == 7 &&
               NetworkCleartext == 8 && NewCredentials == 9, "SECURITY_LOGON_TYPE");
_Static_assert(PolicyPrimaryDomainInformation == 3 && PolicyAccountDomainInformation == 5 &&
               PolicyDnsDomainInformation == 12 && PolicyLastEntry == 16, "POLICY_INFORMATION_CLASS");
_Static_assert(MsV1_0InteractiveLogon == 2 && MsV1_0WorkstationUnlockLogon == 7 && MsV1_0S4ULogon == 12 &&
               KerbInteractiveLogon == 2 && KerbS4ULogon == 12 && KerbCertificateUnlockLogon == 15 &&
               MsV1_0InteractiveProfile == 2 && KerbInteractiveProfile == 2, "logon submissions");
SIZE(SECURITY_ATTRIBUTES, 24); SIZE(GUID, 16); SIZE(FILETIME, 8);
/* The function table: dwVersion, padding, then pointers in Windows' slot order (doc/semantics.md §4). */
AT(SecurityFunctionTableW, EnumerateSecurityPackagesW, 8); AT(SecurityFunctionTableW, Reserved2, 40);
AT(SecurityFunctionTableW, FreeContextBuffer, 128); AT(SecurityFunctionTableW, Reserved3, 144);
AT(SecurityFunctionTableW, Reserved8, 184); AT(SecurityFunctionTableW, QuerySecurityContextToken, 192);
AT(SecurityFunctionTableW, EncryptMessage, 200); AT(SecurityFunctionTableW, DecryptMessage, 208);
AT(SecurityFunctionTableW, SetContextAttributesW, 216);
/* ChangeAccountPassword (user mode) or Reserved9 (SECURITY_KERNEL) share one slot, as in the SDK; the
 * Ex slots follow it and the table is 256 bytes (doc/semantics.md §4). */
AT(SecurityFunctionTableW, ChangeAccountPasswordW, 232); AT(SecurityFunctionTableW, QueryContextAttributesExW, 240);
AT(SecurityFunctionTableW, QueryCredentialsAttributesExW, 248); SIZE(SecurityFunctionTableW, 256);
AT(SecurityFunctionTableA, FreeCredentialHandle, 32); AT(SecurityFunctionTableA, QuerySecurityContextToken, 192);
AT(SecurityFunctionTableA, ChangeAccountPasswordA, 232); AT(SecurityFunctionTableA, QueryContextAttributesExA, 240);
AT(SecurityFunctionTableA, QueryCredentialsAttributesExA, 248); SIZE(SecurityFunctionTableA, 256);
/* FreeCredentialHandle is #defined before the tables, as in the SDK: both spellings name the A member. */
AT(SecurityFunctionTableA, FreeCredentialsHandle, 32);
SIZE(SecPkgContext_Bindings, 16); AT(SecPkgContext_Bindings, Bindings, 8);
SIZE(SecPkgContext_NegoKeys, 32); AT(SecPkgContext_NegoKeys, KeyValue, 8); AT(SecPkgContext_NegoKeys, VerifyKeyType, 16);
AT(SecPkgContext_NegoKeys, VerifyKeyValue, 24); SIZE(SecPkgContext_CredInfo, 8); SIZE(SecPkgContext_NegoPackageInfo, 4);
SIZE(SEC_WINNT_AUTH_BYTE_VECTOR, 8); SIZE(SEC_WINNT_AUTH_DATA, 24); AT(SEC_WINNT_AUTH_DATA, CredData, 16);
SIZE(SEC_WINNT_AUTH_PACKED_CREDENTIALS, 28); AT(SEC_WINNT_AUTH_PACKED_CREDENTIALS, AuthData, 4);
SIZE(SEC_WINNT_AUTH_PACKED_CREDENTIALS_EX, 24); AT(SEC_WINNT_AUTH_PACKED_CREDENTIALS_EX, Flags, 4);
AT(SEC_WINNT_AUTH_PACKED_CREDENTIALS_EX, PackageList, 16); SIZE(SEC_WINNT_AUTH_IDENTITY_EX2, 48);
AT(SEC_WINNT_AUTH_IDENTITY_EX2, PackageListLength, 44); SIZE(SEC_WINNT_AUTH_IDENTITY_INFO, 72);
SIZE(SecPkgCredentials_KdcProxySettingsW, 16); SIZE(SEC_NEGOTIATION_INFO, 24); AT(SEC_NEGOTIATION_INFO, Name, 8);
SIZE(SECURITY_PACKAGE_OPTIONS, 24); AT(SECURITY_PACKAGE_OPTIONS, Signature, 16);

/* Authorization (MS-DTYP 2.4.4 - 2.4.6, x64). */
SIZE(ACL, 8); SIZE(ACE_HEADER, 4); SIZE(ACCESS_ALLOWED_ACE, 12); AT(ACCESS_ALLOWED_ACE, SidStart, 8);
SIZE(SYSTEM_MANDATORY_LABEL_ACE, 12); SIZE(ACL_SIZE_INFORMATION, 12);
SIZE(ACCESS_ALLOWED_OBJECT_ACE, 48); AT(ACCESS_ALLOWED_OBJECT_ACE, Flags, 8); AT(ACCESS_ALLOWED_OBJECT_ACE, ObjectType, 12);
AT(ACCESS_ALLOWED_OBJECT_ACE, InheritedObjectType, 28); AT(ACCESS_ALLOWED_OBJECT_ACE, SidStart, 44);
SIZE(ACCESS_DENIED_OBJECT_ACE, 48); SIZE(SYSTEM_AUDIT_OBJECT_ACE, 48);
SIZE(SECURITY_DESCRIPTOR_RELATIVE, 20); AT(SECURITY_DESCRIPTOR_RELATIVE, Dacl, 16);
SIZE(SECURITY_DESCRIPTOR, 40); AT(SECURITY_DESCRIPTOR, Owner, 8); AT(SECURITY_DESCRIPTOR, Dacl, 32);
SIZE(GENERIC_MAPPING, 16); SIZE(PRIVILEGE_SET, 20); AT(PRIVILEGE_SET, Privilege, 8);

START_TEST(values_that_break_ports_when_wrong)
{
    ck_assert_int_lt(SEC_E_INVALID_HANDLE, 0);
    ck_assert_sec_status(SEC_E_INVALID_HANDLE, (LONG)0x80090301);
    ck_assert_int_gt(SEC_I_CONTINUE_NEEDED, 0);
    ck_assert(SEC_SUCCESS(SEC_I_CONTINUE_NEEDED));
    ck_assert(!SEC_SUCCESS(SEC_E_LOGON_DENIED));
    ck_assert_uint_eq(ASC_REQ_INTEGRITY, 0x20000);
    ck_assert_uint_eq(ISC_REQ_INTEGRITY, 0x10000);
    ck_assert_uint_eq(SECPKG_ATTR_ACCESS_TOKEN, 18);
    ck_assert_int_eq(TokenLogonSid, 28);
    ck_assert_int_eq(TokenIsRestricted, 40);
    ck_assert_int_eq(NameUserPrincipal, 8);
    ck_assert_ptr_eq(INVALID_HANDLE_VALUE, GetCurrentProcess());
    SecHandle h;
    SecInvalidateHandle(&h);
    ck_assert(!SecIsValidHandle(&h));
    ck_assert_uint_eq(h.dwLower, (ULONG_PTR)-1);
    const WCHAR *text = u"abc"; /* u"" literals are WCHAR strings */
    (void)text;
    /* The generic names of the SDK, without UNICODE: the A types. */
    INIT_SECURITY_INTERFACE init = InitSecurityInterfaceA;
    INIT_SECURITY_INTERFACE_W init_w = InitSecurityInterfaceW;
    ACQUIRE_CREDENTIALS_HANDLE_FN acquire = AcquireCredentialsHandleA;
    QUERY_SECURITY_PACKAGE_INFO_FN query = QuerySecurityPackageInfoA;
    ck_assert_ptr_eq(init()->FreeCredentialHandle, FreeCredentialsHandle);
    ck_assert_ptr_eq(init_w()->FreeCredentialsHandle, FreeCredentialsHandle);
    ck_assert_ptr_eq(init()->AcquireCredentialsHandleA, acquire);
    ck_assert_ptr_eq(init()->QuerySecurityPackageInfoA, query);
    ck_assert_str_eq(SECURITY_ENTRYPOINT, "InitSecurityInterfaceA");
    ck_assert_str_eq(SECURITY_ENTRYPOINT_ANSIW, "InitSecurityInterfaceW");
    ck_assert_str_eq(NEGOSSP_NAME, "Negotiate");
    ck_assert_str_eq(NTLMSP_NAME_A, "NTLM");
    ck_assert_uint_eq(sizeof NTLMSP_NAME, 10); /* wide whatever UNICODE says */
    ck_assert_uint_eq(ISC_REQ_MESSAGES >> 32, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("headers/layout");
    TCase *tc = test_case("layout");
    tcase_add_test(tc, values_that_break_ports_when_wrong);
    suite_add_tcase(s, tc);
    return test_run(s);
}
