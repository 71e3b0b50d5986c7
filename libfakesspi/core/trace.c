/* Builds each trace line in memory and writes it whole, under one lock, so lines never interleave. */
#include "trace.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sspi.h"
#include "utf.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *out;
static int out_is_stderr;
static char out_name[256];     /* for the one message if writing fails */
static int json_format, trace_level = 1;
static uint64_t seq;
/* Threads are numbered in the order they first trace, so a run repeats byte for byte. */
static atomic_int next_thread = 1;
static _Thread_local int thread_index;

void fs_trace_configure(const char *destination, int json, int level)
{
    pthread_mutex_lock(&lock);
    if (out && !out_is_stderr)
        fclose(out);
    out = NULL;
    out_is_stderr = 0;
    if (destination && *destination) {
        if (!strcmp(destination, "stderr")) {
            out = stderr;
            out_is_stderr = 1;
        } else if (!(out = fopen(destination, "w"))) {
            fprintf(stderr, "fakesspi: FAKESSPI_TRACE=%s cannot be opened for writing; no trace\n", destination);
        }
        snprintf(out_name, sizeof out_name, "%s", destination);
    }
    json_format = json;
    trace_level = level;
    seq = 0;
    atomic_store(&next_thread, 1);
    thread_index = 0;
    pthread_mutex_unlock(&lock);
}

/* A caller's string, quoted so that it cannot end the line or the string early: control characters escaped
 * (a newline in a target name no longer forges a trace line), a quote escaped (in JSON a backslash too; text
 * keeps DOMAIN\user as it is), bytes that are not UTF-8 shown as \xNN in text
 * and as U+FFFD in JSON (which must stay valid UTF-8). */
static void quoted(FILE *f, const char *s, int json)
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
        if (c == '"' || (c == '\\' && json)) /* text keeps DOMAIN\user readable */
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

static void json_string(FILE *f, const char *s) { quoted(f, s, 1); }

void fs_trace_begin(struct fs_trace *t, const char *function)
{
    memset(t, 0, sizeof *t);
    pthread_mutex_lock(&lock);
    t->on = out != NULL;
    t->json = json_format;
    t->level = trace_level;
    pthread_mutex_unlock(&lock);
    if (!t->on)
        return;
    t->mem = open_memstream(&t->text, &t->len);
    if (!t->mem) {
        t->on = 0;
        return;
    }
    if (!thread_index)
        thread_index = atomic_fetch_add(&next_thread, 1);
    if (t->json) {
        fprintf(t->mem, "\"thread\":%d,\"function\":", thread_index);
        json_string(t->mem, function);
        fputs(",\"args\":{", t->mem);
    } else {
        fprintf(t->mem, "[%d] %s(", thread_index, function);
    }
}

/* The key of the next field, with its separator. */
static void key(struct fs_trace *t, const char *k)
{
    if (t->json) {
        fputs(t->fields++ ? "," : "", t->mem);
        json_string(t->mem, k);
        fputc(':', t->mem);
    } else {
        /* The text form opens its outputs with the first one: a call with none ends plainly. */
        if (t->outputs == 1) {
            fputs(") -> ", t->mem);
            t->outputs = 2;
        }
        fprintf(t->mem, "%s%s=", t->fields++ ? ", " : "", k);
    }
}

static void text_value(struct fs_trace *t, const char *v)
{
    if (t->json)
        json_string(t->mem, v);
    else
        fputs(v, t->mem);
}

void fs_trace_handle(struct fs_trace *t, const char *k, uintptr_t value)
{
    if (!t->on)
        return;
    char v[32];
    if (value)
        snprintf(v, sizeof v, "%#lx", (unsigned long)value);
    else
        snprintf(v, sizeof v, "NULL");
    key(t, k);
    text_value(t, v);
}

void fs_trace_sec_handle(struct fs_trace *t, const char *k, const void *handle)
{
    if (!t->on)
        return;
    const SecHandle *h = handle;
    char v[64];
    if (h)
        snprintf(v, sizeof v, "{%lu,%#lx}", (unsigned long)h->dwLower, (unsigned long)h->dwUpper);
    else
        snprintf(v, sizeof v, "NULL");
    key(t, k);
    text_value(t, v);
}

