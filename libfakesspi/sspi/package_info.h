/* SecPkgInfoA/W blocks for FreeContextBuffer. */
#ifndef FS_SSPI_PACKAGE_INFO_H
#define FS_SSPI_PACKAGE_INFO_H

#include "packages/package.h"
#include "sspi.h"

/* One block with the SecPkgInfoA/W and its strings, for a single FreeContextBuffer (doc/semantics.md §5). */
void *fs_package_info(const struct fs_package *pkg, int wide, const char *api);
/* The same for every package: an array, strings after it. */
void *fs_package_info_all(int wide, ULONG *count, const char *api);

#endif
