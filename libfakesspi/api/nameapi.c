/* The secext.h names over the fake domain: GetUserNameEx, GetComputerObjectName, TranslateName. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "secext.h"
#include "security/domain_current.h"
#include "security/identity.h"
#include "security/name_formats.h"

static fs_err render_current_user(int format, char *out, size_t cap)
{
    struct fs_token *t = fs_effective_token();
    if (!t)
        return FS_E_NO_SUCH_LOGON_SESSION;
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = d ? fs_domain_find_user_by_sid(d, &t->user) : NULL;
    fs_err err = FS_E_NONE_MAPPED;
    if (u) {
        struct fs_principal p = {u, NULL};
        err = fs_name_render(d, &p, format, out, cap);
    }
    fs_domain_release();
    fs_token_unref(t);
    return err;
}

/* GetUserNameEx: too small is ERROR_MORE_DATA with the size including the NUL; on success the
 * size excludes it. */
static fs_err user_name_ex_body(EXTENDED_NAME_FORMAT format, void *buffer, PULONG size, int wide)
{
    if (!size)
        return FS_E_NOACCESS;
    if (format == NameUnknown)
        return FS_E_NO_SUCH_USER; /* doc/semantics.md §37 */
    char name[768];
    fs_err err = render_current_user(format, name, sizeof name);
    if (err == FS_OK) {
        DWORD cch = *size;
        err = fs_api_copy_out(name, buffer, &cch, wide);
        *size = cch;
        if (err == FS_E_INSUFFICIENT_BUFFER)
            err = FS_E_MORE_DATA;
    }
    return err;
}

/* GetUserNameEx and GetComputerObjectName: one name in an EXTENDED_NAME_FORMAT, with the size traced
 * on failure too (it says how much room the name needs). */
typedef fs_err extended_name_body(EXTENDED_NAME_FORMAT format, void *buffer, PULONG size, int wide);

static BOOLEAN traced_extended_name(const char *api, extended_name_body *body, EXTENDED_NAME_FORMAT format,
                                    void *buffer, PULONG size, int wide)
{
    struct fs_call call;
    fs_call_begin(&call, api);
    fs_trace_value(&call.trace, "NameFormat", FS_NAMES_EXTENDED_NAME_FORMAT, (uint32_t)format);
    if (fs_call_proceed(&call))
        call.err = body(format, buffer, size, wide);
    if (fs_call_outputs(&call))
        fs_trace_text(&call.trace, "lpNameBuffer", buffer, wide);
    fs_trace_outputs(&call.trace);
    if (size)
        fs_trace_number(&call.trace, "nSize", *size);
    return (BOOLEAN)fs_call_end_bool(&call);
}

BOOLEAN SEC_ENTRY GetUserNameExA(EXTENDED_NAME_FORMAT NameFormat, LPSTR lpNameBuffer, PULONG nSize)
{
    return traced_extended_name(__func__, user_name_ex_body, NameFormat, lpNameBuffer, nSize, 0);
}

BOOLEAN SEC_ENTRY GetUserNameExW(EXTENDED_NAME_FORMAT NameFormat, LPWSTR lpNameBuffer, PULONG nSize)
{
    return traced_extended_name(__func__, user_name_ex_body, NameFormat, lpNameBuffer, nSize, 1);
}

/* GetComputerObjectName: the machine account in the fake domain. No buffer, or one too small, is
 * ERROR_INSUFFICIENT_BUFFER with the size needed including the NUL (doc/semantics.md §38). */
static fs_err computer_object_name(EXTENDED_NAME_FORMAT format, void *buffer, PULONG size, int wide)
{
    if (!size || format == NameUnknown)
        return FS_E_INVALID_PARAMETER;
    char name[512];
    const struct fs_domain *d = fs_domain_acquire();
    fs_err err = d ? fs_name_render_computer(d, (int)format, name, sizeof name) : FS_E_DOMAIN_UNUSABLE;
    fs_domain_release();
    if (err != FS_OK)
        return err;
    DWORD cch = buffer ? *size : 0;
    err = fs_api_copy_out(name, buffer, &cch, wide);
    *size = cch;
    return err;
}

