/* The GSSAPI module as a GSSAPI program meets it: the program links MIT's libgssapi_krb5 and nothing of ours,
 * names the module in a GSS_MECH_CONFIG file, and runs the Kerberos mechanism (1.2.840.113554.1.2.2) with no
 * KDC, no keytab and no ccache (the environment points MIT's own Kerberos at files that do not exist, so only
 * the module can answer). One test also runs the SSPI side (libfakesspi) and compares the first token byte for
 * byte: the module makes the AP-REQ the Kerberos SSPI package makes (doc/gssapi.md). */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>

#include <check.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FAKESSPI_GSS_MODULE
#error "FAKESSPI_GSS_MODULE names the built module"
#endif

static gss_OID_desc krb5_oid = {9, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
static gss_OID_set_desc krb5_set = {1, &krb5_oid};

#define REQ_FLAGS (GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG)

static gss_name_t import(const char *text, gss_OID type)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_buffer_desc b = {strlen(text), (void *)text};
    gss_name_t name = (gss_name_t)0xdeadbeef;
    ck_assert_uint_eq(gss_import_name(&minor, &b, type, &name), GSS_S_COMPLETE);
    return name;
}

static gss_cred_id_t acquire(gss_name_t name, gss_cred_usage_t usage)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_cred_id_t cred = (gss_cred_id_t)0xdeadbeef;
    OM_uint32 major = gss_acquire_cred(&minor, name, GSS_C_INDEFINITE, &krb5_set, usage, &cred, NULL, NULL);
    ck_assert_msg(major == GSS_S_COMPLETE, "gss_acquire_cred: major %#x minor %#x", major, minor);
    ck_assert_ptr_ne(cred, GSS_C_NO_CREDENTIAL);
    return cred;
}

struct pair {
    gss_ctx_id_t init, accept;
    gss_name_t src;
    OM_uint32 init_flags, accept_flags;
};

/* The whole handshake: AP-REQ, AP-REP, each leg's status checked. */
static void handshake(gss_cred_id_t init_cred, gss_cred_id_t accept_cred, struct pair *p)
{
    OM_uint32 minor = 0xdeadbeef, major;
    gss_name_t target = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_buffer_desc ap_req = GSS_C_EMPTY_BUFFER, ap_rep = GSS_C_EMPTY_BUFFER, last = {1, "x"};
    gss_OID mech = GSS_C_NO_OID;
    p->init = p->accept = GSS_C_NO_CONTEXT;
    p->src = GSS_C_NO_NAME;
    p->init_flags = p->accept_flags = 0xdeadbeef;
    major = gss_init_sec_context(&minor, init_cred, &p->init, target, &krb5_oid, REQ_FLAGS, 0, GSS_C_NO_CHANNEL_BINDINGS,
                                 GSS_C_NO_BUFFER, NULL, &ap_req, &p->init_flags, NULL);
    ck_assert_msg(major == GSS_S_CONTINUE_NEEDED, "gss_init_sec_context: major %#x minor %#x", major, minor);
    ck_assert_uint_gt(ap_req.length, 0);
    major = gss_accept_sec_context(&minor, &p->accept, accept_cred, &ap_req, GSS_C_NO_CHANNEL_BINDINGS, &p->src, &mech,
                                   &ap_rep, &p->accept_flags, NULL, NULL);
    ck_assert_msg(major == GSS_S_COMPLETE, "gss_accept_sec_context: major %#x minor %#x", major, minor);
    ck_assert_uint_eq(mech->length, krb5_oid.length);
    ck_assert_mem_eq(mech->elements, krb5_oid.elements, krb5_oid.length);
    ck_assert_uint_gt(ap_rep.length, 0); /* mutual authentication: the AP-REP */
    major = gss_init_sec_context(&minor, init_cred, &p->init, target, &krb5_oid, REQ_FLAGS, 0, GSS_C_NO_CHANNEL_BINDINGS,
                                 &ap_rep, NULL, &last, &p->init_flags, NULL);
    ck_assert_msg(major == GSS_S_COMPLETE, "second gss_init_sec_context: major %#x minor %#x", major, minor);
    ck_assert_uint_eq(last.length, 0);
    gss_release_buffer(&minor, &ap_req);
    gss_release_buffer(&minor, &ap_rep);
    gss_release_name(&minor, &target);
}

