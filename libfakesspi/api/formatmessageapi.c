/* FormatMessageA/W: Windows' English message texts from one table (message_table.def), inserts and escapes
 * as the system's message formatter does them (doc/semantics.md §36). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "entry.h"
#include "api/crt_format.h"
#include "core/alloc.h"
#include "core/bytes.h"
#include "core/memtrack.h"
#include "core/utf.h"

struct message {
    uint32_t code;
    const char *text;
};

static const struct message messages[] = {
#define X(value, name, text) { value, text },
#include "message_table.def"
#undef X
};

static const char *system_text(DWORD code)
{
    size_t lo = 0, hi = sizeof messages / sizeof messages[0];
    while (lo < hi) { /* the table is sorted by value */
        size_t mid = (lo + hi) / 2;
        if (messages[mid].code == code)
            return messages[mid].text;
        if (messages[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* HRESULT_FROM_WIN32(e): the Win32 error's text, as the system's table gives it. */
    if ((code & 0xFFFF0000u) == 0x80070000u)
        return system_text(code & 0xFFFF);
    return NULL;
}

/* Neutral and English are kept; other languages have no text here. */
static int language_known(DWORD lang)
{
    WORD primary = PRIMARYLANGID(lang);
    return lang == 0 || primary == LANG_NEUTRAL || primary == LANG_ENGLISH;
}

struct inserts {
    int wide;             /* strings are WCHAR */
    int array;            /* Arguments is a DWORD_PTR array */
    const DWORD_PTR *values;
    va_list *ap;
    DWORD_PTR taken[100]; /* va_list arguments read so far, by insert number */
    int ntaken;
};

static DWORD_PTR argument(struct inserts *in, int n)
{
    if (in->array)
        return in->values[n - 1];
    while (in->ntaken < n) /* each va_list argument is pointer-sized, as Windows reads them */
        in->taken[++in->ntaken] = va_arg(*in->ap, DWORD_PTR);
    return in->taken[n];
}

/* %n!fmt! with one argument, given as FormatMessage takes each: pointer-sized. fmt is the C runtime's
 * conversion (doc/semantics.md §20), with the call's width for %s. */
static int put_insert(struct fs_writer *out, struct inserts *in, int n, const char *fmt)
{
    return fs_crt_format_value(out, fmt, (uintptr_t)argument(in, n), in->wide);
}

/* The message text, its escapes and inserts, into out (UTF-8). The width mask FF makes the text's own
 * line breaks spaces, %n still breaking the line. */
static fs_err expand(struct fs_writer *out, const char *text, DWORD flags, struct inserts *in)
{
    int ignore = (flags & FORMAT_MESSAGE_IGNORE_INSERTS) != 0;
    int no_breaks = (flags & FORMAT_MESSAGE_MAX_WIDTH_MASK) == FORMAT_MESSAGE_MAX_WIDTH_MASK;
    for (const char *p = text; *p; p++) {
        if (*p == '\r' && p[1] == '\n' && no_breaks) {
            fs_write_u8(out, ' ');
            p++;
            continue;
        }
        if (*p != '%' || ignore) {
            fs_write_u8(out, (uint8_t)*p);
            continue;
        }
        char c = *++p;
        if (c == '0')
            return FS_OK; /* the end, without a line break */
        if (c >= '1' && c <= '9') {
            int n = c - '0';
            if (p[1] >= '0' && p[1] <= '9')
                n = n * 10 + (*++p - '0');
            char fmt[24] = "s";
            if (p[1] == '!') {
                const char *end = strchr(p + 2, '!');
                if (!end || (size_t)(end - p - 2) >= sizeof fmt)
                    return FS_E_INVALID_PARAMETER;
                memcpy(fmt, p + 2, (size_t)(end - p - 2));
                fmt[end - p - 2] = 0;
                p = end;
            }
            if (!in->values && !in->ap)
                return FS_E_INVALID_PARAMETER;
            if (put_insert(out, in, n, fmt) != 0)
                return FS_E_INVALID_PARAMETER;
            continue;
        }
        switch (c) {
        case 'n': fs_write_bytes(out, "\r\n", 2); break;
        case 'r': fs_write_u8(out, '\r'); break;
        case 't': fs_write_u8(out, '\t'); break;
        case 'b': fs_write_u8(out, ' '); break;
        case 0: return FS_OK;
        default: fs_write_u8(out, (uint8_t)c); break; /* %%, %., %!, %space */
        }
    }
    return FS_OK;
}

static fs_err format_message(DWORD flags, LPCVOID source, DWORD id, DWORD lang, void *buffer, DWORD size,
                             va_list *args, int wide, DWORD *written, const char *api)
{
    if (!buffer)
        return FS_E_INVALID_PARAMETER;
    const char *text = NULL;
    char *from_string = NULL;
    if (flags & FORMAT_MESSAGE_FROM_STRING) {
        if (!source)
            return FS_E_INVALID_PARAMETER;
        int failed = 0;
        text = from_string = wide ? fs_api_narrow(source, &failed) : fs_strdup(source);
        if (!text)
            return FS_E_NOMEM;
    } else if ((flags & FORMAT_MESSAGE_FROM_SYSTEM) && (!(flags & FORMAT_MESSAGE_FROM_HMODULE) || !source)) {
        if (!language_known(lang))
            return FS_E_RESOURCE_LANG_NOT_FOUND;
        text = system_text(id);
        if (!text)
            return FS_E_MR_MID_NOT_FOUND;
    } else {
        return FS_E_MR_MID_NOT_FOUND; /* no module of ours carries a message table */
    }
    struct fs_writer out;
    fs_writer_init(&out);
    struct inserts in = { .wide = wide, .array = (flags & FORMAT_MESSAGE_ARGUMENT_ARRAY) != 0 };
    if (in.array)
        in.values = (const DWORD_PTR *)args;
    else
        in.ap = args;
    fs_err err = expand(&out, text, flags, &in);
    /* A system message ends with its line break (a space under the width mask), unless %0 ended it. */
    if (err == FS_OK && !from_string && !strstr(text, "%0"))
        fs_write_bytes(&out, (flags & 0xFF) == 0xFF ? " " : "\r\n", (flags & 0xFF) == 0xFF ? 1 : 2);
    free(from_string);
    if (err == FS_OK && out.failed)
        err = FS_E_NOMEM;
    size_t units = out.len;
    void *result = NULL;
    if (err == FS_OK && wide) {
        result = fs_crt_widen(&out, &units);
        if (!result)
            err = FS_E_NOMEM;
    }
    const void *data = wide ? result : (const void *)(out.data ? (const char *)out.data : "");
    size_t unit = wide ? sizeof(WCHAR) : 1;
    if (err == FS_OK && (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER)) {
        size_t cap = units + 1 > size ? units + 1 : size;
        void *block = fs_mem_alloc(FS_MEM_LOCAL, cap * unit, 1, api);
        if (!block)
            err = FS_E_NOMEM;
        else
            *(void **)buffer = memcpy(block, data, units * unit);
    } else if (err == FS_OK) {
        if (units + 1 > size)
            err = FS_E_INSUFFICIENT_BUFFER;
        else {
            memcpy(buffer, data, units * unit);
            memset((char *)buffer + units * unit, 0, unit);
        }
    }
    if (err == FS_OK)
        *written = (DWORD)units;
    free(result);
    fs_writer_free(&out);
    return err;
}

static DWORD traced_format_message(const char *api, DWORD flags, LPCVOID source, DWORD id, DWORD lang, void *buffer,
                                   DWORD size, va_list *args, int wide)
{
    struct fs_call call;
    DWORD written = 0;
    fs_call_begin(&call, api);
    fs_trace_number(&call.trace, "dwFlags", flags);
    fs_trace_number(&call.trace, "dwMessageId", id);
    fs_trace_number(&call.trace, "dwLanguageId", lang);
    if (fs_call_proceed(&call))
        call.err = format_message(flags, source, id, lang, buffer, size, args, wide, &written, api);
    if (fs_call_outputs(&call))
        fs_trace_number(&call.trace, "characters", written);
    return fs_call_end_bool(&call) ? written : 0;
}

DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId, LPSTR lpBuffer,
                            DWORD nSize, va_list *Arguments)
{
    return traced_format_message("FormatMessageA", dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer, nSize,
                                 Arguments, 0);
}

DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId, LPWSTR lpBuffer,
                            DWORD nSize, va_list *Arguments)
{
    return traced_format_message("FormatMessageW", dwFlags, lpSource, dwMessageId, dwLanguageId, lpBuffer, nSize,
                                 Arguments, 1);
}
