/* FAKESSPI_PCAP: the process's tokens, signed and sealed messages as a capture, written as they happen. */
#include "capture.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "packages/package.h"

#define STATUS_OK 0
#define STATUS_CONTINUE_NEEDED 0x00090312 /* SEC_I_CONTINUE_NEEDED */

/* One connection: the contexts at its two ends ([0] client, [1] server; NULL when the end is in another
 * process or its context is gone), and the last token each end of this process handed out. */
struct conn {
    struct fs_pcap_conn wire;
    struct fs_context *end[2];
    int paired;   /* both ends were contexts of this process: each writes only what it sends */
    int remote;   /* a client whose server answered from another process: no server here may join */
    int live[2];  /* the end's context still exists */
    uint8_t *last[2];
    size_t last_len[2];
    char scheme[16], host[256];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *file;
static atomic_int active; /* file != NULL, read without the lock */
static char *file_path;
static enum fs_pcap_carrier carrier;
static uint64_t next_usec;   /* the time the next packet may take, across legs */
static unsigned connections; /* connections begun in this file: the next one's number */
static struct conn **conns;
static atomic_size_t nconns; /* changed under the lock; read without it by fs_capture_forget's fast path */

static void drop(struct conn *c)
{
    free(c->last[0]);
    free(c->last[1]);
    free(c);
}

static void forget_all(void)
{
    for (size_t i = 0; i < nconns; i++)
        drop(conns[i]);
    free(conns);
    conns = NULL;
    nconns = 0;
}

/* A capture of this call's packets, starting no earlier than the virtual clock. */
static void begin(struct fs_pcap *p)
{
    fs_writer_init(&p->out);
    p->usec = next_usec;
    fs_pcap_at(p, fs_pcap_usec(fs_clock_now()));
}

/* Appends the packets; one that could not be built (an allocation failed) is left out. */
static void flush(struct fs_pcap *p)
{
    next_usec = p->usec;
    if (file && !p->out.failed && p->out.len) {
        if (fwrite(p->out.data, 1, p->out.len, file) != p->out.len || fflush(file)) {
            fprintf(stderr, "fakesspi: writing the capture to %s failed; capturing stops\n", file_path);
            fclose(file);
            file = NULL;
            atomic_store(&active, 0);
        }
    }
    fs_writer_free(&p->out);
}

int fs_capture_active(void) { return atomic_load(&active); }

int fs_capture_configure(const char *path, enum fs_pcap_carrier how)
{
    pthread_mutex_lock(&lock);
    carrier = how;
    int same = file && path && file_path && !strcmp(path, file_path);
    int rc = 0;
    if (!same) {
        forget_all();
        if (file)
            fclose(file);
        file = NULL;
        free(file_path);
        file_path = NULL;
        connections = 0;
        if (path && *path) {
            struct fs_pcap p;
            fs_pcap_begin(&p, fs_pcap_usec(fs_clock_now()));
            if ((file = fopen(path, "wb")) && (file_path = fs_strdup(path))) {
                flush(&p);
            } else {
                fs_writer_free(&p.out);
                if (file)
                    fclose(file);
                file = NULL;
                rc = -1;
            }
        }
    }
    atomic_store(&active, file != NULL);
    pthread_mutex_unlock(&lock);
    return rc;
}

static struct conn *find(const struct fs_context *ctx)
{
    for (size_t i = 0; i < nconns; i++)
        if (conns[i]->end[ctx->server] == ctx)
            return conns[i];
    return NULL;
}

/* The connection a server's first input comes on: the oldest one whose client, a context of this process,
 * sent exactly these bytes last and has no server yet. */
static struct conn *find_client_of(const uint8_t *in, size_t in_len)
{
    for (size_t i = 0; in_len && i < nconns; i++) {
        struct conn *c = conns[i];
        if (c->live[0] && !c->end[1] && !c->paired && !c->remote && c->last_len[0] == in_len && !memcmp(c->last[0], in, in_len))
            return c;
    }
    return NULL;
}

static struct conn *open_conn(struct fs_context *ctx, struct fs_pcap *p)
{
    struct conn *c = fs_calloc(1, sizeof *c);
    struct conn **grown = c ? fs_realloc(conns, (nconns + 1) * sizeof *conns) : NULL;
    if (!grown) {
        free(c);
        return NULL;
    }
    conns = grown;
    conns[nconns++] = c;
    c->end[ctx->server] = ctx;
    c->live[ctx->server] = 1;
    const char *slash = ctx->target ? strchr(ctx->target, '/') : NULL;
    snprintf(c->host, sizeof c->host, "%s", slash ? slash + 1 : ctx->target ? ctx->target : "server.example.test");
    snprintf(c->scheme, sizeof c->scheme, "%s", !strcmp(ctx->pkg->name, "NTLM") ? "NTLM" : "Negotiate");
    fs_pcap_connect(p, &c->wire, carrier, connections++);
    return c;
}

static void remember(struct conn *c, int side, const uint8_t *token, size_t len)
{
    free(c->last[side]);
    c->last[side] = NULL;
    c->last_len[side] = 0;
    if (len && (c->last[side] = fs_malloc(len))) {
        memcpy(c->last[side], token, len);
        c->last_len[side] = len;
    }
}

/* The status of a server in another process, as the client's answer to its token shows it: the client goes
 * on, so the server did; the client finishes with a last word (NTLM's AUTHENTICATE), so the server had asked
 * for more; the client finishes with nothing to add (Kerberos' AP-REP taken), so the server had finished. */
static int32_t peer_server_status(int32_t client_status, size_t client_out_len)
{
    if (client_status == STATUS_OK && !client_out_len)
        return STATUS_OK;
    return STATUS_CONTINUE_NEEDED;
}

void fs_capture_leg(struct fs_context *ctx, const uint8_t *in, size_t in_len, int32_t status, const uint8_t *out,
                    size_t out_len)
{
    pthread_mutex_lock(&lock);
    if (!file) {
        pthread_mutex_unlock(&lock);
        return;
    }
    struct fs_pcap p;
    begin(&p);
    int side = ctx->server;
    struct conn *c = find(ctx);
    if (!c && side && (c = find_client_of(in, in_len))) {
        c->end[1] = ctx;
        c->live[1] = 1;
        c->paired = 1;
    }
    if (!c)
        c = open_conn(ctx, &p);
    if (c) {
        /* What came from an end in another process is written as that end's, before this end's answer. */
        if (!c->paired && in_len) {
            c->remote = !side;
            fs_pcap_token(&p, &c->wire, side, side ? STATUS_OK : peer_server_status(status, out_len), in, in_len,
                          c->scheme, c->host);
        }
        fs_pcap_token(&p, &c->wire, !side, status, out, out_len, c->scheme, c->host);
        remember(c, side, out, out_len);
    }
    flush(&p);
    pthread_mutex_unlock(&lock);
}

void fs_capture_message(struct fs_context *ctx, int sent, int sealed, const uint8_t *trailer, size_t trailer_len,
                        const uint8_t *data, size_t data_len)
{
    pthread_mutex_lock(&lock);
    struct conn *c = file ? find(ctx) : NULL;
    if (c && (sent || !c->paired)) {
        struct fs_pcap p;
        begin(&p);
        int from_client = sent ? !ctx->server : ctx->server;
        fs_pcap_message(&p, &c->wire, from_client, sealed, trailer, trailer_len, data, data_len);
        flush(&p);
    }
    pthread_mutex_unlock(&lock);
}

void fs_capture_forget(struct fs_context *ctx)
{
    /* Every context deletion comes here; with nothing recorded (the usual case) it takes no shared lock. A
     * connection of ctx's own could only be opened by a call on ctx, which cannot run while ctx is deleted. */
    if (!atomic_load(&nconns))
        return;
    pthread_mutex_lock(&lock);
    struct conn *c = find(ctx);
    if (c) {
        c->end[ctx->server] = NULL;
        c->live[ctx->server] = 0;
        if (!c->live[0] && !c->live[1]) {
            if (file) {
                struct fs_pcap p;
                begin(&p);
                fs_pcap_disconnect(&p, &c->wire);
                flush(&p);
            }
            size_t i = 0;
            while (conns[i] != c)
                i++;
            memmove(conns + i, conns + i + 1, (--nconns - i) * sizeof *conns); /* oldest first stays true */
            drop(c);
        }
    }
    pthread_mutex_unlock(&lock);
}