static void pair_free(struct pair *p)
{
    OM_uint32 minor;
    ck_assert_uint_eq(gss_delete_sec_context(&minor, &p->init, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_delete_sec_context(&minor, &p->accept, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    ck_assert_ptr_eq(p->init, GSS_C_NO_CONTEXT);
    ck_assert_ptr_eq(p->accept, GSS_C_NO_CONTEXT);
    gss_release_name(&minor, &p->src);
}

static void assert_name(gss_name_t name, const char *want)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_display_name(&minor, name, &text, NULL), GSS_S_COMPLETE);
    ck_assert_uint_eq(text.length, strlen(want));
    ck_assert_mem_eq(text.value, want, text.length);
    gss_release_buffer(&minor, &text);
}

START_TEST(the_default_initiator_logs_in_to_a_named_acceptor_with_no_kdc_and_no_keytab)
{
    OM_uint32 minor;
    gss_name_t service = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_cred_id_t init_cred = acquire(GSS_C_NO_NAME, GSS_C_INITIATE), accept_cred = acquire(service, GSS_C_ACCEPT);
    struct pair p;
    handshake(init_cred, accept_cred, &p);
    assert_name(p.src, "alice@EXAMPLE.TEST"); /* FAKESSPI_USER unset: the library's default user */
    const OM_uint32 want = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_SEQUENCE_FLAG |
                           GSS_C_REPLAY_FLAG;
    ck_assert_uint_eq(p.init_flags & want, want);
    ck_assert_uint_eq(p.accept_flags & want, want);
    pair_free(&p);
    ck_assert_uint_eq(gss_release_cred(&minor, &init_cred), GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_release_cred(&minor, &accept_cred), GSS_S_COMPLETE);
    gss_release_name(&minor, &service);
}
END_TEST

START_TEST(no_credential_on_either_side_is_the_process_user_and_the_ticket_service)
{
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    assert_name(p.src, "alice@EXAMPLE.TEST");
    pair_free(&p);
}
END_TEST

START_TEST(a_named_initiator_is_that_user_of_the_domain)
{
    OM_uint32 minor;
    gss_name_t bob = import("bob", GSS_C_NT_USER_NAME);
    gss_cred_id_t cred = acquire(bob, GSS_C_INITIATE);
    struct pair p;
    handshake(cred, GSS_C_NO_CREDENTIAL, &p);
    assert_name(p.src, "bob@EXAMPLE.TEST");
    pair_free(&p);
    ck_assert_uint_eq(gss_release_cred(&minor, &cred), GSS_S_COMPLETE);
    gss_release_name(&minor, &bob);
}
END_TEST

START_TEST(an_acceptor_for_another_service_has_no_key_for_the_ticket)
{
    OM_uint32 minor = 0xdeadbeef, major;
    gss_name_t other = import("bob@EXAMPLE.TEST", GSS_C_NO_OID);
    gss_cred_id_t accept_cred = acquire(other, GSS_C_ACCEPT);
    gss_name_t target = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_ctx_id_t init = GSS_C_NO_CONTEXT, accept = GSS_C_NO_CONTEXT;
    gss_buffer_desc ap_req = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, &krb5_oid, REQ_FLAGS, 0,
                                           GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &ap_req, NULL, NULL),
                      GSS_S_CONTINUE_NEEDED);
    major = gss_accept_sec_context(&minor, &accept, accept_cred, &ap_req, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out,
                                   NULL, NULL, NULL);
    ck_assert_uint_eq(major, GSS_S_NO_CRED);
    ck_assert_ptr_eq(accept, GSS_C_NO_CONTEXT);
    ck_assert_uint_eq(out.length, 0);
    /* The minor status is the SSPI side's SEC_E_WRONG_PRINCIPAL, and gss_display_status names it. */
    OM_uint32 ctx = 0, m;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_display_status(&m, minor, GSS_C_MECH_CODE, &krb5_oid, &ctx, &text), GSS_S_COMPLETE);
    ck_assert_msg(text.length && memmem(text.value, text.length, "SEC_E_WRONG_PRINCIPAL", 21), "status text: %.*s",
                  (int)text.length, (char *)text.value);
    gss_release_buffer(&m, &text);
    gss_delete_sec_context(&m, &init, GSS_C_NO_BUFFER);
    gss_release_buffer(&m, &ap_req);
    gss_release_cred(&m, &accept_cred);
    gss_release_name(&m, &other);
    gss_release_name(&m, &target);
}
END_TEST

