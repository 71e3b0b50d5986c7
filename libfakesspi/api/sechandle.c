/* CredHandle and CtxtHandle to objects and back, through core's one lookup. */
#include "sechandle.h"

#include "core/handles.h"

static struct fs_handle_key key_of(PSecHandle h) { return (struct fs_handle_key){h->dwUpper, h->dwLower}; }

static fs_err lookup(PSecHandle h, const struct fs_object_ops *kind, const char *api, struct fs_object **out)
{
    if (!h)
        return FS_E_INVALID_HANDLE;
    return fs_handle_get(key_of(h), kind, 0, api, out, NULL);
}

fs_err fs_api_credential(PCredHandle h, const char *api, struct fs_credential **out)
{
    struct fs_object *obj;
    fs_err err = lookup(h, &fs_credential_ops, api, &obj);
    if (err == FS_OK)
        *out = fs_credential_from_object(obj);
    return err;
}

fs_err fs_api_context(PCtxtHandle h, const char *api, struct fs_context **out)
{
    struct fs_object *obj;
    fs_err err = lookup(h, &fs_context_ops, api, &obj);
    if (err == FS_OK)
        *out = fs_context_from_object(obj);
    return err;
}

fs_err fs_api_open_sec_handle(struct fs_object *obj, const struct fs_package *pkg, const char *api, PSecHandle h)
{
    uintptr_t value;
    uintptr_t tag = fs_package_index(pkg);
    fs_err err = fs_handle_open(obj, 0, tag, api, &value);
    if (err == FS_OK) {
        h->dwLower = tag;
        h->dwUpper = value;
    }
    return err;
}

fs_err fs_api_close_sec_handle(PSecHandle h, const struct fs_object_ops *kind, const char *api,
                               struct fs_object **taken)
{
    *taken = NULL;
    if (!h)
        return FS_E_INVALID_HANDLE;
    return fs_handle_close_take(key_of(h), kind, api, taken);
}
