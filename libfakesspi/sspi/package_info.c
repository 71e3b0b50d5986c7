/* SecPkgInfoA/W as EnumerateSecurityPackages, QuerySecurityPackageInfo and the PACKAGE_INFO and
 * NEGOTIATION_INFO attributes hand them out: each answer one FreeContextBuffer block (doc/semantics.md §5). */
#include "package_info.h"

#include "buffers.h"

/* SecPkgInfoA and W share their layout but for the string pointers' types. */
static size_t fill_info(SecPkgInfoA *info, char *strings, const struct fs_package *pkg, int wide)
{
    info->fCapabilities = pkg->capabilities;
    info->wVersion = pkg->version;
    info->wRPCID = pkg->rpcid;
    info->cbMaxToken = pkg->max_token;
    info->Name = strings;
    size_t n = fs_context_string_put(strings, pkg->name, wide);
    info->Comment = strings + n;
    return n + fs_context_string_put(strings + n, pkg->comment, wide);
}

void *fs_package_info(const struct fs_package *pkg, int wide, const char *api)
{
    size_t size = sizeof(SecPkgInfoA) + fs_context_string_size(pkg->name, wide) + fs_context_string_size(pkg->comment, wide);
    SecPkgInfoA *info = fs_context_buffer(size, api);
    if (info)
        fill_info(info, (char *)(info + 1), pkg, wide);
    return info;
}

void *fs_package_info_all(int wide, ULONG *count, const char *api)
{
    size_t n = fs_package_count(), size = n * sizeof(SecPkgInfoA);
    for (size_t i = 0; i < n; i++)
        size += fs_context_string_size(fs_package_at(i)->name, wide) + fs_context_string_size(fs_package_at(i)->comment, wide);
    SecPkgInfoA *infos = fs_context_buffer(size, api);
    if (!infos)
        return NULL;
    char *strings = (char *)(infos + n);
    for (size_t i = 0; i < n; i++)
        strings += fill_info(&infos[i], strings, fs_package_at(i), wide);
    *count = (ULONG)n;
    return infos;
}
