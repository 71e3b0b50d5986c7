/* One way to print a string that came from outside: the trace, the teaching tools' text and JSON. */
#include "quote.h"

#include <string.h>

#include "utf.h"

void fs_quote(FILE *f, const char *s, int json)
{
    fputc('"', f);
    size_t len = s ? strlen(s) : 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : fs_utf8_sequence(s + i, len - i);
        if (n == 0) {
            if (json)
                fputs("\\ufffd", f);
            else
                fprintf(f, "\\x%02x", c);
            i++;
            continue;
        }
        if (c == '"' || (c == '\\' && json))
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, json ? "\\u%04x" : "\\x%02x", c);
        else
            fwrite(s + i, 1, n, f);
        i += n;
    }
    fputc('"', f);
}

