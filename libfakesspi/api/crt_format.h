/* The printf engine of the Microsoft C runtime's meaning, shared by the wide printf family and FormatMessage's
 * %n!format! inserts. wsprintf is not a user of it: user32's smaller printf keeps an unknown conversion as text,
 * takes its flags in one order and has no floating point (doc/semantics.md §38), so it has a formatter of its own. */
#ifndef FS_API_CRT_FORMAT_H
#define FS_API_CRT_FORMAT_H

#include <stdarg.h>
#include <stdint.h>
#include "core/bytes.h"

/* Appends to out, as UTF-8, the text of format (UTF-16 units when format_wide, else UTF-8) with the
 * arguments in *ap. wide_strings says what plain %s and %c take: wide in the wide functions, narrow in
 * the narrow ones (%S and %C take the other kind; %hs/%hc narrow, %ls/%lc/%ws/%wc wide). Integer sizes
 * follow Windows (LLP64): %l is 32 bits, %ll and %I64 64, %I and %z pointer-sized. max_units, when not
 * 0, stops after that many output characters (wsprintf's 1024). Returns 0, or -1 on a conversion the
 * runtime refuses (%n, an unknown one) or out of memory. */
int fs_crt_vformat(struct fs_writer *out, const void *format, int format_wide, int wide_strings, va_list *ap);

/* One conversion (spec is its text after the '%', narrow: "08x", "I64u", "-10s") of one argument passed as
 * a pointer-sized value, as FormatMessage's %n!spec! inserts take theirs: strings and characters as in
 * fs_crt_vformat, integers of 32 bits unless I64/ll say 64. No '*' and no floating point. Returns 0, or -1
 * for a spec that is not one such conversion or out of memory. */
int fs_crt_format_value(struct fs_writer *out, const char *spec, uintptr_t value, int wide_strings);

/* out's UTF-8 text as 16-bit units: NEW (free()), *units its length without the NUL; NULL when out of
 * memory. */
uint16_t *fs_crt_widen(const struct fs_writer *out, size_t *units);

#endif
