/* AuthZ (authz.h): access checks by resource managers against client contexts made from tokens or SIDs
 * (doc/semantics.md §56). windows.h does not include this header, as on Windows. */
#ifndef FAKESSPI_AUTHZ_H
#define FAKESSPI_AUTHZ_H

#include "windows.h"

FAKESSPI_BEGIN_DECLS

/* What the SDK marks its declarations with, for code that declares its own. */
#define AUTHZAPI FAKESSPI_API

/* AuthzInitializeContextFromToken/FromSid flags. */
#define AUTHZ_SKIP_TOKEN_GROUPS 0x2
#define AUTHZ_REQUIRE_S4U_LOGON 0x4
#define AUTHZ_COMPUTE_PRIVILEGES 0x8

/* AuthzAccessCheck flags. */
#define AUTHZ_ACCESS_CHECK_NO_DEEP_COPY_SD 0x1

/* AuthzInitializeResourceManager flags. */
#define AUTHZ_RM_FLAG_NO_AUDIT 0x1
#define AUTHZ_RM_FLAG_INITIALIZE_UNDER_IMPERSONATION 0x2
#define AUTHZ_RM_FLAG_NO_CENTRAL_ACCESS_POLICIES 0x4
#define AUTHZ_VALID_RM_INIT_FLAGS \
    (AUTHZ_RM_FLAG_NO_AUDIT | AUTHZ_RM_FLAG_INITIALIZE_UNDER_IMPERSONATION | AUTHZ_RM_FLAG_NO_CENTRAL_ACCESS_POLICIES)

DECLARE_HANDLE(AUTHZ_ACCESS_CHECK_RESULTS_HANDLE);
DECLARE_HANDLE(AUTHZ_CLIENT_CONTEXT_HANDLE);
DECLARE_HANDLE(AUTHZ_RESOURCE_MANAGER_HANDLE);
DECLARE_HANDLE(AUTHZ_AUDIT_EVENT_HANDLE);
DECLARE_HANDLE(AUTHZ_AUDIT_EVENT_TYPE_HANDLE);
DECLARE_HANDLE(AUTHZ_SECURITY_EVENT_PROVIDER_HANDLE);
typedef AUTHZ_ACCESS_CHECK_RESULTS_HANDLE *PAUTHZ_ACCESS_CHECK_RESULTS_HANDLE;
typedef AUTHZ_CLIENT_CONTEXT_HANDLE *PAUTHZ_CLIENT_CONTEXT_HANDLE;
typedef AUTHZ_RESOURCE_MANAGER_HANDLE *PAUTHZ_RESOURCE_MANAGER_HANDLE;
typedef AUTHZ_AUDIT_EVENT_HANDLE *PAUTHZ_AUDIT_EVENT_HANDLE;
typedef AUTHZ_AUDIT_EVENT_TYPE_HANDLE *PAUTHZ_AUDIT_EVENT_TYPE_HANDLE;
typedef AUTHZ_SECURITY_EVENT_PROVIDER_HANDLE *PAUTHZ_SECURITY_EVENT_PROVIDER_HANDLE;

typedef struct _AUTHZ_ACCESS_REQUEST {
    ACCESS_MASK DesiredAccess;
    PSID PrincipalSelfSid;
    POBJECT_TYPE_LIST ObjectTypeList;
    DWORD ObjectTypeListLength;
    PVOID OptionalArguments;
} AUTHZ_ACCESS_REQUEST, *PAUTHZ_ACCESS_REQUEST;

#define AUTHZ_GENERATE_SUCCESS_AUDIT 0x1
#define AUTHZ_GENERATE_FAILURE_AUDIT 0x2

typedef struct _AUTHZ_ACCESS_REPLY {
    DWORD ResultListLength;
    PACCESS_MASK GrantedAccessMask;
    PDWORD SaclEvaluationResults;
    PDWORD Error;
} AUTHZ_ACCESS_REPLY, *PAUTHZ_ACCESS_REPLY;

typedef BOOL(CALLBACK *PFN_AUTHZ_DYNAMIC_ACCESS_CHECK)(AUTHZ_CLIENT_CONTEXT_HANDLE hAuthzClientContext, PACE_HEADER pAce,
                                                      PVOID pArgs, PBOOL pbAceApplicable);
typedef BOOL(CALLBACK *PFN_AUTHZ_COMPUTE_DYNAMIC_GROUPS)(AUTHZ_CLIENT_CONTEXT_HANDLE hAuthzClientContext, PVOID Args,
                                                        PSID_AND_ATTRIBUTES *pSidAttrArray, PDWORD pSidCount,
                                                        PSID_AND_ATTRIBUTES *pRestrictedSidAttrArray,
                                                        PDWORD pRestrictedSidCount);