BOOLEAN SEC_ENTRY GetComputerObjectNameA(EXTENDED_NAME_FORMAT NameFormat, LPSTR lpNameBuffer, PULONG nSize)
{
    return traced_extended_name(__func__, computer_object_name, NameFormat, lpNameBuffer, nSize, 0);
}

BOOLEAN SEC_ENTRY GetComputerObjectNameW(EXTENDED_NAME_FORMAT NameFormat, LPWSTR lpNameBuffer, PULONG nSize)
{
    return traced_extended_name(__func__, computer_object_name, NameFormat, lpNameBuffer, nSize, 1);
}

/* TranslateName reports the size including the NUL, whether it fits or not. */
static fs_err translate_body(const char *account, int from, int to, void *buffer, PULONG size, int wide)
{
    if (!account || !size)
        return FS_E_INVALID_PARAMETER;
    if (to == NameUnknown)
        return FS_E_INVALID_PARAMETER;
    char name[768];
    const struct fs_domain *d = fs_domain_acquire();
    fs_err err = FS_E_DOMAIN_UNUSABLE;
    if (d) {
        struct fs_principal p;
        err = fs_name_resolve(d, account, from, &p);
        if (err == FS_OK)
            err = fs_name_render(d, &p, to, name, sizeof name);
    }
    fs_domain_release();
    if (err == FS_OK) {
        DWORD cch = *size;
        err = fs_api_copy_out(name, buffer, &cch, wide);
        *size = err == FS_OK ? cch + 1 : cch;
    }
    return err;
}

static BOOLEAN traced_translate(struct fs_call *call, const char *account, int account_failed, int from, int to,
                                void *buffer, PULONG size, int wide)
{
    fs_trace_string(&call->trace, "lpAccountName", account);
    fs_trace_value(&call->trace, "AccountNameFormat", FS_NAMES_EXTENDED_NAME_FORMAT, (uint32_t)from);
    fs_trace_value(&call->trace, "DesiredNameFormat", FS_NAMES_EXTENDED_NAME_FORMAT, (uint32_t)to);
    if (fs_call_proceed(call))
        call->err = account_failed ? FS_E_NOMEM : translate_body(account, from, to, buffer, size, wide);
    if (fs_call_outputs(call))
        fs_trace_text(&call->trace, "lpTranslatedName", buffer, wide);
    fs_trace_outputs(&call->trace);
    if (size)
        fs_trace_number(&call->trace, "nSize", *size);
    return (BOOLEAN)fs_call_end_bool(call);
}

BOOLEAN SEC_ENTRY TranslateNameA(LPCSTR lpAccountName, EXTENDED_NAME_FORMAT AccountNameFormat,
                                 EXTENDED_NAME_FORMAT DesiredNameFormat, LPSTR lpTranslatedName, PULONG nSize)
{
    struct fs_call call;
    fs_call_begin(&call, "TranslateNameA");
    return traced_translate(&call, lpAccountName, 0, AccountNameFormat, DesiredNameFormat, lpTranslatedName, nSize, 0);
}

BOOLEAN SEC_ENTRY TranslateNameW(LPCWSTR lpAccountName, EXTENDED_NAME_FORMAT AccountNameFormat,
                                 EXTENDED_NAME_FORMAT DesiredNameFormat, LPWSTR lpTranslatedName, PULONG nSize)
{
    struct fs_call call;
    fs_call_begin(&call, "TranslateNameW");
    int failed = 0;
    char *account = fs_api_narrow(lpAccountName, &failed);
    BOOLEAN ok = traced_translate(&call, account, failed, AccountNameFormat, DesiredNameFormat, lpTranslatedName,
                                  nSize, 1);
    free(account);
    return ok;
}
