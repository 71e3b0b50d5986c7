/* Builds each trace line in memory and writes it whole, under one lock, so lines never interleave. */
#include "trace.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "origin.h"
#include "quote.h"
#include "sspi.h"
#include "utf.h"
#include <fcntl.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *out;
/* Whether out is set, readable without the lock: every call begins a trace, and with tracing off (the usual
 * case) that must not take a lock every thread shares (bench/README, two threads). */
static atomic_int tracing;
static char *out_path;   /* the open destination, so a reset to the same one goes on writing */
static pid_t out_pid;    /* the process that opened it: a forked child's records name their pid */
static int out_is_stderr;
static int json_format, trace_level = 1;
/* The call being traced on this thread, for notes made deep inside it (misuse, faults). */
static _Thread_local struct fs_trace *active;

static void json_string(FILE *f, const char *s) { fs_quote(f, s, 1); }

/* Writes one finished line under the lock; the caller holds it. */
static void write_line(uint64_t number, const char *text)
{
    if (json_format)
        fprintf(out, "{\"seq\":%llu,%s\n", (unsigned long long)number, text);
    else
        fprintf(out, "#%llu %s\n", (unsigned long long)number, text);
    if (fflush(out) == EOF || ferror(out)) {
        /* A full disk or a closed pipe: say so once and stop, rather than lose lines silently. */
        int err = errno;
        fprintf(stderr, "fakesspi: writing the trace to %s failed (%s); tracing stops\n",
                out_path ? out_path : "stderr", strerror(err));
        if (!out_is_stderr)
            fclose(out);
        out = NULL;
        atomic_store(&tracing, 0);
    }
}

static void reset_record(const char *label)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return;
    pid_t pid = getpid();
    if (json_format) {
        fputs("\"reset\":true", m);
        if (label) {
            fputs(",\"test\":", m);
            json_string(m, label);
        }
        if (pid != out_pid)
            fprintf(m, ",\"pid\":%ld", (long)pid);
        fputc('}', m);
    } else {
        fputs("fakesspi_reset()", m);
        if (label)
            fprintf(m, " test=\"%s\"", label);
        if (pid != out_pid)
            fprintf(m, " pid=%ld", (long)pid);
    }
    fclose(m);
    write_line(0, text);
    free(text);
}

void fs_trace_configure(const char *destination, int json, int level, const char *label)
{
    pthread_mutex_lock(&lock);
    int same = out && destination && out_path && !strcmp(destination, out_path);
    if (!same) {
        if (out && !out_is_stderr)
            fclose(out);
        out = NULL;
        out_is_stderr = 0;
        free(out_path);
        out_path = NULL;
        if (destination && *destination) {
            if (!strcmp(destination, "stderr")) {
                out = stderr;
                out_is_stderr = 1;
            } else if ((out = fopen(destination, "w"))) {
                /* Appending from here on: children forked by a test runner add to the same file. */
                fcntl(fileno(out), F_SETFL, fcntl(fileno(out), F_GETFL) | O_APPEND);
            } else {
                fprintf(stderr, "fakesspi: FAKESSPI_TRACE=%s cannot be opened for writing; no trace\n", destination);
            }
            if (out) {
                out_path = strdup(destination);
                out_pid = getpid();
            }
        }
    }
    json_format = json;
    trace_level = level;
    if (out && (same || label))
        reset_record(label);
    atomic_store(&tracing, out != NULL);
    pthread_mutex_unlock(&lock);
}

void fs_trace_begin(struct fs_trace *t, const char *function, uint64_t number)
{
    memset(t, 0, sizeof *t);
    t->number = number;
    if (!atomic_load_explicit(&tracing, memory_order_relaxed))
        return;
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
    unsigned thread_index = fs_logical_thread();
    active = t;
    if (t->json) {
        fprintf(t->mem, "\"thread\":%u,\"function\":", thread_index);
        json_string(t->mem, function);
        fputs(",\"args\":{", t->mem);
    } else {
        fprintf(t->mem, "[%u] %s(", thread_index, function);
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
        fs_quote(t->mem, value, t->json);
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
    if (!t->on || t->outputs)
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
        if (t->notes[0]) {
            fputs(",\"notes\":", t->mem);
            json_string(t->mem, t->notes);
        }
        fputc('}', t->mem);
    } else {
        fprintf(t->mem, "%s = %s", t->outputs == 2 ? "" : ")", result);
        if (t->notes[0])
            fprintf(t->mem, " [%s]", t->notes);
    }
    fclose(t->mem);
    if (active == t)
        active = NULL;
    pthread_mutex_lock(&lock);
    if (out)
        write_line(t->number, t->text);
    pthread_mutex_unlock(&lock);
    free(t->text);
    t->on = 0;
}

void fs_trace_note(const char *note)
{
    struct fs_trace *t = active;
    if (!t || !t->on)
        return;
    size_t used = strlen(t->notes);
    snprintf(t->notes + used, sizeof t->notes - used, "%s%s", used ? "; " : "", note);
}

void fs_trace_record(const char *text)
{
    pthread_mutex_lock(&lock);
    if (out) {
        char *line = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&line, &len);
        if (m) {
            if (json_format) {
                fprintf(m, "\"thread\":%u,\"record\":", fs_logical_thread());
                json_string(m, text);
                fputc('}', m);
            } else {
                fprintf(m, "[%u] %s", fs_logical_thread(), text);
            }
            fclose(m);
            write_line(fs_origin_last_event(), line);
            free(line);
        }
    }
    pthread_mutex_unlock(&lock);
}
