/* UTF-8 <-> UTF-16LE conversion: A functions take UTF-8, W functions 16-bit units. */
#ifndef FS_CORE_UTF_H
#define FS_CORE_UTF_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

/* Converts inlen units (not NUL-terminated); with out == NULL only counts. Invalid input gives
 * FS_E_NO_UNICODE_TRANSLATION when strict, else U+FFFD. outcap too small: FS_E_INSUFFICIENT_BUFFER
 * with *outlen = units needed. */
fs_err fs_utf8_to_utf16(const char *in, size_t inlen, uint16_t *out, size_t outcap, size_t *outlen, int strict);
fs_err fs_utf16_to_utf8(const uint16_t *in, size_t inlen, char *out, size_t outcap, size_t *outlen, int strict);

size_t fs_utf16_len(const uint16_t *s);
/* NEW, NUL-terminated, malloc'd; NULL on allocation failure or NULL input. */
char *fs_utf16_to_utf8_dup(const uint16_t *s);

/* ASCII case folding, as Windows' ordinal-ignore-case does for the names we compare. */
int fs_ascii_casecmp(const char *a, const char *b);
int fs_utf16_ascii_casecmp(const uint16_t *a, const uint16_t *b);

#endif
