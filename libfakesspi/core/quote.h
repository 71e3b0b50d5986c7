#ifndef FS_CORE_QUOTE_H
#define FS_CORE_QUOTE_H

#include <stdio.h>

/* s in double quotes, so that it cannot end the line or the string early: control characters escaped
 * (a newline in a target name cannot forge a trace line, an escape sequence cannot reach a terminal), a
 * quote escaped (in JSON a backslash too; text keeps DOMAIN\user as it is), bytes that are not UTF-8
 * shown as \xNN in text and as U+FFFD in JSON (which must stay valid UTF-8). NULL prints as "". */
void fs_quote(FILE *f, const char *s, int json);

#endif
