/* GetUserNameEx and TranslateName over the fake domain. */
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
static BOOLEAN user_name_ex_untraced(EXTENDED_NAME_FORMAT format, void *buffer, PULONG size, int wide)
{
    if (!size)
        return (BOOLEAN)fs_fail(FS_E_NOACCESS);
    if (format == NameUnknown)
        return (BOOLEAN)fs_fail(FS_E_INVALID_PARAMETER);
    char name[768];
    fs_err err = render_current_user(format, name, sizeof name);
    if (err == FS_OK) {
        DWORD cch = *size;
        err = wide ? fs_api_copy_out_w(name, buffer, &cch) : fs_api_copy_out_a(name, buffer, &cch);
        *size = cch;
        if (err == FS_E_INSUFFICIENT_BUFFER)
            err = FS_E_MORE_DATA;
    }
    return err == FS_OK ? TRUE : (BOOLEAN)fs_fail(err);
}

static BOOLEAN user_name_ex(EXTENDED_NAME_FORMAT format, void *buffer, PULONG size, int wide)
{
    struct fs_trace t;
    fs_trace_begin(&t, wide ? "GetUserNameExW" : "GetUserNameExA");
    fs_trace_number(&t, "NameFormat", (uint64_t)format);
    BOOLEAN ok = user_name_ex_untraced(format, buffer, size, wide);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_text(&t, "lpNameBuffer", buffer, wide);
    if (size)
        fs_trace_number(&t, "nSize", *size);
    return (BOOLEAN)fs_trace_bool(&t, ok);
}

BOOLEAN SEC_ENTRY GetUserNameExA(EXTENDED_NAME_FORMAT NameFormat, LPSTR lpNameBuffer, PULONG nSize)
{
    fs_api_enter();
    return user_name_ex(NameFormat, lpNameBuffer, nSize, 0);
}

BOOLEAN SEC_ENTRY GetUserNameExW(EXTENDED_NAME_FORMAT NameFormat, LPWSTR lpNameBuffer, PULONG nSize)
{
    fs_api_enter();
    return user_name_ex(NameFormat, lpNameBuffer, nSize, 1);
}

/* TranslateName reports the size including the NUL, whether it fits or not. */
static BOOLEAN translate_untraced(const char *account, int from, int to, void *buffer, PULONG size, int wide)
{
    if (!account || !size)
        return (BOOLEAN)fs_fail(FS_E_INVALID_PARAMETER);
    if (to == NameUnknown)
        return (BOOLEAN)fs_fail(FS_E_INVALID_PARAMETER);
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
        err = wide ? fs_api_copy_out_w(name, buffer, &cch) : fs_api_copy_out_a(name, buffer, &cch);
        *size = err == FS_OK ? cch + 1 : cch;
    }
    return err == FS_OK ? TRUE : (BOOLEAN)fs_fail(err);
}

static BOOLEAN translate(const char *account, int from, int to, void *buffer, PULONG size, int wide)
{
    struct fs_trace t;
    fs_trace_begin(&t, wide ? "TranslateNameW" : "TranslateNameA");
    fs_trace_string(&t, "lpAccountName", account);
    fs_trace_number(&t, "AccountNameFormat", (uint64_t)from);
    fs_trace_number(&t, "DesiredNameFormat", (uint64_t)to);
    BOOLEAN ok = translate_untraced(account, from, to, buffer, size, wide);
    fs_trace_outputs(&t);
    if (ok)
        fs_trace_text(&t, "lpTranslatedName", buffer, wide);
    if (size)
        fs_trace_number(&t, "nSize", *size);
    return (BOOLEAN)fs_trace_bool(&t, ok);
}

BOOLEAN SEC_ENTRY TranslateNameA(LPCSTR lpAccountName, EXTENDED_NAME_FORMAT AccountNameFormat,
                                 EXTENDED_NAME_FORMAT DesiredNameFormat, LPSTR lpTranslatedName, PULONG nSize)
{
    fs_api_enter();
    return translate(lpAccountName, AccountNameFormat, DesiredNameFormat, lpTranslatedName, nSize, 0);
}

BOOLEAN SEC_ENTRY TranslateNameW(LPCWSTR lpAccountName, EXTENDED_NAME_FORMAT AccountNameFormat,
                                 EXTENDED_NAME_FORMAT DesiredNameFormat, LPWSTR lpTranslatedName, PULONG nSize)
{
    fs_api_enter();
    int failed = 0;
    char *account = fs_api_narrow(lpAccountName, &failed);
    BOOLEAN ok = failed ? (BOOLEAN)fs_fail(FS_E_NOMEM)
                        : translate(account, AccountNameFormat, DesiredNameFormat, lpTranslatedName, nSize, 1);
    free(account);
    return ok;
}
