/* UTF-8 <-> UTF-16LE conversion: A functions take UTF-8, W functions 16-bit units. */
#ifndef FS_CORE_UTF_H
#define FS_CORE_UTF_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

/* Converts inlen units (not NUL-terminated); with out == NULL only counts. Invalid input gives
 * FS_E_NO_UNICODE_TRANSLATION when strict, else U+FFFD. outcap too small: FS_E_INSUFFICIENT_BUFFER
 * with *outlen = units needed. */
/* Not marked FS_MUST_CHECK: lenient calls (strict = 0) measure and convert and cannot fail. */
fs_err fs_utf8_to_utf16(const char *in, size_t inlen, uint16_t *out, size_t outcap, size_t *outlen, int strict);
fs_err fs_utf16_to_utf8(const uint16_t *in, size_t inlen, char *out, size_t outcap, size_t *outlen, int strict);

size_t fs_utf16_len(const uint16_t *s);
/* NEW, NUL-terminated, malloc'd; NULL on allocation failure or NULL input. */
char *fs_utf16_to_utf8_dup(const uint16_t *s);

/* Windows' case-insensitive form of a name (every UTF-16 unit upcased by itself, as RtlUpcaseUnicodeChar
 * does): "Jürgen" -> "JÜRGEN". Writes it NUL-terminated; FS_E_NO_UNICODE_TRANSLATION when in is not
 * UTF-8, FS_E_INSUFFICIENT_BUFFER when cap is too small. */
FS_MUST_CHECK fs_err fs_utf8_upcase(const char *in, char *out, size_t cap, size_t *outlen);
int fs_utf8_is_valid(const char *s, size_t len);
/* Bytes of the valid UTF-8 sequence at s (at most n), or 0 when the byte there starts none. */
size_t fs_utf8_sequence(const char *s, size_t n);
/* UTF-16 units of a UTF-8 string: the length Windows' limits count. */
size_t fs_utf8_units(const char *s);

/* ASCII case folding, as Windows' ordinal-ignore-case does for the names we compare. */
int fs_ascii_casecmp(const char *a, const char *b);
/* The same over at most n bytes of each. */
int fs_ascii_ncasecmp(const char *a, const char *b, size_t n);
int fs_utf16_ascii_casecmp(const uint16_t *a, const uint16_t *b);

#endif
