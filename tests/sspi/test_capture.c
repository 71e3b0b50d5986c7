/* FAKESSPI_PCAP / fakesspi_set_pcap: the process's tokens, signed and sealed messages as a pcapng capture, one TCP
 * connection per context pair, in the SSPI socket samples' framing or in HTTP. */
#include <unistd.h>

#include "sspi/sspitest.h"

/* One TCP segment of the capture: who sent it (1: the client, from port 4915x), its flags and payload. */
struct packet {
    int from_client;
    uint16_t client_port;
    uint8_t flags;
    uint64_t usec;
    const uint8_t *payload;
    size_t len;
};

struct capture {
    uint8_t bytes[65536];
    size_t size;
    struct packet packets[64];
    size_t count;
};

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Reads the file as pcapng: a section header, an interface of LINKTYPE_RAW, then IPv4/TCP packets. */
static void read_pcap(const char *path, struct capture *c)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    c->size = fread(c->bytes, 1, sizeof c->bytes, f);
    fclose(f);
    c->count = 0;
    ck_assert_uint_ge(c->size, 48);
    ck_assert_uint_eq(le32(c->bytes), 0x0A0D0D0A);
    ck_assert_uint_eq(le32(c->bytes + 8), 0x1A2B3C4D);
    ck_assert_uint_eq(le32(c->bytes + 28), 1);           /* Interface Description Block */
    ck_assert_uint_eq(c->bytes[36] | c->bytes[37] << 8, 101); /* LINKTYPE_RAW */
    for (size_t at = 48; at < c->size;) {
        uint32_t type = le32(c->bytes + at), len = le32(c->bytes + at + 4);
        ck_assert_uint_eq(type, 6); /* Enhanced Packet Block */
        ck_assert_uint_le(at + len, c->size);
        ck_assert_uint_eq(le32(c->bytes + at + len - 4), len);
        const uint8_t *ip = c->bytes + at + 28, *tcp = ip + 20;
        uint32_t caplen = le32(c->bytes + at + 20);
        ck_assert_uint_lt(c->count, sizeof c->packets / sizeof *c->packets);
        struct packet *p = &c->packets[c->count++];
        p->from_client = be16(tcp) != 7070 && be16(tcp) != 80;
        p->client_port = p->from_client ? be16(tcp) : be16(tcp + 2);
        p->flags = tcp[13];
        p->usec = (uint64_t)le32(c->bytes + at + 12) << 32 | le32(c->bytes + at + 16);
        p->payload = tcp + 20;
        p->len = caplen - 40;
        at += len;
    }
}

static char capture_path[64];

static void capture_setup(void)
{
    test_setup();
    snprintf(capture_path, sizeof capture_path, "/tmp/fakesspi-capture-%ld.pcapng", (long)getpid());
}

static void capture_teardown(void)
{
    fakesspi_set_pcap(NULL, NULL);
    unlink(capture_path);
    test_teardown();
}

/* The samples' client message: the length, then the token. */
static void assert_client_message(const struct packet *p, const uint8_t *token, size_t len)
{
    ck_assert_int_eq(p->from_client, 1);
    ck_assert_uint_eq(p->len, 4 + len);
    ck_assert_uint_eq(le32(p->payload), len);
    ck_assert_mem_eq(p->payload + 4, token, len);
}

/* The samples' server answer: its status, the length, then the token. */
static void assert_server_message(const struct packet *p, uint32_t status, const uint8_t *token, size_t len)
{
    ck_assert_int_eq(p->from_client, 0);
    ck_assert_uint_eq(p->len, 8 + len);
    ck_assert_uint_eq(le32(p->payload), status);
    ck_assert_uint_eq(le32(p->payload + 4), len);
    if (len)
        ck_assert_mem_eq(p->payload + 8, token, len);
}

/* The NTLM legs of a pair, each token kept as the other side received it. */
struct legs {
    uint8_t negotiate[512], challenge[1024], authenticate[2048];
    size_t negotiate_len, challenge_len, authenticate_len;
};

static void ntlm_handshake(struct pair *p, struct legs *l)
{
    pair_credentials(p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_client_step(p, ISC_REQ_CONFIDENTIALITY, "HOST/server.example.test"), SEC_I_CONTINUE_NEEDED);
    memcpy(l->negotiate, p->c2s, l->negotiate_len = p->c2s_len);
    ck_assert_sec_status(pair_server_step(p, ASC_REQ_CONFIDENTIALITY), SEC_I_CONTINUE_NEEDED);
    memcpy(l->challenge, p->s2c, l->challenge_len = p->s2c_len);
    ck_assert_sec_status(pair_client_step(p, ISC_REQ_CONFIDENTIALITY, "HOST/server.example.test"), SEC_E_OK);
    memcpy(l->authenticate, p->c2s, l->authenticate_len = p->c2s_len);
    ck_assert_sec_status(pair_server_step(p, ASC_REQ_CONFIDENTIALITY), SEC_E_OK);
}

