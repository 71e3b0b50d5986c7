/* bench/gss_handshake: the rows of bench/handshake for gss-ntlmssp through MIT GSSAPI (the API
 * differs, the work is the same: in-process NTLM handshakes, 1 KiB and 64 KiB wrap+unwrap, MIC pairs).
 * Needs NTLM_USER_FILE with "EXAMPLE:alice:Passw0rd!". Built and run by bench/compare.sh. */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static gss_OID_desc ntlmssp = {10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};
static gss_cred_id_t initiator, acceptor;
static gss_name_t target;
static double seconds_per_row = 2.0;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void setup(void)
{
    OM_uint32 minor;
    gss_buffer_desc user = {13, (void *)"EXAMPLE\\alice"}, password = {9, (void *)"Passw0rd!"};
    gss_buffer_desc service = {11, (void *)"HOST@server"};
    gss_name_t name;
    gss_OID_set_desc mechs = {1, &ntlmssp};
    gss_import_name(&minor, &user, GSS_C_NT_USER_NAME, &name);
    gss_import_name(&minor, &service, GSS_C_NT_HOSTBASED_SERVICE, &target);
    if (gss_acquire_cred_with_password(&minor, name, &password, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE, &initiator,
                                       NULL, NULL) ||
        gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_ACCEPT, &acceptor, NULL, NULL)) {
        fprintf(stderr, "gss-ntlmssp credentials failed (is NTLM_USER_FILE set?)\n");
        exit(1);
    }
    gss_release_name(&minor, &name);
}

static int handshake(gss_ctx_id_t *c, gss_ctx_id_t *s)
{
    OM_uint32 minor, cm = GSS_S_CONTINUE_NEEDED, sm = GSS_S_CONTINUE_NEEDED;
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER, back = GSS_C_EMPTY_BUFFER;
    *c = *s = GSS_C_NO_CONTEXT;
    for (int leg = 0; leg < 3 && (cm == GSS_S_CONTINUE_NEEDED || sm == GSS_S_CONTINUE_NEEDED); leg++) {
        cm = gss_init_sec_context(&minor, initiator, c, target, &ntlmssp, GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, 0,
                                  GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, NULL, NULL);
        gss_release_buffer(&minor, &back);
        if (GSS_ERROR(cm) || !out.length)
            break;
        sm = gss_accept_sec_context(&minor, s, acceptor, &out, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &back, NULL,
                                    NULL, NULL);
        gss_release_buffer(&minor, &out);
        if (GSS_ERROR(sm))
            break;
        in = back;
    }
    gss_release_buffer(&minor, &back);
    return cm == GSS_S_COMPLETE && sm == GSS_S_COMPLETE;
}

static void *loop(void *arg)
{
    long *count = arg;
    OM_uint32 minor;
    double end = now() + seconds_per_row;
    while (now() < end) {
        gss_ctx_id_t c, s;
        if (!handshake(&c, &s)) {
            fprintf(stderr, "gss handshake failed\n");
            exit(1);
        }
        gss_delete_sec_context(&minor, &c, GSS_C_NO_BUFFER);
        gss_delete_sec_context(&minor, &s, GSS_C_NO_BUFFER);
        (*count)++;
    }
    return NULL;
}

static void handshakes(int threads)
{
    pthread_t th[8];
    long counts[8] = {0};
    double start = now();
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, loop, &counts[i]);
    long total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        total += counts[i];
    }
    printf("gss-ntlmssp handshakes_%dthread %.0f per_second\n", threads, (double)total / (now() - start));
}

static void protection(size_t size, int seal)
{
    OM_uint32 minor;
    gss_ctx_id_t c, s;
    if (!handshake(&c, &s))
        exit(1);
    char *data = malloc(size);
    memset(data, 'x', size);
    long n = 0;
    double start = now(), end = start + seconds_per_row;
    while (now() < end) {
        gss_buffer_desc msg = {size, data}, tok = GSS_C_EMPTY_BUFFER, back = GSS_C_EMPTY_BUFFER;
        int ok = seal ? !gss_wrap(&minor, c, 1, 0, &msg, NULL, &tok) && !gss_unwrap(&minor, s, &tok, &back, NULL, NULL)
                      : !gss_get_mic(&minor, c, 0, &msg, &tok) && !gss_verify_mic(&minor, s, &msg, &tok, NULL);
        gss_release_buffer(&minor, &tok);
        gss_release_buffer(&minor, &back);
        if (!ok) {
            printf("gss-ntlmssp %s_%zuB failed\n", seal ? "seal+unseal" : "sign+verify", size);
            goto out;
        }
        n++;
    }
    printf("gss-ntlmssp %s_%zuB %.0f pairs_per_second\n", seal ? "seal+unseal" : "sign+verify", size,
           (double)n / (now() - start));
out:
    free(data);
    gss_delete_sec_context(&minor, &c, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&minor, &s, GSS_C_NO_BUFFER);
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            v = atol(line + 6);
    if (f)
        fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    OM_uint32 minor;
    if (argc > 1)
        seconds_per_row = atof(argv[1]);
    setup();
    gss_ctx_id_t c, s;
    for (int i = 0; i < 200; i++) {
        handshake(&c, &s);
        gss_delete_sec_context(&minor, &c, GSS_C_NO_BUFFER);
        gss_delete_sec_context(&minor, &s, GSS_C_NO_BUFFER);
    }
    long before = rss_kib();
    int rounds = 2000;
    for (int i = 0; i < rounds; i++) {
        handshake(&c, &s);
        gss_delete_sec_context(&minor, &c, GSS_C_NO_BUFFER);
        gss_delete_sec_context(&minor, &s, GSS_C_NO_BUFFER);
    }
    printf("gss-ntlmssp rss_growth_per_handshake %.1f bytes\n", (double)(rss_kib() - before) * 1024.0 / rounds);
    handshakes(1);
    handshakes(2);
    protection(1024, 1);
    protection(65536, 1);
    protection(1024, 0);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("gss-ntlmssp peak_rss %ld KiB\n", ru.ru_maxrss);
    return 0;
}
