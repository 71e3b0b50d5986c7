/* Resolving the caller's CredHandle / CtxtHandle to objects (NEW references). */
#ifndef FS_API_SSPIHANDLE_H
#define FS_API_SSPIHANDLE_H

#include "api.h"
#include "sspi/context.h"
#include "sspi/credential.h"

fs_err fs_api_credential(PCredHandle h, const char *api, struct fs_credential **out);
fs_err fs_api_context(PCtxtHandle h, const char *api, struct fs_context **out);
void fs_api_set_handle(PSecHandle h, const struct fs_package *pkg, uintptr_t value);

#endif