/* EncryptMessage on from, DecryptMessage on to; the sealed bytes (trailer, then data) go to wire. */
static size_t seal_and_open(CtxtHandle *from, CtxtHandle *to, const char *text, uint8_t *wire)
{
    uint8_t trailer[64], data[64];
    size_t n = strlen(text);
    memcpy(data, text, n);
    SecBuffer b[2] = {{sizeof trailer, SECBUFFER_TOKEN, trailer}, {(ULONG)n, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(EncryptMessage(from, 0, &d, 0), SEC_E_OK);
    memcpy(wire, trailer, b[0].cbBuffer);
    memcpy(wire + b[0].cbBuffer, data, n);
    size_t len = b[0].cbBuffer + n;
    ULONG qop;
    ck_assert_sec_status(DecryptMessage(to, &d, 0, &qop), SEC_E_OK);
    ck_assert_mem_eq(data, text, n);
    return len;
}

/* MakeSignature on from, VerifySignature on to; the signature goes to wire. */
static size_t sign_and_verify(CtxtHandle *from, CtxtHandle *to, const char *text, uint8_t *wire)
{
    uint8_t signature[64];
    char data[64];
    size_t n = strlen(text);
    memcpy(data, text, n);
    SecBuffer b[2] = {{(ULONG)n, SECBUFFER_DATA, data}, {sizeof signature, SECBUFFER_TOKEN, signature}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ck_assert_sec_status(MakeSignature(from, 0, &d, 0), SEC_E_OK);
    memcpy(wire, signature, b[1].cbBuffer);
    ULONG qop;
    ck_assert_sec_status(VerifySignature(to, &d, 0, &qop), SEC_E_OK);
    return b[1].cbBuffer;
}

START_TEST(a_pair_in_one_process_is_one_connection_in_the_samples_framing)
{
    ck_assert_int_eq(fakesspi_set_pcap(capture_path, "tcp"), 0);
    struct pair p;
    struct legs l;
    ntlm_handshake(&p, &l);
    uint8_t sealed[128];
    size_t sealed_len = seal_and_open(&p.client, &p.server, "Hello from the client", sealed);
    pair_free(&p);
    ck_assert_int_eq(fakesspi_set_pcap(NULL, NULL), 0);

    struct capture *c = malloc(sizeof *c);
    read_pcap(capture_path, c);
    /* SYN, SYN-ACK, ACK; the four legs; the sealed message once (the receiver is in this process too); FINs. */
    ck_assert_uint_eq(c->count, 3 + 4 + 1 + 3);
    ck_assert_uint_eq(c->packets[0].flags, 0x02);
    ck_assert_uint_eq(c->packets[1].flags, 0x12);
    assert_client_message(&c->packets[3], l.negotiate, l.negotiate_len);
    assert_server_message(&c->packets[4], SEC_I_CONTINUE_NEEDED, l.challenge, l.challenge_len);
    assert_client_message(&c->packets[5], l.authenticate, l.authenticate_len);
    assert_server_message(&c->packets[6], SEC_E_OK, NULL, 0); /* NTLM's last leg has no token */
    const struct packet *s = &c->packets[7];
    ck_assert_int_eq(s->from_client, 1);
    ck_assert_uint_eq(s->len, 8 + sealed_len);
    ck_assert_uint_eq(le32(s->payload), 4 + sealed_len);
    ck_assert_uint_eq(le32(s->payload + 4), 16); /* NTLM's trailer is its signature */
    ck_assert_mem_eq(s->payload + 8, sealed, sealed_len);
    ck_assert_uint_eq(c->packets[8].flags, 0x11); /* FIN, ACK once both contexts are gone */
    for (size_t i = 0; i < c->count; i++) {
        ck_assert_uint_eq(c->packets[i].client_port, 49152);
        /* The fixed clock's 2025-01-01T00:00:00Z, then a millisecond a packet. */
        ck_assert_uint_eq(c->packets[i].usec, 1735689600000000ull + i * 1000);
    }
    free(c);
}
END_TEST

static size_t capture_bytes(uint8_t *out, size_t cap)
{
    FILE *f = fopen(capture_path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(out, 1, cap, f);
    fclose(f);
    return n;
}

/* A signed message travels as a sealed one does, but for the top bit of its size word (FS_PCAP_SIGNED_BIT):
 * the signature, then the data in the clear. Once, from its sender: the verifier is in this process too. */
START_TEST(a_signed_message_is_its_signature_then_the_clear_data)
{
    ck_assert_int_eq(fakesspi_set_pcap(capture_path, "tcp"), 0);
    struct pair p;
    struct legs l;
    ntlm_handshake(&p, &l);
    uint8_t signature[64], sealed[128];
    size_t signature_len = sign_and_verify(&p.client, &p.server, "Hello from the client", signature);
    size_t sealed_len = seal_and_open(&p.server, &p.client, "Hello, alice", sealed);
    pair_free(&p);
    ck_assert_int_eq(fakesspi_set_pcap(NULL, NULL), 0);

    struct capture *c = malloc(sizeof *c);
    read_pcap(capture_path, c);
    ck_assert_uint_eq(c->count, 3 + 4 + 2 + 3);
    const struct packet *s = &c->packets[7];
    ck_assert_int_eq(s->from_client, 1);
    ck_assert_uint_eq(signature_len, 16);
    ck_assert_uint_eq(s->len, 8 + 16 + 21);
    ck_assert_uint_eq(le32(s->payload), 4 + 16 + 21);
    ck_assert_uint_eq(le32(s->payload + 4), 0x80000000u | 16);
    ck_assert_mem_eq(s->payload + 8, signature, 16);
    ck_assert_mem_eq(s->payload + 24, "Hello from the client", 21);
    const struct packet *e = &c->packets[8]; /* the server's sealed answer: no top bit */
    ck_assert_int_eq(e->from_client, 0);
    ck_assert_uint_eq(le32(e->payload + 4), 16);
    ck_assert_mem_eq(e->payload + 8, sealed, sealed_len);
    free(c);
}
END_TEST

START_TEST(the_same_seed_writes_the_same_capture)
{
    static uint8_t first[65536], second[65536];
    size_t sizes[2];
    for (int run = 0; run < 2; run++) {
        fakesspi_reset();
        fakesspi_set_seed(7);
        ck_assert_int_eq(fakesspi_set_pcap(capture_path, NULL), 0);
        struct pair p;
        struct legs l;
        ntlm_handshake(&p, &l);
        uint8_t sealed[128];
        seal_and_open(&p.client, &p.server, "again", sealed);
        pair_free(&p);
        fakesspi_set_pcap(NULL, NULL);
        sizes[run] = capture_bytes(run ? second : first, sizeof first);
    }
    ck_assert_uint_gt(sizes[0], 0);
    ck_assert_uint_eq(sizes[0], sizes[1]);
    ck_assert_mem_eq(first, second, sizes[0]);
}
END_TEST

/* A server whose client is not a context of this process (here: one made before capturing began) writes the
 * client's tokens as the client's, so its connection is whole; the client's own connection likewise holds
 * the server's answers, the status guessed from what the client did next. */
START_TEST(an_end_whose_peer_is_elsewhere_writes_the_peers_tokens_too)
{
    struct pair p;
    struct legs l;
    pair_credentials(&p, "alice", "Passw0rd!");
    ck_assert_sec_status(pair_client_step(&p, 0, "HOST/server.example.test"), SEC_I_CONTINUE_NEEDED);
    memcpy(l.negotiate, p.c2s, l.negotiate_len = p.c2s_len);
    ck_assert_int_eq(fakesspi_set_pcap(capture_path, "tcp"), 0);
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_I_CONTINUE_NEEDED);
    memcpy(l.challenge, p.s2c, l.challenge_len = p.s2c_len);
    ck_assert_sec_status(pair_client_step(&p, 0, "HOST/server.example.test"), SEC_E_OK);
    memcpy(l.authenticate, p.c2s, l.authenticate_len = p.c2s_len);
    ck_assert_sec_status(pair_server_step(&p, 0), SEC_E_OK);
    pair_free(&p);
    fakesspi_set_pcap(NULL, NULL);

    struct capture *c = malloc(sizeof *c);
    read_pcap(capture_path, c);
    /* The server's connection (49152) and then the client's (49153), as their first legs came. */
    const struct packet *server_conn[16], *client_conn[16];
    size_t ns = 0, nc = 0;
    for (size_t i = 0; i < c->count; i++)
        if (c->packets[i].len)
            c->packets[i].client_port == 49152 ? (server_conn[ns++] = &c->packets[i]) : (client_conn[nc++] = &c->packets[i]);
    ck_assert_uint_eq(ns, 4);
    assert_client_message(server_conn[0], l.negotiate, l.negotiate_len);
    assert_server_message(server_conn[1], SEC_I_CONTINUE_NEEDED, l.challenge, l.challenge_len);
    assert_client_message(server_conn[2], l.authenticate, l.authenticate_len);
    assert_server_message(server_conn[3], SEC_E_OK, NULL, 0);
    ck_assert_uint_eq(nc, 2);
    assert_server_message(client_conn[0], SEC_I_CONTINUE_NEEDED, l.challenge, l.challenge_len);
    assert_client_message(client_conn[1], l.authenticate, l.authenticate_len);
    free(c);
}
END_TEST

START_TEST(the_http_carrier_puts_each_token_in_a_header)
{
    ck_assert_int_eq(fakesspi_set_pcap(capture_path, "http"), 0);
    struct pair p;
    struct legs l;
    ntlm_handshake(&p, &l);
    uint8_t sealed[128], signature[64];
    seal_and_open(&p.client, &p.server, "not carried", sealed);
    sign_and_verify(&p.client, &p.server, "not carried either", signature);
    pair_free(&p);
    fakesspi_set_pcap(NULL, NULL);
    struct capture *c = malloc(sizeof *c);
    read_pcap(capture_path, c);
    ck_assert_uint_eq(c->count, 3 + 4 + 3); /* HTTP authentication protects nothing: no sealed or signed message */
    static const char get[] = "GET / HTTP/1.1\r\nHost: server.example.test\r\nAuthorization: NTLM TlRMTVNTUAAB";
    ck_assert_uint_ge(c->packets[3].len, sizeof get - 1);
    ck_assert_mem_eq(c->packets[3].payload, get, sizeof get - 1);
    static const char challenge[] = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM TlRMTVNTUAAC";
    ck_assert_mem_eq(c->packets[4].payload, challenge, sizeof challenge - 1);
    static const char done[] = "HTTP/1.1 200 OK\r\n";
    ck_assert_mem_eq(c->packets[6].payload, done, sizeof done - 1);
    ck_assert_uint_eq(be16(c->packets[3].payload - 20 + 2), 80);
    free(c);
}
END_TEST

START_TEST(an_unknown_carrier_or_an_unwritable_path_is_refused)
{
    ck_assert_int_eq(fakesspi_set_pcap(capture_path, "udp"), -1);
    ck_assert_str_eq(fakesspi_last_message(), "the carrier is \"tcp\" or \"http\"");
    ck_assert_int_eq(access(capture_path, F_OK), -1);
    ck_assert_int_eq(fakesspi_set_pcap("/nonexistent-dir/x.pcapng", "tcp"), -1);
    ck_assert_str_eq(fakesspi_last_message(), "the capture file cannot be opened for writing");
}
END_TEST

START_TEST(the_variable_starts_a_capture_at_reset)
{
    setenv("FAKESSPI_PCAP", capture_path, 1);
    fakesspi_reset();
    unsetenv("FAKESSPI_PCAP");
    struct pair p;
    struct legs l;
    ntlm_handshake(&p, &l);
    pair_free(&p);
    fakesspi_reset(); /* the variable is gone: the capture ends */
    struct capture *c = malloc(sizeof *c);
    read_pcap(capture_path, c);
    ck_assert_uint_eq(c->count, 3 + 4 + 3);
    assert_client_message(&c->packets[3], l.negotiate, l.negotiate_len);
    free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sspi/capture");
    TCase *tc = tcase_create("capture");
    tcase_add_checked_fixture(tc, capture_setup, capture_teardown);
    tcase_add_test(tc, a_pair_in_one_process_is_one_connection_in_the_samples_framing);
    tcase_add_test(tc, a_signed_message_is_its_signature_then_the_clear_data);
    tcase_add_test(tc, the_same_seed_writes_the_same_capture);
    tcase_add_test(tc, an_end_whose_peer_is_elsewhere_writes_the_peers_tokens_too);
    tcase_add_test(tc, the_http_carrier_puts_each_token_in_a_header);
    tcase_add_test(tc, an_unknown_carrier_or_an_unwritable_path_is_refused);
    tcase_add_test(tc, the_variable_starts_a_capture_at_reset);
    suite_add_tcase(s, tc);
    return test_run(s);
}