START_TEST(an_unknown_service_is_a_bad_name)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_name_t target = import("nosuch@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_ctx_id_t init = GSS_C_NO_CONTEXT;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, &krb5_oid, REQ_FLAGS, 0,
                                           GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &out, NULL, NULL),
                      GSS_S_BAD_NAME);
    ck_assert_ptr_eq(init, GSS_C_NO_CONTEXT);
    ck_assert_uint_eq(out.length, 0);
    gss_release_name(&minor, &target);
}
END_TEST

START_TEST(wrap_and_unwrap_carry_a_message_each_way_and_a_changed_byte_is_a_bad_signature)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    gss_ctx_id_t from[2] = {p.init, p.accept}, to[2] = {p.accept, p.init};
    for (int i = 0; i < 2; i++) {
        char text[] = "the fake domain says hello";
        gss_buffer_desc msg = {sizeof text - 1, text}, wrapped = GSS_C_EMPTY_BUFFER, plain = GSS_C_EMPTY_BUFFER;
        int conf = 0xdeadbeef;
        gss_qop_t qop = 0xdeadbeef;
        ck_assert_uint_eq(gss_wrap(&minor, from[i], 1, GSS_C_QOP_DEFAULT, &msg, &conf, &wrapped), GSS_S_COMPLETE);
        ck_assert_int_eq(conf, 1);
        ck_assert_uint_eq(wrapped.length, 60 + msg.length); /* RFC 4121 with AES: header, checksum, confounder */
        ck_assert(!memmem(wrapped.value, wrapped.length, text, msg.length));
        conf = 0xdeadbeef;
        ck_assert_uint_eq(gss_unwrap(&minor, to[i], &wrapped, &plain, &conf, &qop), GSS_S_COMPLETE);
        ck_assert_int_eq(conf, 1);
        ck_assert_uint_eq(qop, GSS_C_QOP_DEFAULT);
        ck_assert_uint_eq(plain.length, msg.length);
        ck_assert_mem_eq(plain.value, text, msg.length);
        gss_release_buffer(&minor, &plain);
        /* The same token again, changed: refused, nothing handed out. */
        ((unsigned char *)wrapped.value)[wrapped.length - 1] ^= 1;
        ck_assert_uint_eq(gss_unwrap(&minor, to[i], &wrapped, &plain, NULL, NULL), GSS_S_BAD_SIG);
        ck_assert_uint_eq(plain.length, 0);
        gss_release_buffer(&minor, &wrapped);

        gss_buffer_desc mic = GSS_C_EMPTY_BUFFER;
        ck_assert_uint_eq(gss_get_mic(&minor, from[i], GSS_C_QOP_DEFAULT, &msg, &mic), GSS_S_COMPLETE);
        ck_assert_uint_eq(mic.length, 28);
        ck_assert_uint_eq(gss_verify_mic(&minor, to[i], &msg, &mic, NULL), GSS_S_COMPLETE);
        text[0] ^= 1;
        ck_assert_uint_eq(gss_verify_mic(&minor, to[i], &msg, &mic, NULL), GSS_S_BAD_SIG);
        gss_release_buffer(&minor, &mic);
    }
    pair_free(&p);
}
END_TEST

/* The SSPI side's first leg for the same user, service and flags. */
static void sspi_first_leg(unsigned char *token, ULONG *len)
{
    CredHandle cred;
    CtxtHandle ctx;
    TimeStamp ts;
    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cred, &ts),
                     SEC_E_OK);
    SecBuffer out = {*len, SECBUFFER_TOKEN, token};
    SecBufferDesc out_d = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    const ULONG req = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT |
                      ISC_REQ_REPLAY_DETECT;
    ck_assert_int_eq(InitializeSecurityContextA(&cred, NULL, "host/server.example.test", req, 0, SECURITY_NATIVE_DREP,
                                                NULL, 0, &ctx, &out_d, &attrs, &ts),
                     SEC_I_CONTINUE_NEEDED);
    *len = out.cbBuffer;
    ck_assert_int_eq(DeleteSecurityContext(&ctx), SEC_E_OK);
    ck_assert_int_eq(FreeCredentialsHandle(&cred), SEC_E_OK);
}

