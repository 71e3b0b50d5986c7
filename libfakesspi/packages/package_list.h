/* SEC_WINNT_AUTH_IDENTITY_EX's PackageList, read as Windows' Negotiate reads it. */
#ifndef FS_PACKAGES_PACKAGE_LIST_H
#define FS_PACKAGES_PACKAGE_LIST_H

/* Whether the list allows the package: an empty or NULL list allows all; "kerberos" names it (and, with
 * any name listed, only named packages are allowed); "!ntlm" excludes it. Names are case-insensitive. */
int fs_package_list_allows(const char *list, const char *package);

#endif
