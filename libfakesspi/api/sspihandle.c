/* CredHandle and CtxtHandle: dwLower names the package, dwUpper is the handle table's value. */
#include "sspihandle.h"

#include "core/handles.h"
#include "core/misuse.h"

static fs_err lookup(PSecHandle h, enum fs_handle_kind kind, const char *api, struct fs_object **out)
{
    if (!h)
        return FS_E_INVALID_HANDLE;
    struct fs_object *obj;
    fs_err err = fs_handle_get(h->dwUpper, kind, api, &obj, NULL);
    if (err != FS_OK)
        return err;
    const struct fs_package *pkg = kind == FS_HANDLE_CONTEXT ? fs_context_from_object(obj)->pkg
                                                             : fs_credential_from_object(obj)->pkg;
    if (h->dwLower != fs_package_index(pkg)) {
        struct fs_misuse_detail d = {.handle = h->dwUpper, .handle_kind = fs_handle_kind_name(kind),
                                     .windows = "dwLower does not name the handle's package: the handle is invalid"};
        fs_misuse(FAKESSPI_MISUSE_INVALID_HANDLE, api, &d);
        fs_object_unref(obj);
        return FS_E_INVALID_HANDLE;
    }
    *out = obj;
    return FS_OK;
}

fs_err fs_api_credential(PCredHandle h, const char *api, struct fs_credential **out)
{
    struct fs_object *obj;
    fs_err err = lookup(h, FS_HANDLE_CREDENTIAL, api, &obj);
    if (err == FS_OK)
        *out = fs_credential_from_object(obj);
    return err;
}

fs_err fs_api_context(PCtxtHandle h, const char *api, struct fs_context **out)
{
    struct fs_object *obj;
    fs_err err = lookup(h, FS_HANDLE_CONTEXT, api, &obj);
    if (err == FS_OK)
        *out = fs_context_from_object(obj);
    return err;
}

void fs_api_set_handle(PSecHandle h, const struct fs_package *pkg, uintptr_t value)
{
    h->dwLower = fs_package_index(pkg);
    h->dwUpper = value;
}
