/* SPNEGO and Kerberos wire formats: exact encodings of what we write, and real Windows tokens read back.
 * The Windows tokens are pyspnego's captures (tests/data/windows-tokens/SOURCE.txt). */
#include "testutil.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/negotiate/spnego.h"

START_TEST(neg_token_init_is_encoded_exactly)
{
    static const enum spnego_mech mechs[] = {MECH_MS_KRB5, MECH_KRB5, MECH_NTLM};
    struct fs_writer list, w;
    fs_writer_init(&list);
    fs_writer_init(&w);
    spnego_put_mech_list(&list, mechs, 3);
    spnego_put_init(&w, list.data, list.len, (const uint8_t *)"abc", 3);
    ck_assert_hex(w.data, w.len,
                  "6039" "06062b0601050502" "a02f" "302d" "a024" "3022" "06092a864882f712010202"
                  "06092a864886f712010202" "060a2b06010401823702020a" "a205" "0403616263");
    struct spnego_init init;
    struct der_error e;
    ck_assert_int_eq(spnego_parse_init(w.data, w.len, &init, &e), FS_OK);
    ck_assert_uint_eq(init.nmechs, 3);
    ck_assert_int_eq(init.mechs[0], MECH_MS_KRB5);
    ck_assert_int_eq(init.mechs[2], MECH_NTLM);
    ck_assert_uint_eq(init.mech_list_len, list.len);
    ck_assert(!memcmp(init.mech_list, list.data, list.len));
    ck_assert_uint_eq(init.token_len, 3);
    fs_writer_free(&list);
    fs_writer_free(&w);
}
END_TEST

START_TEST(neg_token_resp_is_encoded_exactly)
{
    struct fs_writer w;
    fs_writer_init(&w);
    spnego_put_resp(&w, NEG_ACCEPT_INCOMPLETE, MECH_NTLM, (const uint8_t *)"xy", 2, (const uint8_t *)"m", 1);
    ck_assert_hex(w.data, w.len, "a120" "301e" "a0030a0101" "a10c060a2b06010401823702020a" "a20404027879" "a30304016d");
    struct spnego_resp r;
    struct der_error e;
    ck_assert_int_eq(spnego_parse_resp(w.data, w.len, &r, &e), FS_OK);
    ck_assert_int_eq(r.state, NEG_ACCEPT_INCOMPLETE);
    ck_assert_int_eq(r.mech, MECH_NTLM);
    ck_assert_uint_eq(r.token_len, 2);
    ck_assert_uint_eq(r.mic_len, 1);
    fs_writer_free(&w);
    /* Everything optional left out: an empty sequence. */
    fs_writer_init(&w);
    spnego_put_resp(&w, NEG_ABSENT, MECH_UNKNOWN, NULL, 0, NULL, 0);
    ck_assert_hex(w.data, w.len, "a1023000");
    fs_writer_free(&w);
}
END_TEST

START_TEST(windows_neg_token_init_with_an_ap_req_parses)
{
    uint8_t buf[4096];
    size_t n = read_capture("initial_context_token_neg_token_init", buf, sizeof buf);
    ck_assert(spnego_is_init(buf, n));
    struct spnego_init init;
    struct der_error e;
    ck_assert_int_eq(spnego_parse_init(buf, n, &init, &e), FS_OK);
    ck_assert_uint_eq(init.nmechs, 2); /* this capture offers Kerberos V5, then NTLM */
    ck_assert_int_eq(init.mechs[0], MECH_KRB5);
    ck_assert_int_eq(init.mechs[1], MECH_NTLM);
    ck_assert_ptr_nonnull(init.token);
    /* The optimistic token is a GSS-framed AP-REQ, which the Kerberos parser reads. */
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    ck_assert_int_eq(krb_gss_unframe(init.token, init.token_len, &tok_id, &inner, &inner_len), FS_OK);
    ck_assert_uint_eq(tok_id, KRB_TOK_AP_REQ);
    struct krb_ap_req r;
    ck_assert_int_eq(krb_parse_ap_req(inner, inner_len, &r, &e), FS_OK);
    ck_assert_uint_eq(r.ticket_etype, KRB_ETYPE_AES256);
    ck_assert_uint_eq(r.sname.n, 2);
    krb_ap_req_free(&r);
}
END_TEST

START_TEST(windows_neg_token_init2_with_hints_parses)
{
    uint8_t buf[512];
    size_t n = read_capture("initial_context_token_neg_token_init2", buf, sizeof buf);
    struct spnego_init init;
    struct der_error e;
    ck_assert_int_eq(spnego_parse_init(buf, n, &init, &e), FS_OK);
    ck_assert_uint_ge(init.nmechs, 1);
    ck_assert_ptr_null(init.token);
}
END_TEST

/* A Windows server's NegTokenInit2 lists the user-to-user OID after both Kerberos OIDs and before NTLMSSP; the
 * client's NegTokenInit above lists none (doc/semantics.md §71). */
