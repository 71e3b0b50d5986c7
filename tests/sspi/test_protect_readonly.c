/* Read-only DATA buffers in the message calls of every package: SECBUFFER_READONLY_WITH_CHECKSUM data is signed
 * and not encrypted, so a header changed in transit fails DecryptMessage; SECBUFFER_READONLY data is never
 * encrypted and is signed by NTLM only (doc/semantics.md §39). Each case rewrites the header as a man in the
 * middle would. */
#include "conformance/conversation.h"

struct protect_case {
    const char *package;
    const char *target;   /* a domain service: Kerberos (and Negotiate picks Kerberos); NULL: NTLM */
    int signs_readonly;   /* SECBUFFER_READONLY data is covered by the signature */
};

static const struct protect_case cases[] = {
    {"NTLM", NULL, 1},
    {"Kerberos", "HTTP/server.example.test", 0},
    {"Negotiate", "HTTP/server.example.test", 0}, /* over Kerberos */
    {"Negotiate", NULL, 1},                       /* over NTLM */
};
#define NCASES (sizeof cases / sizeof cases[0])

static const char header_text[] = "RPC header, sent in the clear";
static const char body_text[] = "the confidential body";

/* An established pair for the case, with confidentiality and integrity asked for. */
static void establish(struct conv *v, const struct protect_case *c)
{
    conv_credentials(v, c->package, "alice", "Passw0rd!");
    conv_run(v, c->target, ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY,
             ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY);
    ck_assert_msg(v->client_status == SEC_E_OK && v->server_status == SEC_E_OK, "%s handshake: %#lx %#lx",
                  c->package, (unsigned long)v->client_status, (unsigned long)v->server_status);
}

/* A message: [TOKEN, DATA | header_type (the header), DATA (the body)]. */
struct message {
    unsigned char token[128];
    char header[sizeof header_text];
    char body[sizeof body_text];
    SecBuffer b[3];
    SecBufferDesc d;
};

static void message_init(struct message *m, ULONG header_type)
{
    memcpy(m->header, header_text, sizeof header_text);
    memcpy(m->body, body_text, sizeof body_text);
    m->b[0] = (SecBuffer){sizeof m->token, SECBUFFER_TOKEN, m->token};
    m->b[1] = (SecBuffer){sizeof m->header, SECBUFFER_DATA | header_type, m->header};
    m->b[2] = (SecBuffer){sizeof m->body, SECBUFFER_DATA, m->body};
    m->d = (SecBufferDesc){SECBUFFER_VERSION, 3, m->b};
}

/* EncryptMessage by the client: the header stays as it was, the body is encrypted. */
static void seal(struct conv *v, struct message *m, ULONG header_type)
{
    message_init(m, header_type);
    ck_assert_sec_status(EncryptMessage(&v->client, 0, &m->d, 0), SEC_E_OK);
    ck_assert_mem_eq(m->header, header_text, sizeof header_text);
    ck_assert(memcmp(m->body, body_text, sizeof body_text) != 0);
}

START_TEST(a_header_with_checksum_is_sent_in_the_clear_and_decrypts_untouched)
{
    const struct protect_case *c = &cases[_i];
    struct conv v;
    establish(&v, c);
    struct message m;
    for (int round = 0; round < 2; round++) { /* the second message checks the streams stayed in step */
        seal(&v, &m, SECBUFFER_READONLY_WITH_CHECKSUM);
        ULONG qop = 0xdeadbeef;
        ck_assert_sec_status(DecryptMessage(&v.server, &m.d, 0, &qop), SEC_E_OK);
        ck_assert_mem_eq(m.header, header_text, sizeof header_text);
        ck_assert_mem_eq(m.body, body_text, sizeof body_text);
    }
    conv_free(&v);
}
END_TEST

START_TEST(a_header_with_checksum_changed_in_transit_is_message_altered)
{
    const struct protect_case *c = &cases[_i];
    struct conv v;
    establish(&v, c);
    struct message m;
    seal(&v, &m, SECBUFFER_READONLY_WITH_CHECKSUM);
    char sealed_body[sizeof body_text];
    memcpy(sealed_body, m.body, sizeof sealed_body);
    m.header[0] ^= 0x01; /* the man in the middle */
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(DecryptMessage(&v.server, &m.d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    ck_assert_mem_eq(m.body, sealed_body, sizeof sealed_body); /* left as it came */
    /* The failed check moved nothing: the message as sent still decrypts. */
    m.header[0] ^= 0x01;
    ck_assert_sec_status(DecryptMessage(&v.server, &m.d, 0, &qop), SEC_E_OK);
    ck_assert_mem_eq(m.body, body_text, sizeof body_text);
    conv_free(&v);
}
END_TEST

START_TEST(a_read_only_header_is_not_encrypted_and_is_signed_by_ntlm_only)
{
    const struct protect_case *c = &cases[_i];
    struct conv v;
    establish(&v, c);
    struct message m;
    seal(&v, &m, SECBUFFER_READONLY);
    m.header[0] ^= 0x01;
    ULONG qop = 0xdeadbeef;
    ck_assert_sec_status(DecryptMessage(&v.server, &m.d, 0, &qop),
                         c->signs_readonly ? SEC_E_MESSAGE_ALTERED : SEC_E_OK);
    if (c->signs_readonly) {
        m.header[0] ^= 0x01;
        ck_assert_sec_status(DecryptMessage(&v.server, &m.d, 0, &qop), SEC_E_OK);
    }
    ck_assert_mem_eq(m.body, body_text, sizeof body_text);
    conv_free(&v);
}
END_TEST

START_TEST(make_signature_covers_a_header_with_checksum_and_a_read_only_one_for_ntlm_only)
{
    const struct protect_case *c = &cases[_i];
    struct conv v;
    establish(&v, c);
    static const ULONG types[] = {SECBUFFER_READONLY_WITH_CHECKSUM, SECBUFFER_READONLY};
    for (int t = 0; t < 2; t++) {
        struct message m;
        message_init(&m, types[t]);
        ck_assert_sec_status(MakeSignature(&v.client, 0, &m.d, 0), SEC_E_OK);
        ck_assert_mem_eq(m.body, body_text, sizeof body_text);
        m.header[0] ^= 0x01;
        ULONG qop = 0xdeadbeef;
        int covered = types[t] == SECBUFFER_READONLY_WITH_CHECKSUM || c->signs_readonly;
        ck_assert_sec_status(VerifySignature(&v.server, &m.d, 0, &qop), covered ? SEC_E_MESSAGE_ALTERED : SEC_E_OK);
        if (covered) {
            m.header[0] ^= 0x01;
            ck_assert_sec_status(VerifySignature(&v.server, &m.d, 0, &qop), SEC_E_OK);
        }
    }
    conv_free(&v);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("protect_readonly");
    TCase *tc = test_case("readonly");
    tcase_add_loop_test(tc, a_header_with_checksum_is_sent_in_the_clear_and_decrypts_untouched, 0, NCASES);
    tcase_add_loop_test(tc, a_header_with_checksum_changed_in_transit_is_message_altered, 0, NCASES);
    tcase_add_loop_test(tc, a_read_only_header_is_not_encrypted_and_is_signed_by_ntlm_only, 0, NCASES);
    tcase_add_loop_test(tc, make_signature_covers_a_header_with_checksum_and_a_read_only_one_for_ntlm_only, 0,
                        NCASES);
    suite_add_tcase(s, tc);
    return test_run(s);
}
