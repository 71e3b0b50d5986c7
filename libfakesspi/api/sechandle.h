/* CredHandle and CtxtHandle: dwUpper is the handle table's value, dwLower names the package (the
 * table's tag, checked by core's one lookup). Resolved objects are NEW references. */
#ifndef FS_API_SECHANDLE_H
#define FS_API_SECHANDLE_H

#include "api.h"
#include "sspi/context.h"
#include "sspi/credential.h"

FS_MUST_CHECK fs_err fs_api_credential(PCredHandle h, const char *api, struct fs_credential **out);
FS_MUST_CHECK fs_err fs_api_context(PCtxtHandle h, const char *api, struct fs_context **out);
/* A new OWNED handle for obj, written to *h as {dwLower = the package, dwUpper = the value}. */
FS_MUST_CHECK fs_err fs_api_open_sec_handle(struct fs_object *obj, const struct fs_package *pkg, const char *api,
                                            PSecHandle h);
/* Closes *h (a credential or context) and hands its reference to *taken. */
FS_MUST_CHECK fs_err fs_api_close_sec_handle(PSecHandle h, const struct fs_object_ops *kind, const char *api,
                                             struct fs_object **taken);

#endif