typedef VOID(CALLBACK *PFN_AUTHZ_FREE_DYNAMIC_GROUPS)(PSID_AND_ATTRIBUTES pSidAttrArray);

typedef enum _AUTHZ_CONTEXT_INFORMATION_CLASS {
    AuthzContextInfoUserSid = 1,
    AuthzContextInfoGroupsSids,
    AuthzContextInfoRestrictedSids,
    AuthzContextInfoPrivileges,
    AuthzContextInfoExpirationTime,
    AuthzContextInfoServerContext,
    AuthzContextInfoIdentifier,
    AuthzContextInfoSource,
    AuthzContextInfoAll,
    AuthzContextInfoAuthenticationId,
    AuthzContextInfoSecurityAttributes,
    AuthzContextInfoDeviceSids,
    AuthzContextInfoUserClaims,
    AuthzContextInfoDeviceClaims,
    AuthzContextInfoAppContainerSid,
    AuthzContextInfoCapabilitySids
} AUTHZ_CONTEXT_INFORMATION_CLASS;

FAKESSPI_API BOOL WINAPI AuthzInitializeResourceManager(DWORD Flags, PFN_AUTHZ_DYNAMIC_ACCESS_CHECK pfnDynamicAccessCheck,
                                                    PFN_AUTHZ_COMPUTE_DYNAMIC_GROUPS pfnComputeDynamicGroups,
                                                    PFN_AUTHZ_FREE_DYNAMIC_GROUPS pfnFreeDynamicGroups,
                                                    PCWSTR szResourceManagerName,
                                                    PAUTHZ_RESOURCE_MANAGER_HANDLE phAuthzResourceManager);
FAKESSPI_API BOOL WINAPI AuthzFreeResourceManager(AUTHZ_RESOURCE_MANAGER_HANDLE hAuthzResourceManager);
FAKESSPI_API BOOL WINAPI AuthzInitializeContextFromToken(DWORD Flags, HANDLE TokenHandle,
                                                     AUTHZ_RESOURCE_MANAGER_HANDLE hAuthzResourceManager,
                                                     PLARGE_INTEGER pExpirationTime, LUID Identifier,
                                                     PVOID DynamicGroupArgs,
                                                     PAUTHZ_CLIENT_CONTEXT_HANDLE phAuthzClientContext);
FAKESSPI_API BOOL WINAPI AuthzInitializeContextFromSid(DWORD Flags, PSID UserSid,
                                                   AUTHZ_RESOURCE_MANAGER_HANDLE hAuthzResourceManager,
                                                   PLARGE_INTEGER pExpirationTime, LUID Identifier,
                                                   PVOID DynamicGroupArgs,
                                                   PAUTHZ_CLIENT_CONTEXT_HANDLE phAuthzClientContext);
FAKESSPI_API BOOL WINAPI AuthzAccessCheck(DWORD Flags, AUTHZ_CLIENT_CONTEXT_HANDLE hAuthzClientContext,
                                      PAUTHZ_ACCESS_REQUEST pRequest, AUTHZ_AUDIT_EVENT_HANDLE hAuditEvent,
                                      PSECURITY_DESCRIPTOR pSecurityDescriptor,
                                      PSECURITY_DESCRIPTOR *OptionalSecurityDescriptorArray,
                                      DWORD OptionalSecurityDescriptorCount, PAUTHZ_ACCESS_REPLY pReply,
                                      PAUTHZ_ACCESS_CHECK_RESULTS_HANDLE phAccessCheckResults);
FAKESSPI_API BOOL WINAPI AuthzCachedAccessCheck(DWORD Flags, AUTHZ_ACCESS_CHECK_RESULTS_HANDLE hAccessCheckResults,
                                            PAUTHZ_ACCESS_REQUEST pRequest, AUTHZ_AUDIT_EVENT_HANDLE hAuditEvent,
                                            PAUTHZ_ACCESS_REPLY pReply);
FAKESSPI_API BOOL WINAPI AuthzFreeHandle(AUTHZ_ACCESS_CHECK_RESULTS_HANDLE hAccessCheckResults);
FAKESSPI_API BOOL WINAPI AuthzGetInformationFromContext(AUTHZ_CLIENT_CONTEXT_HANDLE hAuthzClientContext,
                                                    AUTHZ_CONTEXT_INFORMATION_CLASS InfoClass, DWORD BufferSize,
                                                    PDWORD pSizeRequired, PVOID Buffer);
FAKESSPI_API BOOL WINAPI AuthzFreeContext(AUTHZ_CLIENT_CONTEXT_HANDLE hAuthzClientContext);

FAKESSPI_END_DECLS

#endif
