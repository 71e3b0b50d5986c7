/* The one internal error type; api/errmap.c alone turns it into Windows codes. */
#ifndef FS_CORE_ERROR_H
#define FS_CORE_ERROR_H

typedef enum fs_err {
    FS_OK = 0,
    FS_E_NOMEM,
    FS_E_INVALID_HANDLE,
    FS_E_INVALID_PARAMETER,
    FS_E_INSUFFICIENT_BUFFER,
    FS_E_BAD_LENGTH,
    FS_E_ACCESS_DENIED,
    FS_E_NOACCESS,           /* a mandatory out-pointer was NULL */
    FS_E_NO_TOKEN,
    FS_E_LOGON_FAILURE,
    FS_E_ACCOUNT_DISABLED,
    FS_E_ACCOUNT_EXPIRED,
    FS_E_LOGON_TYPE_NOT_GRANTED,
    FS_E_NONE_MAPPED,
    FS_E_INVALID_SID,
    FS_E_NO_SUCH_USER,
    FS_E_NO_SUCH_DOMAIN,
    FS_E_BAD_IMPERSONATION_LEVEL,
    FS_E_NO_IMPERSONATION_TOKEN,
    FS_E_CANT_OPEN_ANONYMOUS,
    FS_E_BAD_TOKEN_TYPE,
    FS_E_NOT_FOUND,
    FS_E_NOT_SUPPORTED,
    FS_E_INVALID_FLAGS,
    FS_E_NO_UNICODE_TRANSLATION,
    FS_E_MORE_DATA,
    FS_E_NO_SUCH_LOGON_SESSION,
    FS_E_BUFFER_OVERFLOW,
    FS_E_SERVER_UNAVAILABLE,
    FS_E_DOMAIN_UNUSABLE,    /* the loaded domain file was bad: logons fail */
    /* SSPI outcomes */
    FS_E_INVALID_TOKEN,
    FS_E_OUT_OF_SEQUENCE,
    FS_E_MESSAGE_ALTERED,
    FS_E_BAD_BINDINGS,
    FS_E_QOP_NOT_SUPPORTED,
    FS_E_CONTEXT_EXPIRED,
    FS_E_NO_CREDENTIALS,
    FS_E_UNKNOWN_CREDENTIALS,
    FS_E_SECPKG_NOT_FOUND,
    FS_E_LOGON_DENIED,
    FS_E_NO_IMPERSONATION,
    FS_E_INTERNAL,
    FS_E_TARGET_UNKNOWN,
    FS_E_WRONG_PRINCIPAL,
    FS_E_TIME_SKEW,
    FS_E_MUTUAL_AUTH_FAILED,
    FS_E_INVALID_DATA,        /* text that is not what it claims (base64, hex) */
    FS_E_DOWNGRADE_DETECTED   /* a negotiation that lost what protected it (SPNEGO's mechListMIC) */
} fs_err;

#endif