void fs_trace_string(struct fs_trace *t, const char *k, const char *value)
{
    if (!t->on)
        return;
    key(t, k);
    if (!value)
        fputs(t->json ? "null" : "NULL", t->mem);
    else
        quoted(t->mem, value, t->json);
}

void fs_trace_number(struct fs_trace *t, const char *k, uint64_t value)
{
    if (!t->on)
        return;
    key(t, k);
    fprintf(t->mem, "%llu", (unsigned long long)value);
}

void fs_trace_flags(struct fs_trace *t, const char *k, enum fs_names table, uint32_t value)
{
    if (!t->on)
        return;
    char v[1024];
    fs_flags_format(table, value, v, sizeof v);
    key(t, k);
    text_value(t, v);
}

void fs_trace_value(struct fs_trace *t, const char *k, enum fs_names table, uint32_t value)
{
    if (!t->on)
        return;
    const char *name = fs_value_name(table, value);
    char v[32];
    snprintf(v, sizeof v, "%u", value);
    key(t, k);
    text_value(t, name ? name : v);
}

void fs_trace_buffers(struct fs_trace *t, const char *k, const void *d)
{
    if (!t->on)
        return;
    const SecBufferDesc *desc = d;
    key(t, k);
    if (!desc || !desc->pBuffers) {
        fputs(t->json ? "null" : "NULL", t->mem);
        return;
    }
    fputc('[', t->mem);
    for (ULONG i = 0; i < desc->cBuffers && i < 16; i++) {
        const SecBuffer *b = &desc->pBuffers[i];
        const char *type = fs_value_name(FS_NAMES_SECBUFFER, b->BufferType & ~SECBUFFER_ATTRMASK);
        const char *shown = type ? type + strlen("SECBUFFER_") : "?";
        if (t->json)
            fprintf(t->mem, "%s{\"type\":\"%s\",\"size\":%lu", i ? "," : "", shown, (unsigned long)b->cbBuffer);
        else
            fprintf(t->mem, "%s%s %lu", i ? ", " : "", shown, (unsigned long)b->cbBuffer);
        if (t->level >= 2 && b->pvBuffer && b->cbBuffer) {
            fputs(t->json ? ",\"hex\":\"" : " ", t->mem);
            for (ULONG j = 0; j < b->cbBuffer && j < 4096; j++)
                fprintf(t->mem, "%02x", ((const unsigned char *)b->pvBuffer)[j]);
            if (t->json)
                fputc('"', t->mem);
        }
        if (t->json)
            fputc('}', t->mem);
    }
    fputc(']', t->mem);
}

void fs_trace_outputs(struct fs_trace *t)
{
    if (!t->on)
        return;
    if (t->json)
        fputs("},\"out\":{", t->mem);
    t->fields = 0;
    t->outputs = t->json ? 2 : 1;
}

void fs_trace_end(struct fs_trace *t, const char *result)
{
    if (!t->on)
        return;
    if (t->json) {
        fputs("},\"result\":", t->mem);
        json_string(t->mem, result);
        fputc('}', t->mem);
    } else {
        fprintf(t->mem, "%s = %s", t->outputs == 2 ? "" : ")", result);
    }
    fclose(t->mem);
    pthread_mutex_lock(&lock);
    if (out) {
        ++seq;
        int rc = json_format ? fprintf(out, "{\"seq\":%llu,%s\n", (unsigned long long)seq, t->text)
                             : fprintf(out, "#%llu %s\n", (unsigned long long)seq, t->text);
        if (fflush(out) || rc < 0 || ferror(out)) {
            /* Said once, and the trace stops: a trace with holes would mislead more than none. */
            int err = errno;
            if (!out_is_stderr) {
                fprintf(stderr, "fakesspi: writing the trace to %s failed (%s); the trace stops here\n", out_name,
                        strerror(err));
                fclose(out);
            }
            out = NULL;
        }
    }
    pthread_mutex_unlock(&lock);
    free(t->text);
    t->on = 0;
}
