/* Reading a domain from INI text, and the embedded default domain's text. */
#ifndef FS_SECURITY_DOMAIN_INI_H
#define FS_SECURITY_DOMAIN_INI_H

#include <stddef.h>
#include "domain.h"

/* Parses INI text into a NEW domain. On error returns NULL and writes "SOURCE:LINE: reason". */
struct fs_domain *fs_domain_parse(const char *text, const char *source, char *message, size_t cap);
/* The same over len bytes, which may hold a NUL (refused with its line). */
struct fs_domain *fs_domain_parse_bytes(const char *text, size_t len, const char *source, char *message, size_t cap);
/* The embedded default domain (README.md documents it). */
extern const char fs_default_domain_ini[];

#endif