START_TEST(a_windows_servers_neg_token_init2_lists_the_user_to_user_oid_between_kerberos_and_ntlm)
{
    uint8_t buf[512];
    size_t n = read_capture("initial_context_token_neg_token_init2", buf, sizeof buf);
    struct spnego_init init;
    struct der_error e;
    ck_assert_int_eq(spnego_parse_init(buf, n, &init, &e), FS_OK);
    ck_assert(init.has_hints);
    ck_assert_uint_eq(init.nmechs, 5);
    ck_assert_int_eq(init.mechs[0], MECH_NEGOEX);
    ck_assert_int_eq(init.mechs[1], MECH_MS_KRB5);
    ck_assert_int_eq(init.mechs[2], MECH_KRB5);
    static const uint8_t u2u[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x03}; /* 1.2.840.113554.1.2.2.3 */
    ck_assert_uint_eq(init.mech_oid_lens[3], sizeof u2u);
    ck_assert_mem_eq(init.mech_oids[3], u2u, sizeof u2u);
    ck_assert_int_eq(init.mechs[3], MECH_KRB5_U2U);
    ck_assert_int_eq(init.mechs[4], MECH_NTLM);
}
END_TEST

/* Our NegTokenInit2 writer, given the mechanisms the Windows server listed, writes that server's token byte for byte
 * (doc/semantics.md §74). */
START_TEST(neg_token_init2_is_written_as_a_windows_server_writes_it)
{
    uint8_t buf[512];
    size_t n = read_capture("initial_context_token_neg_token_init2", buf, sizeof buf);
    static const enum spnego_mech windows[] = {MECH_NEGOEX, MECH_MS_KRB5, MECH_KRB5, MECH_KRB5_U2U, MECH_NTLM};
    struct fs_writer w;
    fs_writer_init(&w);
    spnego_put_init2(&w, windows, 5);
    ck_assert_uint_eq(w.len, n);
    ck_assert_mem_eq(w.data, buf, n);
    fs_writer_free(&w);
}
END_TEST

START_TEST(windows_neg_token_resp_and_raw_kerberos_tokens_parse)
{
    uint8_t buf[4096];
    size_t n = read_capture("neg_token_resp", buf, sizeof buf);
    struct spnego_resp r;
    struct der_error e;
    ck_assert_int_eq(spnego_parse_resp(buf, n, &r, &e), FS_OK);
    ck_assert_int_eq(r.state, NEG_ACCEPT_COMPLETED);
    ck_assert_int_eq(r.mech, MECH_KRB5);
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    ck_assert_int_eq(krb_gss_unframe(r.token, r.token_len, &tok_id, &inner, &inner_len), FS_OK);
    ck_assert_uint_eq(tok_id, KRB_TOK_AP_REP);
    n = read_capture("initial_context_token_krb_ap_req", buf, sizeof buf);
    ck_assert_int_eq(krb_gss_unframe(buf, n, &tok_id, &inner, &inner_len), FS_OK);
    struct krb_ap_req req;
    ck_assert_int_eq(krb_parse_ap_req(inner, inner_len, &req, &e), FS_OK);
    krb_ap_req_free(&req);
}
END_TEST

START_TEST(every_truncation_of_a_real_token_is_refused)
{
    uint8_t buf[4096];
    size_t n = read_capture("initial_context_token_neg_token_init", buf, sizeof buf);
    for (size_t k = 0; k < n; k++) {
        struct spnego_init init;
        struct der_error e;
        ck_assert_int_eq(spnego_parse_init(buf, k, &init, &e), FS_E_INVALID_TOKEN);
        ck_assert(e.failed && e.what);
    }
    n = read_capture("initial_context_token_krb_ap_req", buf, sizeof buf);
    for (size_t k = 0; k < n; k += 3) {
        uint16_t tok_id;
        const uint8_t *inner;
        size_t inner_len;
        struct krb_ap_req r;
        struct der_error e;
        if (krb_gss_unframe(buf, k, &tok_id, &inner, &inner_len) == FS_OK)
            ck_assert_int_eq(krb_parse_ap_req(inner, inner_len, &r, &e), FS_E_INVALID_TOKEN);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("packages/spnego");
    TCase *tc = test_case("spnego");
    tcase_add_test(tc, neg_token_init_is_encoded_exactly);
    tcase_add_test(tc, neg_token_resp_is_encoded_exactly);
    tcase_add_test(tc, windows_neg_token_init_with_an_ap_req_parses);
    tcase_add_test(tc, windows_neg_token_init2_with_hints_parses);
    tcase_add_test(tc, a_windows_servers_neg_token_init2_lists_the_user_to_user_oid_between_kerberos_and_ntlm);
    tcase_add_test(tc, neg_token_init2_is_written_as_a_windows_server_writes_it);
    tcase_add_test(tc, windows_neg_token_resp_and_raw_kerberos_tokens_parse);
    tcase_add_test(tc, every_truncation_of_a_real_token_is_refused);
    suite_add_tcase(s, tc);
    return test_run(s);
}