START_TEST(the_ap_req_is_the_kerberos_sspi_package_s_byte_for_byte)
{
    /* Both copies of the library start afresh in this process with the same seed (FAKESSPI_SEED, set in main)
     * and the same virtual clock: the same request makes the same bytes. */
    unsigned char sspi[12000];
    ULONG sspi_len = sizeof sspi;
    sspi_first_leg(sspi, &sspi_len);

    OM_uint32 minor = 0xdeadbeef;
    gss_name_t target = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_ctx_id_t init = GSS_C_NO_CONTEXT;
    gss_buffer_desc ap_req = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, &krb5_oid, REQ_FLAGS, 0,
                                           GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &ap_req, NULL, NULL),
                      GSS_S_CONTINUE_NEEDED);
    ck_assert_uint_eq(ap_req.length, sspi_len);
    ck_assert_mem_eq(ap_req.value, sspi, sspi_len);
    gss_delete_sec_context(&minor, &init, GSS_C_NO_BUFFER);
    gss_release_buffer(&minor, &ap_req);
    gss_release_name(&minor, &target);
}
END_TEST

START_TEST(channel_bindings_must_match_on_both_sides)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_name_t target = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    struct gss_channel_bindings_struct cb = {0}, other = {0};
    cb.application_data = (gss_buffer_desc){17, "tls-server-end-pt"};
    other.application_data = (gss_buffer_desc){17, "tls-server-end-PT"};
    for (int same = 1; same >= 0; same--) {
        gss_ctx_id_t init = GSS_C_NO_CONTEXT, accept = GSS_C_NO_CONTEXT;
        gss_buffer_desc ap_req = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
        ck_assert_uint_eq(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, &krb5_oid, REQ_FLAGS, 0, &cb,
                                               GSS_C_NO_BUFFER, NULL, &ap_req, NULL, NULL),
                          GSS_S_CONTINUE_NEEDED);
        ck_assert_uint_eq(gss_accept_sec_context(&minor, &accept, GSS_C_NO_CREDENTIAL, &ap_req, same ? &cb : &other,
                                                 NULL, NULL, &out, NULL, NULL, NULL),
                          same ? GSS_S_COMPLETE : GSS_S_BAD_BINDINGS);
        gss_delete_sec_context(&minor, &init, GSS_C_NO_BUFFER);
        if (accept != GSS_C_NO_CONTEXT)
            gss_delete_sec_context(&minor, &accept, GSS_C_NO_BUFFER);
        gss_release_buffer(&minor, &ap_req);
        gss_release_buffer(&minor, &out);
    }
    gss_release_name(&minor, &target);
}
END_TEST

int main(void)
{
    /* What a user's test does (doc/gssapi.md): a GSS_MECH_CONFIG file naming the module as an interposer. MIT's
     * own Kerberos is pointed at files that do not exist, so a handshake that succeeds was the module's. */
    char config[] = "/tmp/fakesspi-gss-XXXXXX";
    int fd = mkstemp(config);
    if (fd < 0)
        return 99;
    FILE *f = fdopen(fd, "w");
    fprintf(f, "fakesspi_krb5 2.25.210393196397943433797370956326399584433 %s <interposer>\n", FAKESSPI_GSS_MODULE);
    fclose(f);
    setenv("GSS_MECH_CONFIG", config, 1);
    setenv("KRB5_CONFIG", "/nonexistent/krb5.conf", 1);
    setenv("KRB5CCNAME", "FILE:/nonexistent/ccache", 1);
    setenv("KRB5_KTNAME", "FILE:/nonexistent/keytab", 1);
    setenv("FAKESSPI_SEED", "17", 1);
    unsetenv("FAKESSPI_USER");
    unsetenv("FAKESSPI_DOMAIN");

    Suite *s = suite_create("gss/module");
    TCase *tc = tcase_create("module");
    /* First, so that both copies of the library are fresh even when CK_FORK=no runs every test in one process. */
    tcase_add_test(tc, the_ap_req_is_the_kerberos_sspi_package_s_byte_for_byte);
    tcase_add_test(tc, the_default_initiator_logs_in_to_a_named_acceptor_with_no_kdc_and_no_keytab);
    tcase_add_test(tc, no_credential_on_either_side_is_the_process_user_and_the_ticket_service);
    tcase_add_test(tc, a_named_initiator_is_that_user_of_the_domain);
    tcase_add_test(tc, an_acceptor_for_another_service_has_no_key_for_the_ticket);
    tcase_add_test(tc, an_unknown_service_is_a_bad_name);
    tcase_add_test(tc, wrap_and_unwrap_carry_a_message_each_way_and_a_changed_byte_is_a_bad_signature);
    tcase_add_test(tc, channel_bindings_must_match_on_both_sides);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    unlink(config);
    return failed ? 1 : 0;
}
