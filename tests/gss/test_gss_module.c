/* The GSSAPI module as a GSSAPI program meets it: the program links MIT's libgssapi_krb5 and nothing of ours,
 * names the module in a GSS_MECH_CONFIG file, and runs the Kerberos mechanism (1.2.840.113554.1.2.2) with no
 * KDC, no keytab and no ccache (the environment points MIT's own Kerberos at files that do not exist, so only
 * the module can answer). One test also runs the SSPI side (libfakesspi) and compares the first token byte for
 * byte: the module makes the AP-REQ the Kerberos SSPI package makes (doc/gssapi.md). */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>

#include <check.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef FAKESSPI_GSS_MODULE
#error "FAKESSPI_GSS_MODULE names the built module"
#endif

static gss_OID_desc krb5_oid = {9, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
static gss_OID_set_desc krb5_set = {1, &krb5_oid};
static gss_OID_desc ms_krb5_oid = {9, "\x2a\x86\x48\x82\xf7\x12\x01\x02\x02"};
static gss_OID_desc spnego_oid = {6, "\x2b\x06\x01\x05\x05\x02"};
static gss_OID_desc ntlmssp_oid = {10, "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};
static gss_OID_desc inq_session_key = {11, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x05\x05"}; /* GSS_C_INQ_SSPI_SESSION_KEY */

#define REQ_FLAGS (GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG)

static gss_name_t import(const char *text, gss_OID type)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_buffer_desc b = {strlen(text), (void *)text};
    gss_name_t name = (gss_name_t)0xdeadbeef;
    ck_assert_uint_eq(gss_import_name(&minor, &b, type, &name), GSS_S_COMPLETE);
    return name;
}

/* A NEW credential of mech for name (GSS_C_NO_NAME: the default), asserted. */
static gss_cred_id_t acquire_for(gss_OID mech, gss_name_t name, gss_cred_usage_t usage)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_cred_id_t cred = (gss_cred_id_t)0xdeadbeef;
    gss_OID_set_desc set = {1, mech};
    OM_uint32 major = gss_acquire_cred(&minor, name, GSS_C_INDEFINITE, &set, usage, &cred, NULL, NULL);
    ck_assert_msg(major == GSS_S_COMPLETE, "gss_acquire_cred: major %#x minor %#x", major, minor);
    ck_assert_ptr_ne(cred, GSS_C_NO_CREDENTIAL);
    return cred;
}

/* The same for Kerberos. */
static gss_cred_id_t acquire(gss_name_t name, gss_cred_usage_t usage) { return acquire_for(&krb5_oid, name, usage); }

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

static void assert_buffer(const gss_buffer_desc *b, const char *want)
{
    ck_assert_uint_eq(b->length, strlen(want));
    ck_assert_mem_eq(b->value, want, b->length);
}

START_TEST(inquire_context_names_the_ticket_s_client_and_service_on_both_sides)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    gss_ctx_id_t ctx[2] = {p.init, p.accept};
    for (int i = 0; i < 2; i++) {
        gss_name_t src = (gss_name_t)0xdeadbeef, targ = (gss_name_t)0xdeadbeef;
        OM_uint32 lifetime = 0xdeadbeef, flags = 0xdeadbeef;
        gss_OID mech = (gss_OID)0xdeadbeef;
        int local = 0xdeadbeef, open = 0xdeadbeef;
        ck_assert_uint_eq(gss_inquire_context(&minor, ctx[i], &src, &targ, &lifetime, &mech, &flags, &local, &open),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(minor, 0);
        assert_name(src, "alice@EXAMPLE.TEST");
        assert_name(targ, "host/server.example.test@EXAMPLE.TEST");
        ck_assert_int_eq(local, i == 0);
        ck_assert_int_eq(open, 1);
        ck_assert_uint_gt(lifetime, 0);
        ck_assert_uint_ne(lifetime, GSS_C_INDEFINITE); /* the ticket's end time */
        ck_assert_uint_eq(mech->length, krb5_oid.length);
        ck_assert_mem_eq(mech->elements, krb5_oid.elements, krb5_oid.length);
        ck_assert_uint_eq(flags, i == 0 ? p.init_flags : p.accept_flags);
        /* gss_context_time agrees with the lifetime (RFC 2744 5.7). */
        OM_uint32 left = 0xdeadbeef;
        ck_assert_uint_eq(gss_context_time(&minor, ctx[i], &left), GSS_S_COMPLETE);
        ck_assert_uint_eq(left, lifetime);
        gss_release_name(&minor, &src);
        gss_release_name(&minor, &targ);
    }
    pair_free(&p);
}
END_TEST

START_TEST(a_context_still_being_established_is_not_open_and_has_no_context_time)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_name_t target = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_ctx_id_t init = GSS_C_NO_CONTEXT;
    gss_buffer_desc ap_req = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, &krb5_oid, REQ_FLAGS, 0,
                                           GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &ap_req, NULL, NULL),
                      GSS_S_CONTINUE_NEEDED);
    int local = 0xdeadbeef, open = 0xdeadbeef;
    ck_assert_uint_eq(gss_inquire_context(&minor, init, NULL, NULL, NULL, NULL, NULL, &local, &open), GSS_S_COMPLETE);
    ck_assert_int_eq(local, 1);
    ck_assert_int_eq(open, 0);
    OM_uint32 left = 0xdeadbeef;
    minor = 0xdeadbeef;
    ck_assert_uint_eq(gss_context_time(&minor, init, &left), GSS_S_NO_CONTEXT);
    ck_assert_uint_eq(left, 0);
    ck_assert_int_eq((int32_t)minor, SEC_E_INVALID_HANDLE);
    OM_uint32 max = 0xdeadbeef;
    ck_assert_uint_eq(gss_wrap_size_limit(&minor, init, 1, GSS_C_QOP_DEFAULT, 1000, &max), GSS_S_NO_CONTEXT);
    gss_delete_sec_context(&minor, &init, GSS_C_NO_BUFFER);
    gss_release_buffer(&minor, &ap_req);
    gss_release_name(&minor, &target);
}
END_TEST

START_TEST(wrap_size_limit_is_the_largest_message_whose_token_fits)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    static char data[1000];
    for (int conf = 1; conf >= 0; conf--) {
        OM_uint32 max = 0xdeadbeef;
        ck_assert_uint_eq(gss_wrap_size_limit(&minor, p.init, conf, GSS_C_QOP_DEFAULT, 1000, &max), GSS_S_COMPLETE);
        ck_assert_uint_eq(max, conf ? 940 : 972); /* RFC 4121 with AES: 60 bytes sealed, 28 signed only */
        gss_buffer_desc msg = {max, data}, wrapped = GSS_C_EMPTY_BUFFER;
        ck_assert_uint_eq(gss_wrap(&minor, p.init, conf, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped), GSS_S_COMPLETE);
        ck_assert_uint_eq(wrapped.length, 1000);
        gss_release_buffer(&minor, &wrapped);
        max = 0xdeadbeef;
        ck_assert_uint_eq(gss_wrap_size_limit(&minor, p.accept, conf, GSS_C_QOP_DEFAULT, 20, &max), GSS_S_COMPLETE);
        ck_assert_uint_eq(max, 0); /* not even an empty message fits */
    }
    OM_uint32 max = 0xdeadbeef;
    ck_assert_uint_eq(gss_wrap_size_limit(&minor, p.init, 1, 1, 1000, &max), GSS_S_BAD_QOP);
    ck_assert_int_eq((int32_t)minor, SEC_E_QOP_NOT_SUPPORTED);
    pair_free(&p);
}
END_TEST

START_TEST(the_sspi_session_key_is_the_same_on_both_sides_with_its_enctype)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    gss_buffer_set_t sets[2] = {(gss_buffer_set_t)0xdeadbeef, (gss_buffer_set_t)0xdeadbeef};
    ck_assert_uint_eq(gss_inquire_sec_context_by_oid(&minor, p.init, &inq_session_key, &sets[0]), GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_inquire_sec_context_by_oid(&minor, p.accept, &inq_session_key, &sets[1]), GSS_S_COMPLETE);
    for (int i = 0; i < 2; i++) {
        ck_assert_uint_eq(sets[i]->count, 2);
        ck_assert_uint_eq(sets[i]->elements[0].length, 32); /* an AES-256 key */
        /* The enctype as MIT writes it: 1.2.840.113554.1.2.2.4.18. */
        static const unsigned char aes256[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x04, 0x12};
        ck_assert_uint_eq(sets[i]->elements[1].length, sizeof aes256);
        ck_assert_mem_eq(sets[i]->elements[1].value, aes256, sizeof aes256);
    }
    ck_assert_mem_eq(sets[0]->elements[0].value, sets[1]->elements[0].value, 32);
    gss_release_buffer_set(&minor, &sets[0]);
    gss_release_buffer_set(&minor, &sets[1]);
    /* An OID the mechanism does not answer. */
    gss_OID_desc other = {11, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x05\x63"};
    gss_buffer_set_t none = (gss_buffer_set_t)0xdeadbeef;
    ck_assert_uint_eq(gss_inquire_sec_context_by_oid(&minor, p.init, &other, &none), GSS_S_UNAVAILABLE);
    ck_assert_ptr_eq(none, GSS_C_NO_BUFFER_SET);
    pair_free(&p);
    /* A context not yet established has no session key. */
    gss_name_t target = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_ctx_id_t init = GSS_C_NO_CONTEXT;
    gss_buffer_desc ap_req = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, &krb5_oid, REQ_FLAGS, 0,
                                           GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &ap_req, NULL, NULL),
                      GSS_S_CONTINUE_NEEDED);
    none = (gss_buffer_set_t)0xdeadbeef;
    ck_assert_uint_eq(gss_inquire_sec_context_by_oid(&minor, init, &inq_session_key, &none), GSS_S_NO_CONTEXT);
    ck_assert_int_eq((int32_t)minor, SEC_E_INVALID_HANDLE);
    ck_assert_ptr_eq(none, GSS_C_NO_BUFFER_SET);
    gss_delete_sec_context(&minor, &init, GSS_C_NO_BUFFER);
    gss_release_buffer(&minor, &ap_req);
    gss_release_name(&minor, &target);
}
END_TEST

START_TEST(the_mechanism_names_the_five_name_types_it_imports)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_OID_set types = (gss_OID_set)0xdeadbeef;
    ck_assert_uint_eq(gss_inquire_names_for_mech(&minor, &krb5_oid, &types), GSS_S_COMPLETE);
    ck_assert_uint_eq(types->count, 5);
    /* Both host-based service OIDs (RFC 2744 4.1: MIT's GSS_C_NT_HOSTBASED_SERVICE is the older one). */
    gss_OID want[5] = {GSS_C_NT_USER_NAME, GSS_C_NT_HOSTBASED_SERVICE, GSS_C_NT_HOSTBASED_SERVICE_X,
                       GSS_C_NT_EXPORT_NAME, &(gss_OID_desc){10, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x01"}};
    for (int i = 0; i < 5; i++) {
        int present = 0;
        ck_assert_uint_eq(gss_test_oid_set_member(&minor, want[i], types, &present), GSS_S_COMPLETE);
        ck_assert_msg(present, "name type %d missing", i);
    }
    gss_release_oid_set(&minor, &types);
}
END_TEST

START_TEST(the_acceptor_s_source_name_is_a_mechanism_name_with_a_local_account)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    int is_mn = 0xdeadbeef;
    gss_buffer_set_t attrs = (gss_buffer_set_t)0xdeadbeef;
    /* MN_mech is the mechglue's own answer (its internal OID for the interposed mechanism): not asked here. */
    ck_assert_uint_eq(gss_inquire_name(&minor, p.src, &is_mn, NULL, &attrs), GSS_S_COMPLETE);
    ck_assert_int_eq(is_mn, 1);
    ck_assert_ptr_ne(attrs, GSS_C_NO_BUFFER_SET); /* the PAC's (below) */
    gss_release_buffer_set(&minor, &attrs);
    gss_buffer_desc local = {0xdeadbeef, (void *)0xdeadbeef};
    ck_assert_uint_eq(gss_localname(&minor, p.src, GSS_C_NO_OID, &local), GSS_S_COMPLETE);
    assert_buffer(&local, "alice");
    gss_release_buffer(&minor, &local);
    pair_free(&p);

    /* A principal of another realm has no account here; the module says GSS_S_BAD_NAME and MIT's mechglue,
     * finding no name attribute to fall back on, reports GSS_S_UNAVAILABLE. */
    gss_name_t other = import("carol@OTHER.TEST", GSS_C_NT_USER_NAME);
    ck_assert_uint_eq(gss_localname(&minor, other, &krb5_oid, &local), GSS_S_UNAVAILABLE);
    ck_assert_uint_eq(local.length, 0);
    gss_release_name(&minor, &other);
}
END_TEST

static uint32_t le32_at(const unsigned char *p) { return p[0] | p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* One name attribute: its major status; on success the value (to release), authenticated and complete both 1,
 * no display value, and more 0 after coming in as -1. */
static OM_uint32 name_attribute(gss_name_t name, const char *which, gss_buffer_desc *value)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_buffer_desc attr = {strlen(which), (void *)which}, display = {0xdeadbeef, (void *)0xdeadbeef};
    int authenticated = 0xdeadbeef, complete = 0xdeadbeef, more = -1;
    *value = (gss_buffer_desc){0xdeadbeef, (void *)0xdeadbeef};
    OM_uint32 major = gss_get_name_attribute(&minor, name, &attr, &authenticated, &complete, value, &display, &more);
    ck_assert_int_eq(more, 0);
    ck_assert_uint_eq(display.length, 0);
    if (major == GSS_S_COMPLETE) {
        ck_assert_int_eq(authenticated, 1);
        ck_assert_int_eq(complete, 1);
    } else {
        ck_assert_uint_eq(value->length, 0);
        ck_assert_int_eq(authenticated, 0);
    }
    gss_release_buffer(&minor, &display);
    return major;
}

static int has_attribute(gss_buffer_set_t attrs, const char *want)
{
    for (size_t i = 0; attrs && i < attrs->count; i++)
        if (attrs->elements[i].length == strlen(want) && !memcmp(attrs->elements[i].value, want, strlen(want)))
            return 1;
    return 0;
}

/* The PAC's buffers as MIT's acceptor offers them (tests/interop/check_krb5.sh checks MIT's own against our ticket):
 * the raw bytes of each, authenticated once the server signature verified. */
START_TEST(the_acceptor_s_source_name_carries_the_ticket_s_pac_as_mit_s_mspac_attributes)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    gss_buffer_set_t attrs = GSS_C_NO_BUFFER_SET;
    ck_assert_uint_eq(gss_inquire_name(&minor, p.src, NULL, NULL, &attrs), GSS_S_COMPLETE);
    ck_assert_ptr_ne(attrs, GSS_C_NO_BUFFER_SET);
    /* The whole PAC first, then each of its buffers in the PAC's order, by MIT's name or by number. */
    assert_buffer(&attrs->elements[0], "urn:mspac:");
    const char *named[] = {"urn:mspac:logon-info", "urn:mspac:client-info", "urn:mspac:upn-dns-info",
                           "urn:mspac:server-checksum", "urn:mspac:privsvr-checksum"};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        ck_assert_msg(has_attribute(attrs, named[i]), "%s not listed", named[i]);
    ck_assert_msg(has_attribute(attrs, "urn:mspac:16"), "the ticket signature is listed by its number");
    ck_assert(!has_attribute(attrs, "urn:mspac:credentials-info"));

    gss_buffer_desc whole, logon, again, client;
    ck_assert_uint_eq(name_attribute(p.src, "urn:mspac:", &whole), GSS_S_COMPLETE);
    ck_assert_uint_gt(whole.length, 8);
    ck_assert_uint_eq(le32_at(whole.value), attrs->count - 1); /* PACTYPE's cBuffers */
    ck_assert_uint_eq(name_attribute(p.src, "urn:mspac:logon-info", &logon), GSS_S_COMPLETE);
    /* The ticket's KERB_VALIDATION_INFO (MS-PAC 2.5) in its NDR: UserId alice's RID, PrimaryGroupId 513. */
    const unsigned char *l = logon.value;
    ck_assert_uint_gt(logon.length, 140);
    ck_assert(l[0] == 1 && l[1] == 0x10 && l[2] == 8 && le32_at(l + 8) == logon.length - 16);
    ck_assert_uint_eq(le32_at(l + 120), 1104);
    ck_assert_uint_eq(le32_at(l + 124), 513);
    ck_assert_ptr_nonnull(memmem(whole.value, whole.length, logon.value, logon.length)); /* a buffer of the PAC */
    /* MIT matches names without regard to case, and takes a type's number. */
    ck_assert_uint_eq(name_attribute(p.src, "URN:MSPAC:Logon-Info", &again), GSS_S_COMPLETE);
    ck_assert_uint_eq(again.length, logon.length);
    ck_assert_mem_eq(again.value, logon.value, logon.length);
    gss_release_buffer(&minor, &again);
    ck_assert_uint_eq(name_attribute(p.src, "urn:mspac:1", &again), GSS_S_COMPLETE);
    ck_assert_uint_eq(again.length, logon.length);
    gss_release_buffer(&minor, &again);
    ck_assert_uint_eq(name_attribute(p.src, "urn:mspac:client-info", &client), GSS_S_COMPLETE);
    const unsigned char *c = client.value; /* ClientId (8), NameLength (2), the name in UTF-16LE */
    ck_assert_uint_eq(client.length, 20);
    ck_assert(c[8] == 10 && c[9] == 0 && !memcmp(c + 10, "a\0l\0i\0c\0e\0", 10));

    /* What MIT says GSS_S_UNAVAILABLE to: a buffer the PAC does not hold, a name that is not the PAC's, type 0. */
    const char *absent[] = {"urn:mspac:credentials-info", "urn:mspac:delegation-info", "urn:mspac:99", "urn:mspac:0",
                            "urn:mspac:1x", "urn:ietf:logon-info", "logon-info", ""};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        ck_assert_msg(name_attribute(p.src, absent[i], &again) == GSS_S_UNAVAILABLE, "%s", absent[i]);
    /* One value each: asked again with more 0 (not -1), there is none. */
    gss_buffer_desc attr = {20, "urn:mspac:logon-info"};
    int authenticated = 0, complete = 0, more = 0;
    ck_assert_uint_eq(gss_get_name_attribute(&minor, p.src, &attr, &authenticated, &complete, &again, NULL, &more),
                      GSS_S_UNAVAILABLE);
    ck_assert_int_eq(more, 0);

    /* A copy of the name, and the acceptor's context's own source name, carry the same PAC. */
    gss_name_t copy = GSS_C_NO_NAME, ctx_src = GSS_C_NO_NAME;
    ck_assert_uint_eq(gss_duplicate_name(&minor, p.src, &copy), GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_inquire_context(&minor, p.accept, &ctx_src, NULL, NULL, NULL, NULL, NULL, NULL),
                      GSS_S_COMPLETE);
    gss_name_t carriers[2] = {copy, ctx_src};
    for (int i = 0; i < 2; i++) {
        ck_assert_uint_eq(name_attribute(carriers[i], "urn:mspac:logon-info", &again), GSS_S_COMPLETE);
        ck_assert_uint_eq(again.length, logon.length);
        ck_assert_mem_eq(again.value, logon.value, logon.length);
        gss_release_buffer(&minor, &again);
        gss_release_name(&minor, &carriers[i]);
    }
    gss_release_buffer(&minor, &whole);
    gss_release_buffer(&minor, &logon);
    gss_release_buffer(&minor, &client);
    gss_release_buffer_set(&minor, &attrs);
    pair_free(&p);
}
END_TEST

/* The initiator sees no PAC (it cannot open the ticket), and a name a program made has none. */
START_TEST(an_initiator_s_or_an_imported_name_has_no_attributes)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    gss_name_t init_src = GSS_C_NO_NAME, init_targ = GSS_C_NO_NAME, accept_targ = GSS_C_NO_NAME;
    ck_assert_uint_eq(gss_inquire_context(&minor, p.init, &init_src, &init_targ, NULL, NULL, NULL, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_inquire_context(&minor, p.accept, NULL, &accept_targ, NULL, NULL, NULL, NULL, NULL),
                      GSS_S_COMPLETE);
    gss_name_t imported = import("alice@EXAMPLE.TEST", GSS_C_NT_USER_NAME), canonical = GSS_C_NO_NAME;
    ck_assert_uint_eq(gss_canonicalize_name(&minor, imported, &krb5_oid, &canonical), GSS_S_COMPLETE);
    gss_name_t none[4] = {init_src, init_targ, accept_targ, canonical};
    for (int i = 0; i < 4; i++) {
        gss_buffer_set_t attrs = (gss_buffer_set_t)0xdeadbeef;
        int is_mn = 0;
        ck_assert_uint_eq(gss_inquire_name(&minor, none[i], &is_mn, NULL, &attrs), GSS_S_COMPLETE);
        ck_assert_int_eq(is_mn, 1);
        ck_assert_msg(attrs == GSS_C_NO_BUFFER_SET, "name %d has attributes", i);
        gss_buffer_desc value;
        ck_assert_uint_eq(name_attribute(none[i], "urn:mspac:logon-info", &value), GSS_S_UNAVAILABLE);
        ck_assert_uint_eq(name_attribute(none[i], "urn:mspac:", &value), GSS_S_UNAVAILABLE);
        gss_release_name(&minor, &none[i]);
    }
    /* Not a mechanism name: the mechglue answers for it. */
    gss_buffer_set_t attrs = (gss_buffer_set_t)0xdeadbeef;
    int is_mn = 1;
    ck_assert_uint_eq(gss_inquire_name(&minor, imported, &is_mn, NULL, &attrs), GSS_S_COMPLETE);
    ck_assert_int_eq(is_mn, 0);
    ck_assert_ptr_eq(attrs, GSS_C_NO_BUFFER_SET);
    gss_buffer_desc attr = {20, "urn:mspac:logon-info"}, value;
    int authenticated = 1, complete = 1, more = -1;
    ck_assert_uint_eq(gss_get_name_attribute(&minor, imported, &attr, &authenticated, &complete, &value, NULL, &more),
                      GSS_S_UNAVAILABLE);
    ck_assert_int_eq(authenticated, 0);
    ck_assert_uint_eq(value.length, 0);
    gss_release_name(&minor, &imported);
    pair_free(&p);
}
END_TEST

START_TEST(an_exported_name_carries_the_principal_with_its_realm_and_imports_back)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_name_t service = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE), mn = GSS_C_NO_NAME;
    ck_assert_uint_eq(gss_canonicalize_name(&minor, service, &krb5_oid, &mn), GSS_S_COMPLETE);
    gss_buffer_desc exported = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_export_name(&minor, mn, &exported), GSS_S_COMPLETE);
    /* RFC 2743 3.2: 04 01, the OID's DER with its 2-byte length, the name with its 4-byte length. */
    static const char want[] = "\x04\x01\x00\x0b\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x00\x00\x00\x25"
                               "host/server.example.test@EXAMPLE.TEST";
    ck_assert_uint_eq(exported.length, sizeof want - 1);
    ck_assert_mem_eq(exported.value, want, sizeof want - 1);
    gss_name_t back = GSS_C_NO_NAME;
    ck_assert_uint_eq(gss_import_name(&minor, &exported, GSS_C_NT_EXPORT_NAME, &back), GSS_S_COMPLETE);
    assert_name(back, "host/server.example.test@EXAMPLE.TEST");
    gss_release_buffer(&minor, &exported);
    gss_release_name(&minor, &back);
    gss_release_name(&minor, &mn);
    gss_release_name(&minor, &service);
}
END_TEST

START_TEST(a_service_name_without_a_host_is_a_bad_name)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_buffer_desc b = {5, "host@"};
    gss_name_t name = (gss_name_t)0xdeadbeef, mn = GSS_C_NO_NAME;
    /* The mechglue keeps the text until a mechanism needs it: canonicalizing asks the module. */
    ck_assert_uint_eq(gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &name), GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_canonicalize_name(&minor, name, &krb5_oid, &mn), GSS_S_BAD_NAME);
    gss_release_name(&minor, &name);
}
END_TEST

START_TEST(a_name_may_end_in_the_nul_of_a_c_string)
{
    /* MIT's gss-server counts the terminator in the buffer (strlen + 1). */
    OM_uint32 minor = 0xdeadbeef;
    gss_buffer_desc b = {sizeof "host@server.example.test", "host@server.example.test"};
    gss_name_t name = GSS_C_NO_NAME, mn = GSS_C_NO_NAME;
    ck_assert_uint_eq(gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &name), GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_canonicalize_name(&minor, name, &krb5_oid, &mn), GSS_S_COMPLETE);
    assert_name(mn, "host/server.example.test");
    gss_release_name(&minor, &mn);
    gss_release_name(&minor, &name);
}
END_TEST

START_TEST(inquire_cred_names_the_credential_s_principal_and_use)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_name_t bob = import("bob", GSS_C_NT_USER_NAME);
    gss_cred_id_t cred = acquire(bob, GSS_C_INITIATE);
    gss_name_t name = (gss_name_t)0xdeadbeef;
    OM_uint32 lifetime = 0xdeadbeef;
    gss_cred_usage_t usage = 0xdeadbeef;
    ck_assert_uint_eq(gss_inquire_cred(&minor, cred, &name, &lifetime, &usage, NULL), GSS_S_COMPLETE);
    assert_name(name, "bob@EXAMPLE.TEST");
    ck_assert_uint_eq(lifetime, GSS_C_INDEFINITE);
    ck_assert_int_eq(usage, GSS_C_INITIATE);
    gss_release_name(&minor, &name);
    gss_release_cred(&minor, &cred);
    gss_release_name(&minor, &bob);

    gss_name_t service = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    cred = acquire(service, GSS_C_ACCEPT);
    usage = 0xdeadbeef;
    ck_assert_uint_eq(gss_inquire_cred(&minor, cred, &name, NULL, &usage, NULL), GSS_S_COMPLETE);
    assert_name(name, "host/server.example.test@EXAMPLE.TEST");
    ck_assert_int_eq(usage, GSS_C_ACCEPT);
    gss_release_name(&minor, &name);
    gss_release_cred(&minor, &cred);
    gss_release_name(&minor, &service);

    /* An acceptor for every service has no one name (the module gives none, and MIT's mechglue, which cannot
     * convert no name, says GSS_S_BAD_NAME when one is asked for); its use it has. */
    cred = acquire(GSS_C_NO_NAME, GSS_C_ACCEPT);
    usage = 0xdeadbeef;
    ck_assert_uint_eq(gss_inquire_cred(&minor, cred, NULL, NULL, &usage, NULL), GSS_S_COMPLETE);
    ck_assert_int_eq(usage, GSS_C_ACCEPT);
    ck_assert_uint_eq(gss_inquire_cred(&minor, cred, &name, NULL, NULL, NULL), GSS_S_BAD_NAME);
    gss_release_cred(&minor, &cred);
}
END_TEST

/* gss_inquire_cred_by_mech answers as gss_inquire_cred, with the lifetime of each usage the credential has and 0 for
 * the other; GSS_C_NO_CREDENTIAL is the default credential, the process's user as an initiator.
 * doc/semantics.md §79 */
START_TEST(inquire_cred_by_mech_gives_each_usage_s_lifetime_and_the_default_credential_s_user)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_name_t bob = import("bob", GSS_C_NT_USER_NAME), service = import("host@server.example.test",
                                                                           GSS_C_NT_HOSTBASED_SERVICE);
    struct {
        gss_cred_id_t cred;
        const char *name;
        gss_cred_usage_t usage;
        OM_uint32 init_life, accept_life;
    } cases[] = {
        {acquire(bob, GSS_C_INITIATE), "bob@EXAMPLE.TEST", GSS_C_INITIATE, GSS_C_INDEFINITE, 0},
        {acquire(service, GSS_C_ACCEPT), "host/server.example.test@EXAMPLE.TEST", GSS_C_ACCEPT, 0, GSS_C_INDEFINITE},
        {acquire(service, GSS_C_BOTH), "host/server.example.test@EXAMPLE.TEST", GSS_C_BOTH, GSS_C_INDEFINITE,
         GSS_C_INDEFINITE},
        {GSS_C_NO_CREDENTIAL, "alice@EXAMPLE.TEST", GSS_C_INITIATE, GSS_C_INDEFINITE, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gss_name_t name = (gss_name_t)0xdeadbeef;
        OM_uint32 init_life = 0xdeadbeef, accept_life = 0xdeadbeef;
        gss_cred_usage_t usage = 0xdeadbeef;
        ck_assert_uint_eq(gss_inquire_cred_by_mech(&minor, cases[i].cred, &krb5_oid, &name, &init_life, &accept_life,
                                                   &usage),
                          GSS_S_COMPLETE);
        assert_name(name, cases[i].name);
        ck_assert_int_eq(usage, cases[i].usage);
        ck_assert_uint_eq(init_life, cases[i].init_life);
        ck_assert_uint_eq(accept_life, cases[i].accept_life);
        gss_release_name(&minor, &name);
        if (cases[i].cred != GSS_C_NO_CREDENTIAL)
            gss_release_cred(&minor, &cases[i].cred);
    }
    gss_release_name(&minor, &bob);
    gss_release_name(&minor, &service);
}
END_TEST

static OM_uint32 acquire_with_password(const char *user, const char *password, gss_cred_id_t *cred, OM_uint32 *minor)
{
    gss_name_t name = import(user, GSS_C_NT_USER_NAME);
    gss_buffer_desc pw = {strlen(password), (void *)password};
    *cred = (gss_cred_id_t)0xdeadbeef;
    *minor = 0xdeadbeef;
    OM_uint32 major = gss_acquire_cred_with_password(minor, name, &pw, GSS_C_INDEFINITE, &krb5_set, GSS_C_INITIATE,
                                                     cred, NULL, NULL);
    OM_uint32 m;
    gss_release_name(&m, &name);
    return major;
}

START_TEST(a_credential_with_the_account_s_password_logs_in_with_no_kdc)
{
    OM_uint32 minor;
    gss_cred_id_t cred;
    ck_assert_uint_eq(acquire_with_password("bob", "Hunter2!", &cred, &minor), GSS_S_COMPLETE);
    ck_assert_uint_eq(minor, 0);
    struct pair p;
    handshake(cred, GSS_C_NO_CREDENTIAL, &p);
    assert_name(p.src, "bob@EXAMPLE.TEST");
    pair_free(&p);
    ck_assert_uint_eq(gss_release_cred(&minor, &cred), GSS_S_COMPLETE);
}
END_TEST

START_TEST(a_wrong_password_is_refused_as_the_kdc_would_with_logon_denied)
{
    /* MIT's mechanism asks its KDC for a ticket-granting ticket here, and says GSS_S_NO_CRED when the
     * pre-authentication fails; the minor status is the SSPI side's SEC_E_LOGON_DENIED. */
    OM_uint32 minor;
    gss_cred_id_t cred;
    ck_assert_uint_eq(acquire_with_password("bob", "hunter2!", &cred, &minor), GSS_S_NO_CRED);
    ck_assert_int_eq((int32_t)minor, SEC_E_LOGON_DENIED);
    ck_assert_ptr_eq(cred, GSS_C_NO_CREDENTIAL);
    /* An empty password never reaches the module: MIT's mechglue refuses it (GSS_S_FAILURE, EINVAL). */
    ck_assert_uint_eq(acquire_with_password("bob", "", &cred, &minor), GSS_S_FAILURE);
    ck_assert_ptr_eq(cred, GSS_C_NO_CREDENTIAL);
    /* Another account's password is as wrong, and a disabled account (krbtgt) may not log on with its own. */
    ck_assert_uint_eq(acquire_with_password("bob", "Passw0rd!", &cred, &minor), GSS_S_NO_CRED);
    ck_assert_int_eq((int32_t)minor, SEC_E_LOGON_DENIED);
    ck_assert_uint_eq(acquire_with_password("krbtgt", "Krbtgt!key-of-EXAMPLE", &cred, &minor), GSS_S_NO_CRED);
    ck_assert_int_eq((int32_t)minor, SEC_E_LOGON_DENIED);
    /* No such account: the same minor status, as SSPI reports an unknown user. */
    ck_assert_uint_eq(acquire_with_password("nobody", "Hunter2!", &cred, &minor), GSS_S_NO_CRED);
    ck_assert_int_eq((int32_t)minor, SEC_E_LOGON_DENIED);
    ck_assert_ptr_eq(cred, GSS_C_NO_CREDENTIAL);
}
END_TEST

/* The module's own entry points, as MIT's mechglue calls them with the module's context handle (the mechglue
 * keeps it inside its own context structure, which is what a program holds). */
typedef OM_uint32 (*import_name_fn)(OM_uint32 *, gss_buffer_t, gss_OID, gss_name_t *);
typedef OM_uint32 (*release_name_fn)(OM_uint32 *, gss_name_t *);
typedef OM_uint32 (*init_fn)(OM_uint32 *, gss_cred_id_t, gss_ctx_id_t *, gss_name_t, gss_OID, OM_uint32, OM_uint32,
                             gss_channel_bindings_t, gss_buffer_t, gss_OID *, gss_buffer_t, OM_uint32 *, OM_uint32 *);
typedef OM_uint32 (*delete_fn)(OM_uint32 *, gss_ctx_id_t *, gss_buffer_t);

static void *module_entry(void *module, const char *name)
{
    void *f = dlsym(module, name);
    ck_assert_msg(f != NULL, "the module exports no %s", name);
    return f;
}

START_TEST(deleting_a_context_twice_is_a_double_close_report)
{
    /* doc/semantics.md §63: as DeleteSecurityContext twice on one handle, a second gss_delete_sec_context of the
     * module's context (a copy of the deleted value) is GSS_S_NO_CONTEXT with the minor status SEC_E_INVALID_HANDLE,
     * and one DOUBLE_CLOSE report saying where the handle was handed out and closed. The module, loaded by the
     * mechglue, is found again with dlopen. */
    gss_cred_id_t loader = acquire(GSS_C_NO_NAME, GSS_C_INITIATE);
    OM_uint32 minor;
    gss_release_cred(&minor, &loader);
    void *module = dlopen(FAKESSPI_GSS_MODULE, RTLD_NOW | RTLD_NOLOAD);
    ck_assert_msg(module != NULL, "the mechglue did not load the module: %s", dlerror());
    import_name_fn import_name = (import_name_fn)module_entry(module, "gssi_import_name");
    release_name_fn release_name = (release_name_fn)module_entry(module, "gssi_release_name");
    init_fn init = (init_fn)module_entry(module, "gssi_init_sec_context");
    delete_fn delete_context = (delete_fn)module_entry(module, "gssi_delete_sec_context");

    gss_buffer_desc text = {strlen("host@server.example.test"), "host@server.example.test"}, token = GSS_C_EMPTY_BUFFER;
    gss_name_t target = GSS_C_NO_NAME;
    ck_assert_uint_eq(import_name(&minor, &text, GSS_C_NT_HOSTBASED_SERVICE, &target), GSS_S_COMPLETE);
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    OM_uint32 major = init(&minor, GSS_C_NO_CREDENTIAL, &ctx, target, &krb5_oid, REQ_FLAGS, 0, GSS_C_NO_CHANNEL_BINDINGS,
                           GSS_C_NO_BUFFER, NULL, &token, NULL, NULL);
    ck_assert_msg(major == GSS_S_CONTINUE_NEEDED, "gssi_init_sec_context: major %#x minor %#x", major, minor);
    free(token.value);
    ck_assert_uint_eq(release_name(&minor, &target), GSS_S_COMPLETE);

    /* The reports go to standard error: into a file for the test to read. */
    char path[] = "/tmp/fakesspi-gss-misuse-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    unlink(path);
    fflush(stderr);
    int saved = dup(2);
    ck_assert_int_ge(saved, 0);
    dup2(fd, 2);
    /* Through the mechglue, a second delete of the same variable, which the first set to GSS_C_NO_CONTEXT, is
     * RFC 2744's harmless GSS_S_NO_CONTEXT, answered by the mechglue and no misuse. */
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    ck_assert_uint_eq(gss_delete_sec_context(&minor, &p.init, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    ck_assert_uint_eq(GSS_ROUTINE_ERROR(gss_delete_sec_context(&minor, &p.init, GSS_C_NO_BUFFER)), GSS_S_NO_CONTEXT);
    ck_assert_uint_eq(gss_delete_sec_context(&minor, &p.accept, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    gss_release_name(&minor, &p.src);
    gss_ctx_id_t copy = ctx;
    OM_uint32 first = delete_context(&minor, &ctx, GSS_C_NO_BUFFER);
    OM_uint32 first_minor = minor;
    OM_uint32 second = delete_context(&minor, &copy, GSS_C_NO_BUFFER);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);

    ck_assert_uint_eq(first, GSS_S_COMPLETE);
    ck_assert_uint_eq(first_minor, 0);
    ck_assert_ptr_eq(ctx, GSS_C_NO_CONTEXT);
    ck_assert_uint_eq(second, GSS_S_NO_CONTEXT);
    ck_assert_int_eq((int32_t)minor, SEC_E_INVALID_HANDLE);
    char report[8192] = "";
    ssize_t n = pread(fd, report, sizeof report - 1, 0);
    close(fd);
    ck_assert_int_gt(n, 0);
    report[n] = '\0';
    ck_assert_msg(strncmp(report, "fakesspi: MISUSE DOUBLE_CLOSE: ", 31) == 0, "the report: %s", report);
    ck_assert_msg(strstr(report, "gss_delete_sec_context") != NULL, "the report names no gss_delete_sec_context: %s",
                  report);
    ck_assert_msg(strstr(report + 1, "fakesspi: MISUSE") == NULL,
                  "more than one report: %s", report);
    dlclose(module);
}
END_TEST

/* ---- the other mechanisms: Microsoft's Kerberos OID, SPNEGO, NTLMSSP (doc/semantics.md §64) ---- */


static int oid_equal(gss_const_OID a, const gss_OID_desc *b)
{
    return a && a->length == b->length && !memcmp(a->elements, b->elements, b->length);
}

/* A whole handshake under mech, leg by leg until both sides are done: the tokens kept, and each side's mech type
 * output at every leg (0: GSS_C_NO_OID). */
struct legs {
    int count;
    unsigned char first[12000];
    size_t first_len;
    gss_OID init_mech[8], accept_mech[8];
};

static void mech_handshake(gss_OID mech, gss_cred_id_t init_cred, gss_cred_id_t accept_cred, const char *target_text,
                           OM_uint32 flags, struct pair *p, struct legs *l)
{
    OM_uint32 minor = 0xdeadbeef, init_major = GSS_S_CONTINUE_NEEDED, accept_major = GSS_S_CONTINUE_NEEDED;
    gss_name_t target = import(target_text, GSS_C_NT_HOSTBASED_SERVICE);
    gss_buffer_desc to_acceptor = GSS_C_EMPTY_BUFFER, to_initiator = GSS_C_EMPTY_BUFFER;
    p->init = p->accept = GSS_C_NO_CONTEXT;
    p->src = GSS_C_NO_NAME;
    memset(l, 0, sizeof *l);
    for (int leg = 0; leg < 8 && (init_major == GSS_S_CONTINUE_NEEDED || accept_major == GSS_S_CONTINUE_NEEDED); leg++) {
        if (init_major == GSS_S_CONTINUE_NEEDED) {
            gss_OID actual = (gss_OID)0xdeadbeef;
            init_major = gss_init_sec_context(&minor, init_cred, &p->init, target, mech, flags, 0,
                                              GSS_C_NO_CHANNEL_BINDINGS, leg ? &to_initiator : GSS_C_NO_BUFFER,
                                              &actual, &to_acceptor, &p->init_flags, NULL);
            ck_assert_msg(!GSS_ERROR(init_major), "gss_init_sec_context leg %d: major %#x minor %#x", leg, init_major,
                          minor);
            l->init_mech[leg] = actual;
            if (!leg) {
                ck_assert_uint_le(to_acceptor.length, sizeof l->first);
                memcpy(l->first, to_acceptor.value, l->first_len = to_acceptor.length);
            }
            gss_release_buffer(&minor, &to_initiator);
            l->count++;
        }
        if (!to_acceptor.length)
            break;
        gss_OID got = (gss_OID)0xdeadbeef;
        accept_major = gss_accept_sec_context(&minor, &p->accept, accept_cred, &to_acceptor, GSS_C_NO_CHANNEL_BINDINGS,
                                              accept_major == GSS_S_CONTINUE_NEEDED ? &p->src : NULL, &got,
                                              &to_initiator, &p->accept_flags, NULL, NULL);
        ck_assert_msg(!GSS_ERROR(accept_major), "gss_accept_sec_context leg %d: major %#x minor %#x", leg,
                      accept_major, minor);
        l->accept_mech[leg] = got;
        gss_release_buffer(&minor, &to_acceptor);
        l->count++;
        if (!to_initiator.length && init_major == GSS_S_COMPLETE)
            break;
    }
    ck_assert_uint_eq(init_major, GSS_S_COMPLETE);
    ck_assert_uint_eq(accept_major, GSS_S_COMPLETE);
    gss_release_buffer(&minor, &to_initiator);
    gss_release_buffer(&minor, &to_acceptor);
    gss_release_name(&minor, &target);
}

/* Wrap and unwrap, MIC and verify, both ways; with tamper, then a changed byte is GSS_S_BAD_SIG (which leaves the
 * two sides' sequence numbers apart: the last call on a pair). Returns the Wrap token's overhead, its conf_state and
 * the MIC's size. */
static void protect_both_ways(struct pair *p, int conf_req, int tamper, size_t *overhead, size_t *mic_size,
                              int *conf_out)
{
    OM_uint32 minor;
    gss_ctx_id_t from[2] = {p->init, p->accept}, to[2] = {p->accept, p->init};
    for (int i = 0; i < 2; i++) {
        char text[] = "one fake domain, two APIs";
        gss_buffer_desc msg = {sizeof text - 1, text}, wrapped = GSS_C_EMPTY_BUFFER, plain = GSS_C_EMPTY_BUFFER;
        int conf = 0xdeadbeef;
        ck_assert_uint_eq(gss_wrap(&minor, from[i], conf_req, GSS_C_QOP_DEFAULT, &msg, &conf, &wrapped),
                          GSS_S_COMPLETE);
        *conf_out = conf;
        *overhead = wrapped.length - msg.length;
        int unwrapped_conf = 0xdeadbeef;
        ck_assert_uint_eq(gss_unwrap(&minor, to[i], &wrapped, &plain, &unwrapped_conf, NULL), GSS_S_COMPLETE);
        ck_assert_int_eq(unwrapped_conf, conf);
        ck_assert_uint_eq(plain.length, msg.length);
        ck_assert_mem_eq(plain.value, text, msg.length);
        gss_release_buffer(&minor, &plain);
        gss_release_buffer(&minor, &wrapped);
        gss_buffer_desc mic = GSS_C_EMPTY_BUFFER;
        ck_assert_uint_eq(gss_get_mic(&minor, from[i], GSS_C_QOP_DEFAULT, &msg, &mic), GSS_S_COMPLETE);
        *mic_size = mic.length;
        ck_assert_uint_eq(gss_verify_mic(&minor, to[i], &msg, &mic, NULL), GSS_S_COMPLETE);
        gss_release_buffer(&minor, &mic);
        if (!tamper)
            continue;
        /* A second message, changed on the way: refused. One per direction, as NTLM's receiver then expects the
         * sequence number of the message it refused (the next one would be out of sequence). */
        if (i == 0) {
            ck_assert_uint_eq(gss_wrap(&minor, from[i], conf_req, GSS_C_QOP_DEFAULT, &msg, &conf, &wrapped),
                              GSS_S_COMPLETE);
            ((unsigned char *)wrapped.value)[wrapped.length - 1] ^= 1;
            ck_assert_uint_eq(gss_unwrap(&minor, to[i], &wrapped, &plain, NULL, NULL), GSS_S_BAD_SIG);
            ck_assert_uint_eq(plain.length, 0);
            gss_release_buffer(&minor, &wrapped);
            continue;
        }
        ck_assert_uint_eq(gss_get_mic(&minor, from[i], GSS_C_QOP_DEFAULT, &msg, &mic), GSS_S_COMPLETE);
        text[0] ^= 1;
        ck_assert_uint_eq(gss_verify_mic(&minor, to[i], &msg, &mic, NULL), GSS_S_BAD_SIG);
        gss_release_buffer(&minor, &mic);
    }
}

static void assert_inquired_mech(gss_ctx_id_t ctx, const gss_OID_desc *want)
{
    OM_uint32 minor;
    gss_OID mech = GSS_C_NO_OID;
    ck_assert_uint_eq(gss_inquire_context(&minor, ctx, NULL, NULL, NULL, &mech, NULL, NULL, NULL), GSS_S_COMPLETE);
    ck_assert_msg(oid_equal(mech, want), "gss_inquire_context names another mechanism");
}

/* ---- interprocess tokens (doc/semantics.md §72) ---- */

/* Exports *ctx (which the export deletes) and imports the token back, as gss-server -export does. */
static gss_ctx_id_t export_and_import(gss_ctx_id_t *ctx, gss_buffer_t keep)
{
    OM_uint32 minor = 0xdeadbeef, major;
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    major = gss_export_sec_context(&minor, ctx, &token);
    ck_assert_msg(major == GSS_S_COMPLETE, "gss_export_sec_context: major %#x minor %#x", major, minor);
    ck_assert_ptr_eq(*ctx, GSS_C_NO_CONTEXT); /* RFC 2744 5.14: the context is gone */
    ck_assert_uint_gt(token.length, 0);
    gss_ctx_id_t imported = GSS_C_NO_CONTEXT;
    major = gss_import_sec_context(&minor, &token, &imported);
    ck_assert_msg(major == GSS_S_COMPLETE, "gss_import_sec_context: major %#x minor %#x", major, minor);
    ck_assert_ptr_ne(imported, GSS_C_NO_CONTEXT);
    if (keep)
        *keep = token;
    else
        gss_release_buffer(&minor, &token);
    return imported;
}

START_TEST(an_exported_context_imports_back_and_protects_messages_both_ways)
{
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    /* One message each way before the move, so the streams must go on where they were. */
    size_t overhead = 0, mic_size = 0;
    int conf = 0;
    protect_both_ways(&p, 1, 0, &overhead, &mic_size, &conf);
    p.accept = export_and_import(&p.accept, NULL);
    protect_both_ways(&p, 1, 0, &overhead, &mic_size, &conf);
    ck_assert_uint_eq(overhead, 60);
    ck_assert_int_eq(conf, 1);
    p.init = export_and_import(&p.init, NULL);
    protect_both_ways(&p, 0, 1, &overhead, &mic_size, &conf);
    ck_assert_int_eq(conf, 0);
    assert_inquired_mech(p.accept, &krb5_oid);
    pair_free(&p);
}
END_TEST

START_TEST(spnego_and_ntlmssp_contexts_export_and_import_under_their_own_mechanism)
{
    struct {
        gss_OID mech;
        const char *target;
        gss_OID_desc *inner;
    } cases[] = {{&spnego_oid, "host@server.example.test", &krb5_oid},
                 {&spnego_oid, "host@outside.other.test", &ntlmssp_oid},
                 {&ntlmssp_oid, "host@server.example.test", &ntlmssp_oid},
                 {&ms_krb5_oid, "host@server.example.test", &ms_krb5_oid}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pair p;
        struct legs l;
        mech_handshake(cases[i].mech, GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, cases[i].target, REQ_FLAGS, &p, &l);
        size_t overhead = 0, mic_size = 0;
        int conf = 0;
        protect_both_ways(&p, 1, 0, &overhead, &mic_size, &conf);
        p.accept = export_and_import(&p.accept, NULL);
        p.init = export_and_import(&p.init, NULL);
        assert_inquired_mech(p.accept, cases[i].inner);
        assert_inquired_mech(p.init, cases[i].inner);
        protect_both_ways(&p, 1, 1, &overhead, &mic_size, &conf);
        pair_free(&p);
    }
}
END_TEST

START_TEST(an_imported_context_keeps_its_names_flags_and_session_key)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    gss_buffer_set_t before[2] = {GSS_C_NO_BUFFER_SET, GSS_C_NO_BUFFER_SET}, after = GSS_C_NO_BUFFER_SET;
    gss_ctx_id_t *sides[2] = {&p.accept, &p.init};
    for (int i = 0; i < 2; i++) {
        OM_uint32 flags_before = 0, flags_after = 0;
        int local_before = -1, local_after = -1, open = 0;
        ck_assert_uint_eq(gss_inquire_context(&minor, *sides[i], NULL, NULL, NULL, NULL, &flags_before, &local_before,
                                              NULL),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(gss_inquire_sec_context_by_oid(&minor, *sides[i], &inq_session_key, &before[i]), GSS_S_COMPLETE);
        *sides[i] = export_and_import(sides[i], NULL);
        gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
        ck_assert_uint_eq(gss_inquire_context(&minor, *sides[i], &src, &targ, NULL, NULL, &flags_after, &local_after,
                                              &open),
                          GSS_S_COMPLETE);
        assert_name(src, "alice@EXAMPLE.TEST");
        assert_name(targ, "host/server.example.test@EXAMPLE.TEST");
        ck_assert_uint_eq(flags_after, flags_before);
        ck_assert_int_eq(local_after, local_before);
        ck_assert_int_eq(open, 1);
        ck_assert_uint_eq(gss_inquire_sec_context_by_oid(&minor, *sides[i], &inq_session_key, &after), GSS_S_COMPLETE);
        ck_assert_uint_eq(after->count, 2);
        ck_assert_uint_eq(after->elements[0].length, before[i]->elements[0].length);
        ck_assert_mem_eq(after->elements[0].value, before[i]->elements[0].value, after->elements[0].length);
        gss_release_buffer_set(&minor, &after);
        gss_release_name(&minor, &src);
        gss_release_name(&minor, &targ);
    }
    ck_assert_mem_eq(before[0]->elements[0].value, before[1]->elements[0].value, before[0]->elements[0].length);
    gss_release_buffer_set(&minor, &before[0]);
    gss_release_buffer_set(&minor, &before[1]);
    pair_free(&p);
}
END_TEST

/* An exported Kerberos acceptor keeps the ticket's PAC (under SPNEGO too): the imported context's source name offers
 * the same urn:mspac: attributes as before export; an imported initiator's names still have none.
 * doc/semantics.md §72 */
START_TEST(an_imported_acceptor_s_source_name_carries_the_pac_as_before_export)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_OID mechs[2] = {&krb5_oid, &spnego_oid};
    for (int m = 0; m < 2; m++) {
        struct pair p;
        struct legs l;
        mech_handshake(mechs[m], GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, "host@server.example.test", REQ_FLAGS, &p,
                       &l);
        gss_buffer_desc whole, again;
        ck_assert_uint_eq(name_attribute(p.src, "urn:mspac:", &whole), GSS_S_COMPLETE);
        p.accept = export_and_import(&p.accept, NULL);
        p.init = export_and_import(&p.init, NULL);
        gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
        ck_assert_uint_eq(gss_inquire_context(&minor, p.accept, &src, NULL, NULL, NULL, NULL, NULL, NULL),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(name_attribute(src, "urn:mspac:", &again), GSS_S_COMPLETE);
        ck_assert_uint_eq(again.length, whole.length);
        ck_assert_mem_eq(again.value, whole.value, whole.length);
        gss_release_buffer(&minor, &again);
        ck_assert_uint_eq(name_attribute(src, "urn:mspac:logon-info", &again), GSS_S_COMPLETE);
        ck_assert_uint_eq(le32_at((const unsigned char *)again.value + 120), 1104); /* alice's RID */
        gss_release_buffer(&minor, &again);
        ck_assert_uint_eq(gss_inquire_context(&minor, p.init, &targ, NULL, NULL, NULL, NULL, NULL, NULL),
                          GSS_S_COMPLETE);
        ck_assert_uint_eq(name_attribute(targ, "urn:mspac:logon-info", &again), GSS_S_UNAVAILABLE);
        gss_release_name(&minor, &src);
        gss_release_name(&minor, &targ);
        gss_release_buffer(&minor, &whole);
        pair_free(&p);
    }
}
END_TEST

START_TEST(a_token_imported_twice_makes_two_contexts_that_each_go_on_from_the_export)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    p.accept = export_and_import(&p.accept, &token);
    gss_ctx_id_t second = GSS_C_NO_CONTEXT;
    ck_assert_uint_eq(gss_import_sec_context(&minor, &token, &second), GSS_S_COMPLETE);
    ck_assert_ptr_ne(second, p.accept);
    char text[] = "to both copies";
    gss_buffer_desc msg = {sizeof text - 1, text}, wrapped = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_wrap(&minor, p.init, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped), GSS_S_COMPLETE);
    gss_ctx_id_t copies[2] = {p.accept, second};
    for (int i = 0; i < 2; i++) {
        gss_buffer_desc plain = GSS_C_EMPTY_BUFFER;
        ck_assert_uint_eq(gss_unwrap(&minor, copies[i], &wrapped, &plain, NULL, NULL), GSS_S_COMPLETE);
        ck_assert_uint_eq(plain.length, msg.length);
        ck_assert_mem_eq(plain.value, text, msg.length);
        gss_release_buffer(&minor, &plain);
    }
    gss_release_buffer(&minor, &wrapped);
    ck_assert_uint_eq(gss_delete_sec_context(&minor, &second, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &token);
    pair_free(&p);
}
END_TEST

/* The mechglue's framing (a 4-byte big-endian length, then the OID) around body. */
static void framed(const gss_OID_desc *oid, const void *body, size_t len, unsigned char *out, gss_buffer_t token)
{
    out[0] = out[1] = out[2] = 0;
    out[3] = (unsigned char)oid->length;
    memcpy(out + 4, oid->elements, oid->length);
    memcpy(out + 4 + oid->length, body, len);
    token->length = 4 + oid->length + len;
    token->value = out;
}

START_TEST(a_garbage_truncated_or_changed_token_is_a_defective_token)
{
    OM_uint32 minor = 0xdeadbeef, major;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    gss_buffer_desc good = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_export_sec_context(&minor, &p.accept, &good), GSS_S_COMPLETE);
    /* The module's token, as the mechglue frames it with Kerberos' public OID. */
    const unsigned char *g = good.value;
    ck_assert_uint_eq(g[3], krb5_oid.length);
    ck_assert_mem_eq(g + 4, krb5_oid.elements, krb5_oid.length);
    const unsigned char *body = g + 4 + krb5_oid.length;
    const size_t body_len = good.length - 4 - krb5_oid.length;
    static unsigned char buf[8192], copy[8192];
    ck_assert_uint_le(good.length, sizeof buf);
    gss_buffer_desc bad;
    gss_ctx_id_t ctx = (gss_ctx_id_t)0xdeadbeef;
    /* Garbage after the framing, the body cut short at every length, a changed magic, the body with a byte more,
     * and under SPNEGO's OID: each GSS_S_DEFECTIVE_TOKEN from the module, with SSPI's SEC_E_INVALID_TOKEN. */
    framed(&krb5_oid, "not a context at all", 20, buf, &bad);
    minor = 0;
    ck_assert_uint_eq(gss_import_sec_context(&minor, &bad, &ctx), GSS_S_DEFECTIVE_TOKEN);
    ck_assert_ptr_eq(ctx, GSS_C_NO_CONTEXT);
    ck_assert_int_eq((int32_t)minor, SEC_E_INVALID_TOKEN);
    for (size_t cut = 1; cut < body_len; cut += cut < 64 ? 1 : 37) {
        framed(&krb5_oid, body, cut, buf, &bad);
        ctx = (gss_ctx_id_t)0xdeadbeef;
        major = gss_import_sec_context(&minor, &bad, &ctx);
        ck_assert_msg(major == GSS_S_DEFECTIVE_TOKEN, "cut at %zu: major %#x", cut, major);
        ck_assert_ptr_eq(ctx, GSS_C_NO_CONTEXT);
    }
    memcpy(copy, body, body_len);
    copy[0] ^= 1;
    framed(&krb5_oid, copy, body_len, buf, &bad);
    ck_assert_uint_eq(gss_import_sec_context(&minor, &bad, &ctx), GSS_S_DEFECTIVE_TOKEN);
    copy[0] ^= 1;
    copy[body_len] = 0;
    framed(&krb5_oid, copy, body_len + 1, buf, &bad);
    ck_assert_uint_eq(gss_import_sec_context(&minor, &bad, &ctx), GSS_S_DEFECTIVE_TOKEN);
    framed(&spnego_oid, body, body_len, buf, &bad);
    ck_assert_uint_eq(gss_import_sec_context(&minor, &bad, &ctx), GSS_S_DEFECTIVE_TOKEN);
    /* No framing at all: the mechglue's own answer. */
    gss_buffer_desc tiny = {3, "abc"};
    major = gss_import_sec_context(&minor, &tiny, &ctx);
    ck_assert_uint_eq(GSS_ROUTINE_ERROR(major), GSS_S_DEFECTIVE_TOKEN);
    /* The good token still imports, and its context carries on. */
    ck_assert_uint_eq(gss_import_sec_context(&minor, &good, &p.accept), GSS_S_COMPLETE);
    size_t overhead = 0, mic_size = 0;
    int conf = 0;
    protect_both_ways(&p, 1, 0, &overhead, &mic_size, &conf);
    gss_release_buffer(&minor, &good);
    pair_free(&p);
}
END_TEST

START_TEST(a_context_not_yet_established_cannot_be_exported_and_stays)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_name_t target = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_ctx_id_t init = GSS_C_NO_CONTEXT;
    gss_buffer_desc ap_req = GSS_C_EMPTY_BUFFER, token = {1, "x"};
    ck_assert_uint_eq(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, &krb5_oid, REQ_FLAGS, 0,
                                           GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &ap_req, NULL, NULL),
                      GSS_S_CONTINUE_NEEDED);
    gss_ctx_id_t before = init;
    /* (MIT's mechglue zeroes the minor status on the way out of a failed export: the module's
     * SEC_E_UNSUPPORTED_FUNCTION shows in the trace only.) */
    ck_assert_uint_eq(gss_export_sec_context(&minor, &init, &token), GSS_S_UNAVAILABLE);
    ck_assert_ptr_eq(init, before);
    ck_assert_uint_eq(token.length, 0);
    /* Still the context it was: the handshake goes on. */
    gss_ctx_id_t accept = GSS_C_NO_CONTEXT;
    gss_buffer_desc ap_rep = GSS_C_EMPTY_BUFFER, last = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_accept_sec_context(&minor, &accept, GSS_C_NO_CREDENTIAL, &ap_req, GSS_C_NO_CHANNEL_BINDINGS,
                                             NULL, NULL, &ap_rep, NULL, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, &krb5_oid, REQ_FLAGS, 0,
                                           GSS_C_NO_CHANNEL_BINDINGS, &ap_rep, NULL, &last, NULL, NULL),
                      GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_delete_sec_context(&minor, &init, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    ck_assert_uint_eq(gss_delete_sec_context(&minor, &accept, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &ap_req);
    gss_release_buffer(&minor, &ap_rep);
    gss_release_name(&minor, &target);
}
END_TEST

/* The SSPI side's first leg of package for target with req. */
static void sspi_first_leg_of(const char *package, const char *target, ULONG req, unsigned char *token, ULONG *len)
{
    CredHandle cred;
    CtxtHandle ctx;
    TimeStamp ts;
    ck_assert_int_eq(AcquireCredentialsHandleA(NULL, (char *)package, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                               &cred, &ts),
                     SEC_E_OK);
    SecBuffer out = {*len, SECBUFFER_TOKEN, token};
    SecBufferDesc out_d = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    ck_assert_int_eq(InitializeSecurityContextA(&cred, NULL, (char *)target, req, 0, SECURITY_NATIVE_DREP, NULL, 0,
                                                &ctx, &out_d, &attrs, &ts),
                     SEC_I_CONTINUE_NEEDED);
    *len = out.cbBuffer;
    ck_assert_int_eq(DeleteSecurityContext(&ctx), SEC_E_OK);
    ck_assert_int_eq(FreeCredentialsHandle(&cred), SEC_E_OK);
}

static void module_first_leg(gss_OID mech, const char *target_text, gss_buffer_t token)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_name_t target = import(target_text, GSS_C_NT_HOSTBASED_SERVICE);
    gss_ctx_id_t init = GSS_C_NO_CONTEXT;
    ck_assert_uint_eq(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, mech, REQ_FLAGS, 0,
                                           GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, token, NULL, NULL),
                      GSS_S_CONTINUE_NEEDED);
    gss_delete_sec_context(&minor, &init, GSS_C_NO_BUFFER);
    gss_release_name(&minor, &target);
}

#define ISC_FLAGS                                                                                                 \
    (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT)

START_TEST(the_spnego_token_is_the_negotiate_sspi_package_s_byte_for_byte)
{
    /* The same seed in both copies of the library (main): SPNEGO through the module is SSPI Negotiate's NegTokenInit,
     * Kerberos' AP-REQ inside, and for a host outside the domain NTLM's NEGOTIATE inside. */
    const char *targets[2][2] = {{"host/server.example.test", "host@server.example.test"},
                                 {"host/elsewhere.invalid", "host@elsewhere.invalid"}};
    for (int i = 0; i < 2; i++) {
        unsigned char sspi[12000];
        ULONG sspi_len = sizeof sspi;
        sspi_first_leg_of("Negotiate", targets[i][0], ISC_FLAGS, sspi, &sspi_len);
        gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
        module_first_leg(&spnego_oid, targets[i][1], &token);
        ck_assert_uint_eq(token.length, sspi_len);
        ck_assert_mem_eq(token.value, sspi, sspi_len);
        /* [APPLICATION 0] and the SPNEGO OID: an initial context token of RFC 2743 3.1. */
        ck_assert_uint_eq(((unsigned char *)token.value)[0], 0x60);
        ck_assert(memmem(token.value, 16, spnego_oid.elements, spnego_oid.length) != NULL);
        OM_uint32 minor;
        gss_release_buffer(&minor, &token);
    }
}
END_TEST

START_TEST(the_ntlmssp_token_is_the_ntlm_sspi_package_s_negotiate_message)
{
    unsigned char sspi[4096];
    ULONG sspi_len = sizeof sspi;
    sspi_first_leg_of("NTLM", "host/server.example.test", ISC_FLAGS, sspi, &sspi_len);
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    module_first_leg(&ntlmssp_oid, "host@server.example.test", &token);
    ck_assert_uint_eq(token.length, sspi_len);
    ck_assert_mem_eq(token.value, sspi, sspi_len);
    ck_assert_mem_eq(token.value, "NTLMSSP\0\1\0\0\0", 12); /* the raw NEGOTIATE_MESSAGE, no framing */
    OM_uint32 minor;
    gss_release_buffer(&minor, &token);
}
END_TEST

START_TEST(microsoft_s_kerberos_oid_frames_the_tokens_with_its_own_oid_as_mit_does)
{
    /* The AP-REQ is the Kerberos package's with the framing's OID Microsoft's: one byte apart. */
    unsigned char sspi[12000];
    ULONG sspi_len = sizeof sspi;
    sspi_first_leg_of("Kerberos", "host/server.example.test", ISC_FLAGS, sspi, &sspi_len);
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    module_first_leg(&ms_krb5_oid, "host@server.example.test", &token);
    ck_assert_uint_eq(token.length, sspi_len);
    unsigned char *oid_at = memmem(token.value, 16, ms_krb5_oid.elements, ms_krb5_oid.length);
    ck_assert_ptr_nonnull(oid_at);
    memcpy(oid_at, krb5_oid.elements, krb5_oid.length);
    ck_assert_mem_eq(token.value, sspi, sspi_len);
    OM_uint32 minor;
    gss_release_buffer(&minor, &token);

    /* A login: the acceptor answers in the initiator's OID (its AP-REP framed with it), both sides report it. */
    struct pair p;
    struct legs l;
    mech_handshake(&ms_krb5_oid, GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, "host@server.example.test", REQ_FLAGS, &p,
                   &l);
    ck_assert_int_eq(l.count, 3); /* AP-REQ, AP-REP, the initiator's last leg */
    ck_assert(memmem(l.first, 16, ms_krb5_oid.elements, ms_krb5_oid.length) != NULL);
    ck_assert(oid_equal(l.init_mech[0], &ms_krb5_oid));
    ck_assert(oid_equal(l.accept_mech[0], &ms_krb5_oid));
    ck_assert(oid_equal(l.init_mech[1], &ms_krb5_oid));
    assert_inquired_mech(p.init, &ms_krb5_oid);
    assert_inquired_mech(p.accept, &ms_krb5_oid);
    assert_name(p.src, "alice@EXAMPLE.TEST");
    size_t overhead, mic_size;
    int conf;
    protect_both_ways(&p, 1, 1, &overhead, &mic_size, &conf);
    ck_assert_uint_eq(overhead, 60); /* RFC 4121 tokens carry no OID: the same as Kerberos' */
    ck_assert_uint_eq(mic_size, 28);
    pair_free(&p);
}
END_TEST

/* Under SPNEGO the acceptor's source name is the Kerberos context's inside it, PAC and all; with NTLM inside there
 * is no ticket and so no PAC (doc/semantics.md §69). */
START_TEST(spnego_s_source_name_carries_the_pac_of_the_kerberos_inside_and_none_with_ntlm)
{
    OM_uint32 minor = 0xdeadbeef;
    const char *targets[2] = {"host@server.example.test", "host@elsewhere.invalid"};
    for (int with_ntlm = 0; with_ntlm < 2; with_ntlm++) {
        struct pair p;
        struct legs l;
        mech_handshake(&spnego_oid, GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, targets[with_ntlm], REQ_FLAGS, &p, &l);
        gss_buffer_set_t attrs = GSS_C_NO_BUFFER_SET;
        ck_assert_uint_eq(gss_inquire_name(&minor, p.src, NULL, NULL, &attrs), GSS_S_COMPLETE);
        gss_buffer_desc logon;
        if (with_ntlm) {
            ck_assert_ptr_eq(attrs, GSS_C_NO_BUFFER_SET);
            ck_assert_uint_eq(name_attribute(p.src, "urn:mspac:logon-info", &logon), GSS_S_UNAVAILABLE);
        } else {
            ck_assert(has_attribute(attrs, "urn:mspac:") && has_attribute(attrs, "urn:mspac:logon-info"));
            ck_assert_uint_eq(name_attribute(p.src, "urn:mspac:logon-info", &logon), GSS_S_COMPLETE);
            ck_assert_uint_gt(logon.length, 140);
            ck_assert_uint_eq(le32_at((const unsigned char *)logon.value + 120), 1104); /* alice's RID */
            gss_release_buffer(&minor, &logon);
        }
        gss_release_buffer_set(&minor, &attrs);
        pair_free(&p);
    }
}
END_TEST

START_TEST(spnego_logs_in_with_kerberos_inside_and_then_reports_kerberos)
{
    OM_uint32 minor;
    gss_name_t service = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_cred_id_t accept_cred = acquire_for(&spnego_oid, service, GSS_C_ACCEPT);
    struct pair p;
    struct legs l;
    mech_handshake(&spnego_oid, GSS_C_NO_CREDENTIAL, accept_cred, "host@server.example.test", REQ_FLAGS, &p, &l);
    /* NegTokenInit with the AP-REQ, NegTokenResp accept-completed with the AP-REP, the initiator done: MIT's SPNEGO
     * names no mechanism while it negotiates, then the one inside. */
    ck_assert_int_eq(l.count, 3);
    ck_assert_ptr_eq(l.init_mech[0], GSS_C_NO_OID);
    ck_assert(oid_equal(l.init_mech[1], &krb5_oid));
    ck_assert(oid_equal(l.accept_mech[0], &krb5_oid));
    assert_inquired_mech(p.init, &krb5_oid);
    assert_inquired_mech(p.accept, &krb5_oid);
    assert_name(p.src, "alice@EXAMPLE.TEST");
    size_t overhead, mic_size;
    int conf;
    protect_both_ways(&p, 0, 0, &overhead, &mic_size, &conf);
    ck_assert_int_eq(conf, 0); /* Kerberos signs without sealing when asked */
    ck_assert_uint_eq(overhead, 28);
    protect_both_ways(&p, 1, 1, &overhead, &mic_size, &conf);
    ck_assert_uint_eq(overhead, 60);
    ck_assert_uint_eq(mic_size, 28);
    ck_assert_int_eq(conf, 1);
    pair_free(&p);
    gss_release_cred(&minor, &accept_cred);
    gss_release_name(&minor, &service);
}
END_TEST

START_TEST(spnego_to_a_host_outside_the_domain_runs_ntlm_inside_with_the_mechlistmic)
{
    struct pair p;
    struct legs l;
    mech_handshake(&spnego_oid, GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, "host@elsewhere.invalid", REQ_FLAGS, &p, &l);
    /* NEGOTIATE; CHALLENGE; AUTHENTICATE with the initiator's mechListMIC; accept-completed with the acceptor's MIC
     * (MS-SPNG 3.1.5.1); the initiator checks it and is done. */
    ck_assert_int_eq(l.count, 5);
    ck_assert_ptr_eq(l.init_mech[0], GSS_C_NO_OID);
    ck_assert_ptr_eq(l.init_mech[1], GSS_C_NO_OID);
    ck_assert(oid_equal(l.init_mech[2], &ntlmssp_oid));
    ck_assert(oid_equal(l.accept_mech[1], &ntlmssp_oid));
    assert_inquired_mech(p.init, &ntlmssp_oid);
    assert_inquired_mech(p.accept, &ntlmssp_oid);
    assert_name(p.src, "EXAMPLE\\alice");
    /* NTLM names no principal: both sides name the client as its acceptor did, the initiator its target too. */
    OM_uint32 minor;
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    ck_assert_uint_eq(gss_inquire_context(&minor, p.accept, &src, NULL, NULL, NULL, NULL, NULL, NULL), GSS_S_COMPLETE);
    assert_name(src, "EXAMPLE\\alice");
    gss_release_name(&minor, &src);
    ck_assert_uint_eq(gss_inquire_context(&minor, p.init, &src, &targ, NULL, NULL, NULL, NULL, NULL), GSS_S_COMPLETE);
    assert_name(src, "EXAMPLE\\alice");
    assert_name(targ, "host/elsewhere.invalid");
    gss_release_name(&minor, &src);
    gss_release_name(&minor, &targ);
    /* Message protection starts afresh after the MICs on both sides (MS-SPNG 3.3.5.1): the streams line up. */
    size_t overhead, mic_size;
    int conf;
    protect_both_ways(&p, 1, 1, &overhead, &mic_size, &conf);
    ck_assert_uint_eq(overhead, 16);
    ck_assert_uint_eq(mic_size, 16);
    pair_free(&p);
}
END_TEST

START_TEST(ntlmssp_logs_in_with_the_raw_ntlm_messages_and_wraps_as_gss_ntlmssp)
{
    struct pair p;
    struct legs l;
    mech_handshake(&ntlmssp_oid, GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, "host@server.example.test",
                   GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, &p, &l);
    ck_assert_int_eq(l.count, 4); /* NEGOTIATE, CHALLENGE, AUTHENTICATE (the initiator done), the acceptor done */
    for (int i = 0; i < 2; i++)
        ck_assert(oid_equal(l.init_mech[i], &ntlmssp_oid));
    ck_assert_ptr_eq(l.accept_mech[0], GSS_C_NO_OID); /* the mechglue says it only once the context is complete */
    ck_assert(oid_equal(l.accept_mech[1], &ntlmssp_oid));
    assert_inquired_mech(p.init, &ntlmssp_oid);
    assert_name(p.src, "EXAMPLE\\alice");
    /* gss-ntlmssp's Wrap token: the 16-byte signature, then the sealed data; sealed even when not asked. */
    size_t overhead, mic_size;
    int conf;
    protect_both_ways(&p, 0, 1, &overhead, &mic_size, &conf);
    ck_assert_uint_eq(overhead, 16);
    ck_assert_uint_eq(mic_size, 16);
    ck_assert_int_eq(conf, 1);
    OM_uint32 minor = 0xdeadbeef, max = 0xdeadbeef;
    ck_assert_uint_eq(gss_wrap_size_limit(&minor, p.init, 0, GSS_C_QOP_DEFAULT, 100, &max), GSS_S_COMPLETE);
    ck_assert_uint_eq(max, 84);
    /* A token shorter than the signature is defective; the minor status is SSPI's for it. */
    gss_buffer_desc short_token = {15, "0123456789abcde"}, plain = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_unwrap(&minor, p.accept, &short_token, &plain, NULL, NULL), GSS_S_DEFECTIVE_TOKEN);
    ck_assert_int_eq((int32_t)minor, SEC_E_INVALID_TOKEN);
    pair_free(&p);
}
END_TEST

START_TEST(an_ntlmssp_credential_from_a_password_is_that_user_and_a_wrong_one_is_refused)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_OID_set_desc ntlm_set = {1, &ntlmssp_oid};
    gss_name_t bob = import("EXAMPLE\\bob", GSS_C_NT_USER_NAME);
    gss_buffer_desc right = {8, "Hunter2!"}, wrong = {8, "hunter2!"};
    gss_cred_id_t cred = (gss_cred_id_t)0xdeadbeef;
    ck_assert_uint_eq(gss_acquire_cred_with_password(&minor, bob, &wrong, GSS_C_INDEFINITE, &ntlm_set, GSS_C_INITIATE,
                                                     &cred, NULL, NULL),
                      GSS_S_NO_CRED);
    ck_assert_int_eq((int32_t)minor, SEC_E_LOGON_DENIED);
    ck_assert_uint_eq(gss_acquire_cred_with_password(&minor, bob, &right, GSS_C_INDEFINITE, &ntlm_set, GSS_C_INITIATE,
                                                     &cred, NULL, NULL),
                      GSS_S_COMPLETE);
    struct pair p;
    struct legs l;
    mech_handshake(&ntlmssp_oid, cred, GSS_C_NO_CREDENTIAL, "host@server.example.test",
                   GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, &p, &l);
    assert_name(p.src, "EXAMPLE\\bob");
    pair_free(&p);
    gss_release_cred(&minor, &cred);
    /* A named credential needs no password: the domain knows bob's key. */
    gss_cred_id_t named = acquire(bob, GSS_C_INITIATE); /* Kerberos */
    gss_release_cred(&minor, &named);
    named = acquire_for(&ntlmssp_oid, bob, GSS_C_INITIATE);
    mech_handshake(&ntlmssp_oid, named, GSS_C_NO_CREDENTIAL, "host@server.example.test",
                   GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, &p, &l);
    assert_name(p.src, "EXAMPLE\\bob");
    pair_free(&p);
    gss_release_cred(&minor, &named);
    gss_release_name(&minor, &bob);
}
END_TEST

START_TEST(the_module_takes_over_the_four_mechanisms)
{
    /* gss_indicate_mechs lists the mechanisms of the mechglue's list; each of ours names the module's name types. */
    const gss_OID_desc *mechs[] = {&krb5_oid, &ms_krb5_oid, &spnego_oid, &ntlmssp_oid};
    for (size_t i = 0; i < 4; i++) {
        OM_uint32 minor = 0xdeadbeef;
        gss_OID_set types = GSS_C_NO_OID_SET;
        ck_assert_uint_eq(gss_inquire_names_for_mech(&minor, (gss_OID)mechs[i], &types), GSS_S_COMPLETE);
        ck_assert_uint_eq(types->count, 5);
        gss_release_oid_set(&minor, &types);
    }
}
END_TEST

START_TEST(a_mechanism_the_module_does_not_take_over_is_a_bad_mech)
{
    /* The mechglue sends the module only its own mechanisms; its entry point called with another (IAKERB) is
     * GSS_S_BAD_MECH, no context and no token (doc/semantics.md §64). */
    gss_cred_id_t loader = acquire(GSS_C_NO_NAME, GSS_C_INITIATE);
    OM_uint32 minor;
    gss_release_cred(&minor, &loader);
    void *module = dlopen(FAKESSPI_GSS_MODULE, RTLD_NOW | RTLD_NOLOAD);
    ck_assert_msg(module != NULL, "the mechglue did not load the module: %s", dlerror());
    import_name_fn import_name = (import_name_fn)module_entry(module, "gssi_import_name");
    release_name_fn release_name = (release_name_fn)module_entry(module, "gssi_release_name");
    init_fn init = (init_fn)module_entry(module, "gssi_init_sec_context");
    gss_buffer_desc text = {strlen("host@server.example.test"), "host@server.example.test"}, token = {1, "x"};
    gss_name_t target = GSS_C_NO_NAME;
    ck_assert_uint_eq(import_name(&minor, &text, GSS_C_NT_HOSTBASED_SERVICE, &target), GSS_S_COMPLETE);
    gss_OID_desc iakerb = {6, "\x2b\x06\x01\x05\x02\x05"};
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_OID actual = (gss_OID)0xdeadbeef;
    ck_assert_uint_eq(init(&minor, GSS_C_NO_CREDENTIAL, &ctx, target, &iakerb, REQ_FLAGS, 0, GSS_C_NO_CHANNEL_BINDINGS,
                           GSS_C_NO_BUFFER, &actual, &token, NULL, NULL),
                      GSS_S_BAD_MECH);
    ck_assert_int_eq((int32_t)minor, SEC_E_UNSUPPORTED_FUNCTION);
    ck_assert_ptr_eq(ctx, GSS_C_NO_CONTEXT);
    ck_assert_ptr_eq(actual, GSS_C_NO_OID);
    ck_assert_uint_eq(token.length, 0);
    ck_assert_uint_eq(release_name(&minor, &target), GSS_S_COMPLETE);
    dlclose(module);
}
END_TEST

/* ---- FAKESSPI_FAULTS in the module (doc/semantics.md §67) ----
 * The module reads FAKESSPI_FAULTS when its first call starts its copy of the library, so each case runs in a
 * child of its own that sets it first, whatever CK_FORK says. The children use no ck_assert (a failure there
 * would unwind into the runner's copy in the child): each step that goes wrong exits with its own code. */

/* The exit status of body run in a child with FAKESSPI_FAULTS=faults and FAKESSPI_TRACE=trace (NULL: none);
 * 128+N for a child killed by signal N. */
static int in_child_with_faults(const char *faults, const char *trace, int (*body)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("FAKESSPI_FAULTS", faults, 1);
        if (trace)
            setenv("FAKESSPI_TRACE", trace, 1);
        int rc = body();
        fflush(NULL);
        _exit(rc);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A whole login without mutual authentication, then a message wrapped and unwrapped: 0, or the major status's
 * routine error (1 to 18, which names the failing call only with its step) plus 20 times the step. */
static int plain_login_and_wrap(void)
{
    OM_uint32 minor, major;
    gss_buffer_desc text = {sizeof "host@server.example.test" - 1, "host@server.example.test"};
    gss_name_t target = GSS_C_NO_NAME;
    gss_ctx_id_t init = GSS_C_NO_CONTEXT, accept = GSS_C_NO_CONTEXT;
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER, reply = GSS_C_EMPTY_BUFFER, msg = {5, "hello"}, wrapped = GSS_C_EMPTY_BUFFER,
                    opened = GSS_C_EMPTY_BUFFER;
    int step = 1;
    if ((major = gss_import_name(&minor, &text, GSS_C_NT_HOSTBASED_SERVICE, &target)) != GSS_S_COMPLETE)
        goto out;
    step = 2;
    if ((major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, &krb5_oid, GSS_C_CONF_FLAG, 0,
                                      GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &token, NULL, NULL)) != GSS_S_COMPLETE)
        goto out;
    step = 3;
    if ((major = gss_accept_sec_context(&minor, &accept, GSS_C_NO_CREDENTIAL, &token, GSS_C_NO_CHANNEL_BINDINGS, NULL,
                                        NULL, &reply, NULL, NULL, NULL)) != GSS_S_COMPLETE)
        goto out;
    step = 4;
    if ((major = gss_wrap(&minor, init, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped)) != GSS_S_COMPLETE)
        goto out;
    step = 5;
    if ((major = gss_unwrap(&minor, accept, &wrapped, &opened, NULL, NULL)) != GSS_S_COMPLETE)
        goto out;
    step = 6;
    major = opened.length == 5 && !memcmp(opened.value, "hello", 5) ? GSS_S_COMPLETE : GSS_S_FAILURE;
out:
    gss_release_buffer(&minor, &token);
    gss_release_buffer(&minor, &reply);
    gss_release_buffer(&minor, &wrapped);
    gss_release_buffer(&minor, &opened);
    gss_delete_sec_context(&minor, &init, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&minor, &accept, GSS_C_NO_BUFFER);
    gss_release_name(&minor, &target);
    return major == GSS_S_COMPLETE ? 0 : (int)(GSS_ROUTINE_ERROR(major) >> 16) + step * 20;
}

/* The first gss_init_sec_context fails as armed, with no token and no context; the second is whole, and so is the
 * rest of the login. */
static int init_fails_once_as_armed(void)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_buffer_desc text = {sizeof "host@server.example.test" - 1, "host@server.example.test"};
    gss_name_t target = GSS_C_NO_NAME;
    gss_ctx_id_t init = GSS_C_NO_CONTEXT;
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    if (gss_import_name(&minor, &text, GSS_C_NT_HOSTBASED_SERVICE, &target) != GSS_S_COMPLETE)
        return 2;
    OM_uint32 major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &init, target, &krb5_oid, GSS_C_CONF_FLAG, 0,
                                           GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &token, NULL, NULL);
    if (major != GSS_S_DEFECTIVE_TOKEN)
        return 3;
    if (token.length != 0 || init != GSS_C_NO_CONTEXT) /* the minor status is the mechglue's number for 0 */
        return 4;
    gss_release_name(&minor, &target);
    return plain_login_and_wrap() ? 5 : 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

START_TEST(a_gss_call_armed_in_fakesspi_faults_fails_with_that_major_status_and_the_next_is_whole)
{
    char trace[] = "/tmp/fakesspi-gss-trace-XXXXXX";
    int fd = mkstemp(trace);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(in_child_with_faults("gss_init_sec_context#1=GSS_S_DEFECTIVE_TOKEN", trace, init_fails_once_as_armed), 0);
    const char *text = read_file(trace);
    ck_assert_msg(strstr(text, "GSS major 0x90000 (GSS_S_DEFECTIVE_TOKEN) (injected)"), "trace:\n%s", text);
    unlink(trace);
    /* Later calls: a message whose unwrap was failed is not consumed, so nothing else differs (the step names the
     * call: 5 is gss_unwrap, and GSS_S_BAD_SIG's routine error is 6). */
    ck_assert_int_eq(in_child_with_faults("gss_unwrap#1=GSS_S_BAD_SIG", NULL, plain_login_and_wrap), 5 * 20 + 6);
    ck_assert_int_eq(in_child_with_faults("gss_wrap#2=GSS_S_FAILURE", NULL, plain_login_and_wrap), 0);
    ck_assert_int_eq(in_child_with_faults("gss_accept_sec_context#1=0xD0000", NULL, plain_login_and_wrap), 3 * 20 + 13);
}
END_TEST

START_TEST(a_fault_the_module_cannot_inject_stops_the_program_at_its_first_call)
{
    /* A typo must not let a test pass that injected nothing: the module's first call exits 2 with the reason, as
     * the SSPI side does. An SSPI status for a gss_* call, a success, a supplementary bit alone, no such call. */
    const char *refused[] = {"gss_wrap#1=SEC_E_LOGON_DENIED", "gss_wrap#1=GSS_S_COMPLETE", "gss_wrap#1=GSS_S_CONTINUE_NEEDED",
                             "gss_wrap#1=0x8", "gss_frobnicate#1=GSS_S_FAILURE"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
        ck_assert_msg(in_child_with_faults(refused[i], NULL, plain_login_and_wrap) == 2, "%s was taken", refused[i]);
}
END_TEST

START_TEST(every_allocation_of_a_gss_login_failed_in_turn_fails_cleanly)
{
    /* alloc#N reaches the module's copy too: each failure is a GSS error of the call it hit, never a crash, and
     * past the last allocation the login is whole. */
    int n, rc = -1;
    for (n = 1; n < 2000 && rc != 0; n++) {
        char faults[32];
        snprintf(faults, sizeof faults, "alloc#%d", n);
        rc = in_child_with_faults(faults, NULL, plain_login_and_wrap);
        ck_assert_msg(rc >= 0 && rc < 128, "alloc#%d: the child died (%d)", n, rc);
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_int_gt(n, 10); /* the login allocates, so some of them failed */
}
END_TEST

/* ---- delegation (doc/semantics.md §68) ----
 * A domain of its own (the default's accounts, a front end trusted for delegation, one that is not, a back end) is
 * read when the module starts: each scenario runs in a fresh process, this program run again with --delegation,
 * as svc_front, so that a credential that fell back to the process's user would log in as svc_front, not alice. */
static const char delegation_domain[] =
    "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = S-1-5-21-1000000001-2000000002-3000000003\n"
    "computer = SERVER\n[group Domain Users]\nrid = 513\n"
    "[user krbtgt]\nrid = 502\npassword = Krbtgt!key-of-EXAMPLE\ndisabled = yes\n"
    "[user alice]\nrid = 1104\npassword = Passw0rd!\n[user bob]\nrid = 1105\npassword = Hunter2!\n"
    "[user svc_front]\nrid = 1120\npassword = Fr0nt!pass\nprivileges = SeImpersonatePrivilege\n"
    "spn = HTTP/front.example.test\ntrusted_for_delegation = yes\n"
    "[user svc_plain]\nrid = 1121\npassword = Pla1n!pass\nprivileges = SeImpersonatePrivilege\n"
    "spn = HTTP/plain.example.test\n"
    "[user svc_back]\nrid = 1122\npassword = B4ck!pass\nspn = MSSQLSvc/back.example.test\n"
    /* An account given by its key (any: no password is needed), hence RC4 only, and a service that takes RC4. */
    "[user hashed]\nrid = 1123\nnt_hash = D217FAEAE5E6B5F95CCC94077AB8A5FC\n"
    "[user svc_legacy]\nrid = 1124\npassword = L3gacy!pass\nspn = MSSQLSvc/legacy.example.test\n"
    "supported_enctypes = rc4, aes256\n"
    /* Protocol transition (doc/semantics.md §78): a service trusted to authenticate for delegation to the back end, and
     * one allowed to delegate there but not trusted to authenticate (its S4U2Self tickets are not forwardable). */
    "[user svc_t2a]\nrid = 1125\npassword = T2a!pass\nspn = HTTP/t2a.example.test\n"
    "allowed_to_delegate_to = MSSQLSvc/back.example.test\ntrusted_to_auth_for_delegation = yes\n"
    "[user svc_kcd]\nrid = 1126\npassword = Kcd!pass\nspn = HTTP/kcd.example.test\n"
    "allowed_to_delegate_to = MSSQLSvc/back.example.test\n";

/* One login of the child, leg by leg: 0, or the leg (1-based) whose call failed. */
static int child_login(gss_OID mech, gss_cred_id_t init_cred, const char *target_text, OM_uint32 flags,
                       struct pair *p, gss_cred_id_t *delegated)
{
    OM_uint32 minor, init_major = GSS_S_CONTINUE_NEEDED, accept_major = GSS_S_CONTINUE_NEEDED;
    gss_buffer_desc text = {strlen(target_text), (void *)target_text};
    gss_name_t target = GSS_C_NO_NAME;
    if (gss_import_name(&minor, &text, GSS_C_NT_HOSTBASED_SERVICE, &target) != GSS_S_COMPLETE)
        return 9;
    gss_buffer_desc to_acceptor = GSS_C_EMPTY_BUFFER, to_initiator = GSS_C_EMPTY_BUFFER;
    p->init = p->accept = GSS_C_NO_CONTEXT;
    p->src = GSS_C_NO_NAME;
    int failed = 0;
    for (int leg = 0; leg < 6 && !failed && (init_major == GSS_S_CONTINUE_NEEDED || accept_major == GSS_S_CONTINUE_NEEDED);
         leg++) {
        if (init_major == GSS_S_CONTINUE_NEEDED) {
            init_major = gss_init_sec_context(&minor, init_cred, &p->init, target, mech, flags, 0,
                                              GSS_C_NO_CHANNEL_BINDINGS, leg ? &to_initiator : GSS_C_NO_BUFFER, NULL,
                                              &to_acceptor, &p->init_flags, NULL);
            gss_release_buffer(&minor, &to_initiator);
            if (GSS_ERROR(init_major))
                failed = leg + 1;
        }
        if (failed || !to_acceptor.length)
            break;
        accept_major = gss_accept_sec_context(&minor, &p->accept, GSS_C_NO_CREDENTIAL, &to_acceptor,
                                              GSS_C_NO_CHANNEL_BINDINGS, &p->src, NULL, &to_initiator,
                                              &p->accept_flags, NULL, delegated);
        gss_release_buffer(&minor, &to_acceptor);
        if (GSS_ERROR(accept_major))
            failed = leg + 1;
    }
    gss_release_buffer(&minor, &to_initiator);
    gss_release_buffer(&minor, &to_acceptor);
    gss_release_name(&minor, &target);
    return failed ? failed : init_major == GSS_S_COMPLETE && accept_major == GSS_S_COMPLETE ? 0 : 8;
}

static int displays(gss_name_t name, const char *want)
{
    OM_uint32 minor;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    int same = gss_display_name(&minor, name, &text, NULL) == GSS_S_COMPLETE && text.length == strlen(want) &&
               !memcmp(text.value, want, text.length);
    gss_release_buffer(&minor, &text);
    return same;
}

static void child_pair_free(struct pair *p)
{
    OM_uint32 minor;
    gss_delete_sec_context(&minor, &p->init, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&minor, &p->accept, GSS_C_NO_BUFFER);
    gss_release_name(&minor, &p->src);
}

/* The child: alice logs in to target under mech asking to delegate; expect says whether the SSPI side delegated.
 * Then, with the delegated credential, the front end logs in to the back end as alice, and keeps the credential
 * when keep says so (a leak). Exit status: 0, or 10 * the step + what failed in it. */
static int delegation_child(const char *mech_text, const char *target, int expect, int keep)
{
    OM_uint32 minor;
    gss_OID mech = !strcmp(mech_text, "spnego") ? &spnego_oid : !strcmp(mech_text, "mskrb5") ? &ms_krb5_oid : &krb5_oid;
    gss_OID_set_desc set = {1, mech};
    gss_buffer_desc alice_text = {5, "alice"};
    gss_name_t alice = GSS_C_NO_NAME;
    gss_cred_id_t alice_cred = GSS_C_NO_CREDENTIAL, delegated = GSS_C_NO_CREDENTIAL;
    if (gss_import_name(&minor, &alice_text, GSS_C_NT_USER_NAME, &alice) != GSS_S_COMPLETE ||
        gss_acquire_cred(&minor, alice, GSS_C_INDEFINITE, &set, GSS_C_INITIATE, &alice_cred, NULL, NULL) != GSS_S_COMPLETE)
        return 10;
    gss_release_name(&minor, &alice);
    struct pair front;
    int rc = child_login(mech, alice_cred, target, REQ_FLAGS | GSS_C_DELEG_FLAG, &front, &delegated);
    if (rc)
        return 20 + rc;
    gss_release_cred(&minor, &alice_cred);
    if (!displays(front.src, "alice@EXAMPLE.TEST"))
        return 30;
    /* Both sides say whether the SSPI side delegated, and the credential comes exactly then. */
    if (!!(front.init_flags & GSS_C_DELEG_FLAG) != expect)
        return 31;
    if (!!(front.accept_flags & GSS_C_DELEG_FLAG) != expect)
        return 32;
    if ((delegated != GSS_C_NO_CREDENTIAL) != expect)
        return 33;
    child_pair_free(&front); /* the delegated credential outlives the context, as the SSPI side's does */
    if (!expect)
        return 0;
    gss_name_t name = GSS_C_NO_NAME;
    gss_cred_usage_t usage = 0;
    if (gss_inquire_cred(&minor, delegated, &name, NULL, &usage, NULL) != GSS_S_COMPLETE)
        return 40;
    int named = displays(name, "alice@EXAMPLE.TEST");
    gss_release_name(&minor, &name);
    if (!named)
        return 41;
    if (usage != GSS_C_INITIATE)
        return 42;
    /* The double hop: the front end, as alice, to the back end, whose source name is alice; under the Kerberos OID
     * the credential came under (SPNEGO's is Kerberos'). The mechglue finds none under the other OID and would give
     * the module no credential: the process's user, svc_front. */
    struct pair back;
    rc = child_login(mech == &spnego_oid ? &krb5_oid : mech, delegated, "MSSQLSvc@back.example.test", REQ_FLAGS, &back, NULL);
    if (rc)
        return 50 + rc;
    if (!displays(back.src, "alice@EXAMPLE.TEST"))
        return 59;
    child_pair_free(&back);
    if (!keep && gss_release_cred(&minor, &delegated) != GSS_S_COMPLETE)
        return 60;
    if (!keep && delegated != GSS_C_NO_CREDENTIAL)
        return 61;
    return 0;
}

/* The named-credential child: a credential by name for user (an account the domain gives by its key alone,
 * doc/semantics.md §73) logs in under mech to a service that takes RC4, which sees that user (want). Exit status: 0,
 * or what failed. */
static int named_child(const char *user, const char *mech_text, const char *want)
{
    OM_uint32 minor;
    gss_OID mech = !strcmp(mech_text, "ntlmssp") ? &ntlmssp_oid : &krb5_oid;
    gss_OID_set_desc set = {1, mech};
    gss_buffer_desc text = {strlen(user), (void *)user};
    gss_name_t name = GSS_C_NO_NAME;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    if (gss_import_name(&minor, &text, GSS_C_NT_USER_NAME, &name) != GSS_S_COMPLETE)
        return 10;
    OM_uint32 major = gss_acquire_cred(&minor, name, GSS_C_INDEFINITE, &set, GSS_C_INITIATE, &cred, NULL, NULL);
    gss_release_name(&minor, &name);
    if (major != GSS_S_COMPLETE)
        return 11;
    struct pair back;
    int rc = child_login(mech, cred, "MSSQLSvc@legacy.example.test", REQ_FLAGS, &back, NULL);
    gss_release_cred(&minor, &cred);
    if (rc)
        return 20 + rc;
    int seen = displays(back.src, want);
    child_pair_free(&back);
    return seen ? 0 : 30;
}

/* This program's path as it was started (argv[0]): /proc/self/exe would be valgrind's under valgrind. */
static const char *self_path;

/* Runs this program again with args (after its path; at most 6), as user (NULL: the default) under a domain of
 * domain_text (NULL: the default); its exit status. */
static int run_child(const char *domain_text, const char *user, const char *const *args)
{
    char domain[] = "/tmp/fakesspi-gss-domain-XXXXXX";
    if (domain_text) {
        int fd = mkstemp(domain);
        size_t n = strlen(domain_text);
        if (fd < 0 || write(fd, domain_text, n) != (ssize_t)n)
            return -1;
        close(fd);
    }
    char *argv[8] = {(char *)self_path};
    for (int i = 0; args[i] && i < 6; i++)
        argv[i + 1] = (char *)args[i];
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (domain_text)
            setenv("FAKESSPI_DOMAIN", domain, 1);
        if (user)
            setenv("FAKESSPI_USER", user, 1);
        setenv("FAKESSPI_LEAK_EXITCODE", "77", 1);
        setenv("GSS_MODULE_TEST_CHILD", "1", 1); /* main refuses to run the suite again in a child */
        execv(self_path, argv);
        _exit(127);
    }
    int status = 0;
    int waited = pid > 0 && waitpid(pid, &status, 0) == pid;
    if (domain_text)
        unlink(domain);
    return !waited ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Runs this program again as the delegation child under the delegation domain, as svc_front; its exit status. */
static int run_delegation(const char *mech, const char *target, int expect, int keep)
{
    const char *args[] = {"--delegation", mech, target, expect ? "1" : "0", keep ? "1" : "0", NULL};
    return run_child(delegation_domain, "svc_front", args);
}

/* A credential by name for an account the domain file gives by its NT hash alone, with no password: Kerberos (RC4,
 * the only key it has) and NTLMSSP log in as that account (doc/semantics.md §73). */
START_TEST(a_named_credential_of_an_account_given_by_its_key_logs_in)
{
    const char *kerberos[] = {"--named", "hashed", "krb5", "hashed@EXAMPLE.TEST", NULL};
    const char *ntlm[] = {"--named", "hashed", "ntlmssp", "EXAMPLE\\hashed", NULL};
    ck_assert_int_eq(run_child(delegation_domain, "svc_front", kerberos), 0);
    ck_assert_int_eq(run_child(delegation_domain, "svc_front", ntlm), 0);
}
END_TEST

START_TEST(a_client_that_delegates_to_a_trusted_front_end_gives_it_a_credential_that_logs_in_as_the_client)
{
    ck_assert_int_eq(run_delegation("krb5", "HTTP@front.example.test", 1, 0), 0);
    ck_assert_int_eq(run_delegation("mskrb5", "HTTP@front.example.test", 1, 0), 0);
}
END_TEST

START_TEST(spnego_with_kerberos_inside_delegates_as_kerberos_does)
{
    ck_assert_int_eq(run_delegation("spnego", "HTTP@front.example.test", 1, 0), 0);
}
END_TEST

START_TEST(to_a_front_end_not_trusted_for_delegation_the_request_is_dropped_and_no_credential_comes)
{
    ck_assert_int_eq(run_delegation("krb5", "HTTP@plain.example.test", 0, 0), 0);
    ck_assert_int_eq(run_delegation("spnego", "HTTP@plain.example.test", 0, 0), 0);
}
END_TEST

START_TEST(a_delegated_credential_never_released_is_a_leak_at_exit)
{
    ck_assert_int_eq(run_delegation("krb5", "HTTP@front.example.test", 1, 1), 77);
    ck_assert_int_eq(run_delegation("spnego", "HTTP@front.example.test", 1, 1), 77);
}
END_TEST

/* ---- protocol transition and constrained delegation (doc/semantics.md §78) ----
 * The child, run as alice under the delegation domain: the service whose SPN impersonator names gets a credential for
 * user with gss_acquire_cred_impersonate_name (S4U2Self) and logs in with it to target (S4U2Proxy). want: "ok" (the
 * back end sees user@EXAMPLE.TEST), "no-proxy" (gss_init_sec_context is MIT's GSS_S_FAILURE for the KDC's
 * KDC_ERR_BADOPTION, minor SEC_E_NO_CREDENTIALS) or "no-self" (the S4U2Self refused: GSS_S_FAILURE). Exit status:
 * 0, or what failed. */
static int s4u_child(const char *impersonator, const char *user, const char *target, const char *want)
{
    OM_uint32 minor = 0, major;
    gss_buffer_desc service_text = {strlen(impersonator), (void *)impersonator}, user_text = {strlen(user), (void *)user};
    gss_name_t service = GSS_C_NO_NAME, name = GSS_C_NO_NAME;
    gss_cred_id_t service_cred = GSS_C_NO_CREDENTIAL, cred = GSS_C_NO_CREDENTIAL;
    if (gss_import_name(&minor, &service_text, GSS_C_NT_HOSTBASED_SERVICE, &service) != GSS_S_COMPLETE ||
        gss_import_name(&minor, &user_text, GSS_C_NT_USER_NAME, &name) != GSS_S_COMPLETE ||
        gss_acquire_cred(&minor, service, GSS_C_INDEFINITE, &krb5_set, GSS_C_INITIATE, &service_cred, NULL, NULL) !=
            GSS_S_COMPLETE)
        return 10;
    major = gss_acquire_cred_impersonate_name(&minor, service_cred, name, GSS_C_INDEFINITE, &krb5_set, GSS_C_INITIATE,
                                              &cred, NULL, NULL);
    gss_release_cred(&minor, &service_cred);
    gss_release_name(&minor, &service);
    if (!strcmp(want, "no-self")) {
        gss_release_name(&minor, &name);
        /* (the minor status the module gives, SEC_E_LOGON_DENIED, reaches the trace; Debian's krb5 1.20 mechglue
         * hands the program 0) */
        return major == GSS_S_FAILURE && cred == GSS_C_NO_CREDENTIAL ? 0 : 11;
    }
    if (major != GSS_S_COMPLETE)
        return 12;
    /* A credential of the user, for initiating only, as MIT's proxy credential is. */
    gss_name_t held = GSS_C_NO_NAME;
    gss_cred_usage_t usage = (gss_cred_usage_t)-1;
    char principal[64];
    snprintf(principal, sizeof principal, "%s@EXAMPLE.TEST", user);
    int inquired = gss_inquire_cred(&minor, cred, &held, NULL, &usage, NULL) == GSS_S_COMPLETE &&
                   displays(held, principal) && usage == GSS_C_INITIATE;
    gss_release_name(&minor, &held);
    gss_release_name(&minor, &name);
    if (!inquired)
        return 20;
    struct pair back;
    int rc = child_login(&krb5_oid, cred, target, REQ_FLAGS, &back, NULL);
    OM_uint32 init_minor = 0;
    if (rc == 1) { /* the first gss_init_sec_context failed: its statuses, once more */
        gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
        gss_buffer_desc target_text = {strlen(target), (void *)target}, token = GSS_C_EMPTY_BUFFER;
        gss_name_t t = GSS_C_NO_NAME;
        if (gss_import_name(&minor, &target_text, GSS_C_NT_HOSTBASED_SERVICE, &t) != GSS_S_COMPLETE)
            return 30;
        major = gss_init_sec_context(&init_minor, cred, &ctx, t, &krb5_oid, REQ_FLAGS, 0, GSS_C_NO_CHANNEL_BINDINGS,
                                     GSS_C_NO_BUFFER, NULL, &token, NULL, NULL);
        gss_release_name(&minor, &t);
        if (ctx != GSS_C_NO_CONTEXT || token.length)
            return 31;
    }
    gss_release_cred(&minor, &cred);
    if (!strcmp(want, "no-proxy"))
        return rc == 1 && major == GSS_S_FAILURE && init_minor == (OM_uint32)SEC_E_NO_CREDENTIALS ? 0 : 40 + rc;
    if (rc)
        return 50 + rc;
    int seen = displays(back.src, principal);
    child_pair_free(&back);
    return seen ? 0 : 60;
}

static int run_s4u(const char *impersonator, const char *user, const char *target, const char *want)
{
    const char *args[] = {"--s4u", impersonator, user, target, want, NULL};
    return run_child(delegation_domain, NULL, args);
}

/* A service trusted to authenticate for delegation gets a credential for bob without his password and logs in with it
 * to a back end of its msDS-AllowedToDelegateTo as bob, though the process is alice's (doc/semantics.md §78). */
START_TEST(an_impersonated_credential_logs_in_to_an_allowed_back_end_as_the_user)
{
    ck_assert_int_eq(run_s4u("HTTP@t2a.example.test", "bob", "MSSQLSvc@back.example.test", "ok"), 0);
    ck_assert_int_eq(run_s4u("HTTP@t2a.example.test", "alice", "MSSQLSvc@back.example.test", "ok"), 0);
}
END_TEST

/* S4U2Proxy to a service not in the list, or with an S4U2Self ticket that is not forwardable (the service is not
 * trusted to authenticate for delegation): the KDC's KDC_ERR_BADOPTION, MIT's GSS_S_FAILURE (doc/semantics.md §78). */
START_TEST(s4u2proxy_the_kdc_refuses_is_gss_s_failure_with_sec_e_no_credentials)
{
    ck_assert_int_eq(run_s4u("HTTP@t2a.example.test", "bob", "HTTP@plain.example.test", "no-proxy"), 0);
    ck_assert_int_eq(run_s4u("HTTP@kcd.example.test", "bob", "MSSQLSvc@back.example.test", "no-proxy"), 0);
}
END_TEST

/* S4U2Self for a user the domain does not have, or whose account is disabled (krbtgt): GSS_S_FAILURE. */
START_TEST(s4u2self_for_an_unknown_or_disabled_user_is_gss_s_failure)
{
    ck_assert_int_eq(run_s4u("HTTP@t2a.example.test", "nobody", "MSSQLSvc@back.example.test", "no-self"), 0);
    ck_assert_int_eq(run_s4u("HTTP@t2a.example.test", "krbtgt", "MSSQLSvc@back.example.test", "no-self"), 0);
}
END_TEST

/* What MIT's krb5 refuses before it asks the KDC (its s4u_gss_glue.c): an impersonator that cannot initiate is
 * GSS_S_NO_CRED; a usage other than initiate, or a proxy credential as the impersonator, GSS_S_FAILURE; and the module
 * has no S4U for SPNEGO (GSS_S_UNAVAILABLE). Each failure leaves no credential. */
START_TEST(impersonation_refuses_an_acceptor_a_proxy_impersonator_another_usage_and_spnego)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_name_t service = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_name_t bob = import("bob", GSS_C_NT_USER_NAME);
    gss_cred_id_t acceptor = acquire(service, GSS_C_ACCEPT), alice = acquire(GSS_C_NO_NAME, GSS_C_INITIATE);
    gss_cred_id_t out = (gss_cred_id_t)0xdeadbeef;
    ck_assert_uint_eq(gss_acquire_cred_impersonate_name(&minor, acceptor, bob, GSS_C_INDEFINITE, &krb5_set,
                                                        GSS_C_INITIATE, &out, NULL, NULL),
                      GSS_S_NO_CRED);
    ck_assert_ptr_eq(out, GSS_C_NO_CREDENTIAL);
    out = (gss_cred_id_t)0xdeadbeef;
    ck_assert_uint_eq(gss_acquire_cred_impersonate_name(&minor, alice, bob, GSS_C_INDEFINITE, &krb5_set, GSS_C_ACCEPT,
                                                        &out, NULL, NULL),
                      GSS_S_FAILURE);
    ck_assert_ptr_eq(out, GSS_C_NO_CREDENTIAL);
    gss_cred_id_t proxy = GSS_C_NO_CREDENTIAL;
    ck_assert_uint_eq(gss_acquire_cred_impersonate_name(&minor, alice, bob, GSS_C_INDEFINITE, &krb5_set,
                                                        GSS_C_INITIATE, &proxy, NULL, NULL),
                      GSS_S_COMPLETE);
    out = (gss_cred_id_t)0xdeadbeef;
    ck_assert_uint_eq(gss_acquire_cred_impersonate_name(&minor, proxy, bob, GSS_C_INDEFINITE, &krb5_set,
                                                        GSS_C_INITIATE, &out, NULL, NULL),
                      GSS_S_FAILURE);
    ck_assert_ptr_eq(out, GSS_C_NO_CREDENTIAL);
    gss_OID_set_desc spnego_set = {1, &spnego_oid};
    gss_cred_id_t alice_spnego = acquire_for(&spnego_oid, GSS_C_NO_NAME, GSS_C_INITIATE);
    out = (gss_cred_id_t)0xdeadbeef;
    ck_assert_uint_eq(gss_acquire_cred_impersonate_name(&minor, alice_spnego, bob, GSS_C_INDEFINITE, &spnego_set,
                                                        GSS_C_INITIATE, &out, NULL, NULL),
                      GSS_S_UNAVAILABLE);
    ck_assert_ptr_eq(out, GSS_C_NO_CREDENTIAL);
    gss_release_cred(&minor, &proxy);
    gss_release_cred(&minor, &alice_spnego);
    gss_release_cred(&minor, &acceptor);
    gss_release_cred(&minor, &alice);
    gss_release_name(&minor, &bob);
    gss_release_name(&minor, &service);
}
END_TEST

/* The export child: a Kerberos login, both contexts exported and imported back, a message carried; the imported
 * acceptor deleted unless keep. The exported contexts are gone, not leaked; a kept imported one is a leak at exit
 * (FAKESSPI_LEAK_EXITCODE). Exit status: 0, or the step that failed. */
static int export_child(int keep)
{
    OM_uint32 minor;
    struct pair p;
    if (child_login(&krb5_oid, GSS_C_NO_CREDENTIAL, "host@server.example.test", REQ_FLAGS, &p, NULL))
        return 1;
    gss_ctx_id_t *sides[2] = {&p.init, &p.accept};
    for (int i = 0; i < 2; i++) {
        gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
        if (gss_export_sec_context(&minor, sides[i], &token) != GSS_S_COMPLETE || *sides[i] != GSS_C_NO_CONTEXT)
            return 2;
        OM_uint32 major = gss_import_sec_context(&minor, &token, sides[i]);
        gss_release_buffer(&minor, &token);
        if (major != GSS_S_COMPLETE)
            return 3;
    }
    gss_buffer_desc msg = {5, "hello"}, wrapped = GSS_C_EMPTY_BUFFER, plain = GSS_C_EMPTY_BUFFER;
    if (gss_wrap(&minor, p.init, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped) != GSS_S_COMPLETE ||
        gss_unwrap(&minor, p.accept, &wrapped, &plain, NULL, NULL) != GSS_S_COMPLETE || plain.length != 5)
        return 4;
    gss_release_buffer(&minor, &wrapped);
    gss_release_buffer(&minor, &plain);
    if (keep)
        p.accept = GSS_C_NO_CONTEXT;
    child_pair_free(&p);
    return 0;
}

/* Under gss_export_sec_context#1 and gss_import_sec_context#1 armed: the first of each fails as armed, the export
 * leaving the context as it was and the import making none; the second of each is whole. */
static int export_and_import_fail_once_as_armed(void)
{
    OM_uint32 minor;
    struct pair p;
    if (child_login(&krb5_oid, GSS_C_NO_CREDENTIAL, "host@server.example.test", REQ_FLAGS, &p, NULL))
        return 1;
    gss_ctx_id_t before = p.accept;
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    if (gss_export_sec_context(&minor, &p.accept, &token) != GSS_S_FAILURE || p.accept != before || token.length)
        return 2;
    if (gss_export_sec_context(&minor, &p.accept, &token) != GSS_S_COMPLETE || p.accept != GSS_C_NO_CONTEXT)
        return 3;
    if (gss_import_sec_context(&minor, &token, &p.accept) != GSS_S_DEFECTIVE_TOKEN || p.accept != GSS_C_NO_CONTEXT)
        return 4;
    OM_uint32 major = gss_import_sec_context(&minor, &token, &p.accept);
    gss_release_buffer(&minor, &token);
    if (major != GSS_S_COMPLETE)
        return 5;
    gss_buffer_desc msg = {5, "hello"}, wrapped = GSS_C_EMPTY_BUFFER, plain = GSS_C_EMPTY_BUFFER;
    major = gss_wrap(&minor, p.init, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped);
    if (major == GSS_S_COMPLETE)
        major = gss_unwrap(&minor, p.accept, &wrapped, &plain, NULL, NULL);
    int whole = major == GSS_S_COMPLETE && plain.length == 5 && !memcmp(plain.value, "hello", 5);
    gss_release_buffer(&minor, &wrapped);
    gss_release_buffer(&minor, &plain);
    child_pair_free(&p);
    return whole ? 0 : 6;
}

START_TEST(export_and_import_fail_as_fakesspi_faults_arms_them)
{
    ck_assert_int_eq(in_child_with_faults("gss_export_sec_context#1=GSS_S_FAILURE,gss_import_sec_context#1=GSS_S_DEFECTIVE_TOKEN",
                                          NULL, export_and_import_fail_once_as_armed),
                     0);
}
END_TEST

/* Runs this program again as the export child; its exit status. */
static int run_export_child(int keep)
{
    const char *args[] = {"--export", keep ? "1" : "0", NULL};
    return run_child(NULL, NULL, args);
}

START_TEST(an_exported_context_is_no_leak_and_an_imported_one_never_deleted_is)
{
    ck_assert_int_eq(run_export_child(0), 0);
    ck_assert_int_eq(run_export_child(1), 77);
}
END_TEST

/* ---- IOV and AEAD message protection (doc/semantics.md §75) ---- */

/* wrap_iov over HEADER | DATA | PADDING | TRAILER, or HEADER | DATA without trailer, each output buffer allocated
 * by the module; returns the token put back together, header | data | trailer, which plain gss_unwrap must open. */
/* A twin of *ctx: its export imported twice, *ctx becoming one copy and the NEW other returned, so that both make
 * their next token under the same sequence number. */
static gss_ctx_id_t twin_of(gss_ctx_id_t *ctx)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    *ctx = export_and_import(ctx, &token);
    gss_ctx_id_t copy = GSS_C_NO_CONTEXT;
    ck_assert_uint_eq(gss_import_sec_context(&minor, &token, &copy), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &token);
    return copy;
}

static gss_buffer_desc iov_wrap_joined(gss_ctx_id_t ctx, int conf_req, int with_trailer, const char *text,
                                       size_t *head_len, size_t *trail_len)
{
    OM_uint32 minor = 0xdeadbeef;
    size_t len = strlen(text);
    char *data = strdup(text);
    gss_iov_buffer_desc iov[4] = {
        {GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE, GSS_C_EMPTY_BUFFER},
        {GSS_IOV_BUFFER_TYPE_DATA, {len, data}},
        {GSS_IOV_BUFFER_TYPE_PADDING | GSS_IOV_BUFFER_FLAG_ALLOCATE, GSS_C_EMPTY_BUFFER},
        {GSS_IOV_BUFFER_TYPE_TRAILER | GSS_IOV_BUFFER_FLAG_ALLOCATE, GSS_C_EMPTY_BUFFER},
    };
    int count = with_trailer ? 4 : 2, conf = 0xdeadbeef;
    OM_uint32 major = gss_wrap_iov(&minor, ctx, conf_req, GSS_C_QOP_DEFAULT, &conf, iov, count);
    ck_assert_msg(major == GSS_S_COMPLETE, "gss_wrap_iov: major %#x minor %#x", major, minor);
    ck_assert_int_eq(conf, conf_req);
    ck_assert(iov[0].type & GSS_IOV_BUFFER_FLAG_ALLOCATED);
    ck_assert_int_eq(memcmp(data, text, len) != 0, conf_req); /* sealed in place, or left as it was */
    *head_len = iov[0].buffer.length;
    *trail_len = with_trailer ? iov[3].buffer.length : 0;
    if (with_trailer)
        ck_assert_uint_eq(iov[2].buffer.length, 0); /* AES needs no padding */
    gss_buffer_desc joined = {*head_len + len + *trail_len, malloc(*head_len + len + *trail_len + 1)};
    memcpy(joined.value, iov[0].buffer.value, *head_len);
    memcpy((char *)joined.value + *head_len, data, len);
    if (with_trailer)
        memcpy((char *)joined.value + *head_len + len, iov[3].buffer.value, *trail_len);
    ck_assert_uint_eq(gss_release_iov_buffer(&minor, iov, count), GSS_S_COMPLETE);
    free(data);
    return joined;
}

START_TEST(wrap_iov_lays_out_mit_s_token_and_plain_unwrap_opens_it)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    const char *text = "a message in pieces";
    /* conf_req, trailer: the header and trailer lengths and the RRC MIT's krb5 writes for each layout */
    static const struct { int conf, trailer; size_t head, trail; unsigned rrc; } cases[] = {
        {1, 1, 32, 28, 0}, {1, 0, 60, 0, 28}, {0, 1, 16, 12, 0}, {0, 0, 28, 0, 12}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        gss_iov_buffer_desc len_iov[4] = {{GSS_IOV_BUFFER_TYPE_HEADER, {999, NULL}},
                                          {GSS_IOV_BUFFER_TYPE_DATA, {5, NULL}},
                                          {GSS_IOV_BUFFER_TYPE_PADDING, {999, NULL}},
                                          {GSS_IOV_BUFFER_TYPE_TRAILER, {999, NULL}}};
        int conf = 0xdeadbeef;
        ck_assert_uint_eq(gss_wrap_iov_length(&minor, p.init, cases[c].conf, GSS_C_QOP_DEFAULT, &conf, len_iov,
                                              cases[c].trailer ? 4 : 2),
                          GSS_S_COMPLETE);
        ck_assert_int_eq(conf, cases[c].conf);
        ck_assert_uint_eq(len_iov[0].buffer.length, cases[c].head);
        if (cases[c].trailer) {
            ck_assert_uint_eq(len_iov[2].buffer.length, 0);
            ck_assert_uint_eq(len_iov[3].buffer.length, cases[c].trail);
        }
        size_t head, trail;
        gss_buffer_desc joined = iov_wrap_joined(p.init, cases[c].conf, cases[c].trailer, text, &head, &trail);
        ck_assert_uint_eq(head, cases[c].head);
        ck_assert_uint_eq(trail, cases[c].trail);
        const unsigned char *h = joined.value;
        ck_assert_uint_eq(h[0], 0x05);
        ck_assert_uint_eq(h[1], 0x04);
        ck_assert_uint_eq(h[2] & 2, cases[c].conf ? 2 : 0); /* Sealed */
        ck_assert_uint_eq((unsigned)(h[4] << 8 | h[5]), cases[c].conf ? 0 : 12); /* EC */
        ck_assert_uint_eq((unsigned)(h[6] << 8 | h[7]), cases[c].rrc);            /* RRC */
        gss_buffer_desc plain = GSS_C_EMPTY_BUFFER;
        int unwrapped_conf = 0xdeadbeef;
        ck_assert_uint_eq(gss_unwrap(&minor, p.accept, &joined, &plain, &unwrapped_conf, NULL), GSS_S_COMPLETE);
        ck_assert_int_eq(unwrapped_conf, cases[c].conf);
        ck_assert_uint_eq(plain.length, strlen(text));
        ck_assert_mem_eq(plain.value, text, plain.length);
        gss_release_buffer(&minor, &plain);
        free(joined.value);
    }
    pair_free(&p);
}
END_TEST

/* Without confidentiality the token has no confounder: two copies of one context at one sequence number make the
 * same bytes with gss_wrap and gss_wrap_iov, the checksum placed by RRC or in the TRAILER. */
START_TEST(an_unsealed_wrap_iov_token_is_the_bytes_of_gss_wrap_under_the_same_sequence_number)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    const char *text = "same bytes both ways";
    size_t len = strlen(text);
    for (int with_trailer = 0; with_trailer < 2; with_trailer++) {
        gss_ctx_id_t copy = twin_of(&p.init);
        gss_buffer_desc msg = {len, (void *)text}, wrapped = GSS_C_EMPTY_BUFFER;
        ck_assert_uint_eq(gss_wrap(&minor, copy, 0, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped), GSS_S_COMPLETE);
        size_t head, trail;
        gss_buffer_desc joined = iov_wrap_joined(p.init, 0, with_trailer, text, &head, &trail);
        ck_assert_uint_eq(joined.length, wrapped.length);
        const unsigned char *w = wrapped.value, *j = joined.value;
        if (!with_trailer) {
            ck_assert_mem_eq(j, w, wrapped.length);
        } else { /* header with RRC 0 | data | checksum against header with RRC 12 | checksum | data */
            ck_assert_mem_eq(j, w, 6);
            ck_assert_mem_eq(j + 8, w + 8, 8);
            ck_assert_mem_eq(j + 16, w + 28, len);
            ck_assert_mem_eq(j + 16 + len, w + 16, 12);
        }
        free(joined.value);
        gss_release_buffer(&minor, &wrapped);
        ck_assert_uint_eq(gss_delete_sec_context(&minor, &copy, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    }
    pair_free(&p);
}
END_TEST

/* A DCE-style context (three legs: the bare AP-REQ, the AP-REP, the client's AP-REP): MIT's DCE layout, a block of
 * filler (EC 16) in the trailer, so HEADER 32 and TRAILER 44 (RRC 0), or HEADER 76 alone (RRC 28, Windows rotating by
 * EC + RRC), which is gss_wrap's token; both open with gss_unwrap and with gss_unwrap_iov, and gss_wrap's token opens
 * with gss_unwrap_iov (doc/semantics.md §75). Unsealed, the bytes are gss_wrap's. */
START_TEST(a_dce_style_context_wraps_over_iov_buffers_with_its_filler_as_mit_lays_it_out)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    struct legs l;
    mech_handshake(&krb5_oid, GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, "host@server.example.test",
                   REQ_FLAGS | GSS_C_DCE_STYLE, &p, &l);
    ck_assert_int_eq(l.count, 4); /* AP-REQ, AP-REP, the client's AP-REP, and the acceptor completing on it */
    ck_assert(p.init_flags & GSS_C_DCE_STYLE);
    ck_assert(p.accept_flags & GSS_C_DCE_STYLE);
    const char *text = "a DCE/RPC stub";
    size_t len = strlen(text);
    static const struct { int conf, trailer; size_t head, trail; unsigned ec, rrc; } cases[] = {
        {1, 1, 32, 44, 16, 0}, {1, 0, 76, 0, 16, 28}, {0, 1, 16, 12, 12, 0}, {0, 0, 28, 0, 12, 12}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t head, trail;
        gss_buffer_desc joined = iov_wrap_joined(p.init, cases[i].conf, cases[i].trailer, text, &head, &trail);
        ck_assert_uint_eq(head, cases[i].head);
        ck_assert_uint_eq(trail, cases[i].trail);
        const unsigned char *j = joined.value;
        ck_assert_uint_eq(j[4] << 8 | j[5], cases[i].ec);
        ck_assert_uint_eq(j[6] << 8 | j[7], cases[i].rrc);
        gss_buffer_desc plain = GSS_C_EMPTY_BUFFER;
        int conf = 0xdeadbeef;
        ck_assert_uint_eq(gss_unwrap(&minor, p.accept, &joined, &plain, &conf, NULL), GSS_S_COMPLETE);
        ck_assert_int_eq(conf, cases[i].conf);
        ck_assert_uint_eq(plain.length, len);
        ck_assert_mem_eq(plain.value, text, len);
        gss_release_buffer(&minor, &plain);
        free(joined.value);
    }
    /* The peer's gss_wrap token through gss_unwrap_iov in pieces, and a gss_wrap_iov token with a TRAILER the same. */
    for (int pieces = 0; pieces < 2; pieces++) {
        gss_buffer_desc msg = {len, (void *)text}, wrapped = GSS_C_EMPTY_BUFFER;
        size_t head = 76, trail = 0;
        if (pieces) {
            wrapped = iov_wrap_joined(p.accept, 1, 1, text, &head, &trail);
        } else {
            ck_assert_uint_eq(gss_wrap(&minor, p.accept, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped), GSS_S_COMPLETE);
            ck_assert_uint_eq(wrapped.length, 76 + len);
        }
        char *data = malloc(len);
        memcpy(data, (char *)wrapped.value + head, len);
        gss_iov_buffer_desc iov[3] = {{GSS_IOV_BUFFER_TYPE_HEADER, {head, wrapped.value}},
                                      {GSS_IOV_BUFFER_TYPE_DATA, {len, data}},
                                      {GSS_IOV_BUFFER_TYPE_TRAILER, {trail, (char *)wrapped.value + head + len}}};
        int conf = 0xdeadbeef;
        ck_assert_uint_eq(gss_unwrap_iov(&minor, p.init, &conf, NULL, iov, pieces ? 3 : 2), GSS_S_COMPLETE);
        ck_assert_int_eq(conf, 1);
        ck_assert_mem_eq(data, text, len);
        free(data);
        if (pieces)
            free(wrapped.value);
        else
            gss_release_buffer(&minor, &wrapped);
    }
    /* Unsealed, gss_wrap_iov without a TRAILER makes gss_wrap's bytes under the same sequence number. */
    gss_ctx_id_t copy = twin_of(&p.init);
    gss_buffer_desc msg = {len, (void *)text}, wrapped = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_wrap(&minor, copy, 0, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped), GSS_S_COMPLETE);
    size_t head, trail;
    gss_buffer_desc joined = iov_wrap_joined(p.init, 0, 0, text, &head, &trail);
    ck_assert_uint_eq(joined.length, wrapped.length);
    ck_assert_mem_eq(joined.value, wrapped.value, wrapped.length);
    free(joined.value);
    gss_release_buffer(&minor, &wrapped);
    ck_assert_uint_eq(gss_delete_sec_context(&minor, &copy, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    pair_free(&p);
}
END_TEST

START_TEST(unwrap_iov_opens_a_stream_or_the_token_in_pieces_and_sign_only_data_is_signed)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    char text[] = "streamed";
    size_t len = sizeof text - 1;
    gss_buffer_desc msg = {len, text}, wrapped = GSS_C_EMPTY_BUFFER;
    /* A STREAM: DATA points into it after the header and confounder, or is a copy of its own. */
    for (int allocate = 0; allocate < 2; allocate++) {
        ck_assert_uint_eq(gss_wrap(&minor, p.init, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &wrapped), GSS_S_COMPLETE);
        gss_iov_buffer_desc iov[2] = {
            {GSS_IOV_BUFFER_TYPE_STREAM, wrapped},
            {GSS_IOV_BUFFER_TYPE_DATA | (allocate ? GSS_IOV_BUFFER_FLAG_ALLOCATE : 0), GSS_C_EMPTY_BUFFER}};
        int conf = 0xdeadbeef;
        gss_qop_t qop = 0xdeadbeef;
        ck_assert_uint_eq(gss_unwrap_iov(&minor, p.accept, &conf, &qop, iov, 2), GSS_S_COMPLETE);
        ck_assert_int_eq(conf, 1);
        ck_assert_uint_eq(qop, GSS_C_QOP_DEFAULT);
        ck_assert_uint_eq(iov[1].buffer.length, len);
        ck_assert_mem_eq(iov[1].buffer.value, text, len);
        if (allocate)
            ck_assert(iov[1].type & GSS_IOV_BUFFER_FLAG_ALLOCATED);
        else
            ck_assert_ptr_eq(iov[1].buffer.value, (char *)wrapped.value + 32);
        ck_assert_uint_eq(gss_release_iov_buffer(&minor, iov, 2), GSS_S_COMPLETE);
        gss_release_buffer(&minor, &wrapped);
    }
    /* HEADER | SIGN_ONLY | DATA | TRAILER both ways; the sign-only data travels apart, and changed it is refused. */
    char assoc[] = "associated";
    for (int tamper = 0; tamper < 2; tamper++) {
        char data[] = "two pieces of data";
        gss_iov_buffer_desc iov[5] = {{GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATE, GSS_C_EMPTY_BUFFER},
                                      {GSS_IOV_BUFFER_TYPE_SIGN_ONLY, {sizeof assoc - 1, assoc}},
                                      {GSS_IOV_BUFFER_TYPE_DATA, {4, data}},
                                      {GSS_IOV_BUFFER_TYPE_DATA, {sizeof data - 5, data + 4}},
                                      {GSS_IOV_BUFFER_TYPE_TRAILER | GSS_IOV_BUFFER_FLAG_ALLOCATE, GSS_C_EMPTY_BUFFER}};
        ck_assert_uint_eq(gss_wrap_iov(&minor, p.accept, 1, GSS_C_QOP_DEFAULT, NULL, iov, 5), GSS_S_COMPLETE);
        ck_assert(memcmp(data, "two pieces of data", sizeof data - 1));
        ck_assert_str_eq(assoc, "associated"); /* signed, never encrypted */
        assoc[0] ^= tamper;
        int conf = 0xdeadbeef;
        OM_uint32 major = gss_unwrap_iov(&minor, p.init, &conf, NULL, iov, 5);
        assoc[0] ^= tamper;
        if (tamper) {
            ck_assert_uint_eq(major, GSS_S_BAD_SIG);
        } else {
            ck_assert_uint_eq(major, GSS_S_COMPLETE);
            ck_assert_int_eq(conf, 1);
            ck_assert_str_eq(data, "two pieces of data");
        }
        ck_assert_uint_eq(gss_release_iov_buffer(&minor, iov, 5), GSS_S_COMPLETE);
    }
    pair_free(&p);
}
END_TEST

/* MIT's mechglue makes gss_wrap_aead and gss_unwrap_aead of the IOV calls (a STREAM with the associated data as
 * SIGN_ONLY). */
/* gss_get_mic_iov signs the DATA and SIGN_ONLY buffers in order into the MIC_TOKEN buffer: the token gss_get_mic
 * makes of their concatenation, which gss_verify_mic takes, and gss_verify_mic_iov refuses a changed buffer
 * (doc/semantics.md §75). */
START_TEST(get_mic_iov_signs_the_buffers_as_get_mic_signs_them_joined)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    char head[] = "header fields ", body[] = "and the body";
    gss_iov_buffer_desc iov[3] = {{GSS_IOV_BUFFER_TYPE_SIGN_ONLY, {sizeof head - 1, head}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {sizeof body - 1, body}},
                                  {GSS_IOV_BUFFER_TYPE_MIC_TOKEN | GSS_IOV_BUFFER_FLAG_ALLOCATE, {0, NULL}}};
    gss_iov_buffer_desc sized = {GSS_IOV_BUFFER_TYPE_MIC_TOKEN, {0, NULL}};
    ck_assert_uint_eq(gss_get_mic_iov_length(&minor, p.init, GSS_C_QOP_DEFAULT, &sized, 1), GSS_S_COMPLETE);
    ck_assert_uint_eq(sized.buffer.length, 28); /* RFC 4121 4.2.6.1 with AES: 16-byte header, 12-byte checksum */
    ck_assert_uint_eq(gss_get_mic_iov(&minor, p.init, GSS_C_QOP_DEFAULT, iov, 3), GSS_S_COMPLETE);
    ck_assert_uint_eq(iov[2].buffer.length, 28);
    char joined[sizeof head + sizeof body];
    snprintf(joined, sizeof joined, "%s%s", head, body);
    gss_buffer_desc whole = {strlen(joined), joined};
    gss_qop_t qop = 0xdeadbeef;
    ck_assert_uint_eq(gss_verify_mic(&minor, p.accept, &whole, &iov[2].buffer, &qop), GSS_S_COMPLETE);
    ck_assert_uint_eq(qop, GSS_C_QOP_DEFAULT);
    /* And the other way: gss_get_mic's token of the whole verifies over the pieces; a changed piece does not. */
    gss_buffer_desc mic = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_get_mic(&minor, p.accept, GSS_C_QOP_DEFAULT, &whole, &mic), GSS_S_COMPLETE);
    gss_iov_buffer_desc check[3] = {iov[0], iov[1], {GSS_IOV_BUFFER_TYPE_MIC_TOKEN, mic}};
    ck_assert_uint_eq(gss_verify_mic_iov(&minor, p.init, &qop, check, 3), GSS_S_COMPLETE);
    gss_buffer_desc again = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_get_mic(&minor, p.accept, GSS_C_QOP_DEFAULT, &whole, &again), GSS_S_COMPLETE);
    check[2].buffer = again;
    body[0] ^= 1;
    ck_assert_uint_eq(gss_verify_mic_iov(&minor, p.init, &qop, check, 3), GSS_S_BAD_SIG);
    body[0] ^= 1;
    /* No MIC_TOKEN buffer: MIT's EINVAL, GSS_S_FAILURE. */
    ck_assert_uint_eq(gss_get_mic_iov(&minor, p.init, GSS_C_QOP_DEFAULT, iov, 2), GSS_S_FAILURE);
    gss_release_buffer(&minor, &again);
    gss_release_buffer(&minor, &mic);
    gss_release_iov_buffer(&minor, iov, 3);
    pair_free(&p);
}
END_TEST

START_TEST(wrap_aead_and_unwrap_aead_carry_a_message_with_its_associated_data)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    char text[] = "payload", assoc[] = "header fields";
    gss_buffer_desc msg = {sizeof text - 1, text}, ad = {sizeof assoc - 1, assoc};
    for (int tamper = 0; tamper < 2; tamper++) {
        gss_buffer_desc wrapped = GSS_C_EMPTY_BUFFER, plain = GSS_C_EMPTY_BUFFER;
        int conf = 0xdeadbeef;
        ck_assert_uint_eq(gss_wrap_aead(&minor, p.init, 1, GSS_C_QOP_DEFAULT, &ad, &msg, &conf, &wrapped),
                          GSS_S_COMPLETE);
        ck_assert_int_eq(conf, 1);
        ck_assert_uint_eq(wrapped.length, 60 + msg.length); /* the associated data does not travel */
        assoc[1] ^= tamper;
        OM_uint32 major = gss_unwrap_aead(&minor, p.accept, &wrapped, &ad, &plain, &conf, NULL);
        assoc[1] ^= tamper;
        if (tamper) {
            ck_assert_uint_eq(major, GSS_S_BAD_SIG);
        } else {
            ck_assert_uint_eq(major, GSS_S_COMPLETE);
            ck_assert_uint_eq(plain.length, msg.length);
            ck_assert_mem_eq(plain.value, text, msg.length);
        }
        gss_release_buffer(&minor, &plain);
        gss_release_buffer(&minor, &wrapped);
    }
    pair_free(&p);
}
END_TEST

START_TEST(iov_calls_answer_mit_s_status_for_a_missing_header_short_header_padding_or_changed_data)
{
    OM_uint32 minor = 0xdeadbeef;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    char data[] = "data";
    /* No HEADER: EINVAL in MIT's mechanism, GSS_S_FAILURE; nothing sealed. */
    gss_iov_buffer_desc only_data[1] = {{GSS_IOV_BUFFER_TYPE_DATA, {4, data}}};
    ck_assert_uint_eq(gss_wrap_iov(&minor, p.init, 1, GSS_C_QOP_DEFAULT, NULL, only_data, 1), GSS_S_FAILURE);
    ck_assert_str_eq(data, "data");
    ck_assert_uint_eq(gss_wrap_iov_length(&minor, p.init, 1, GSS_C_QOP_DEFAULT, NULL, only_data, 1), GSS_S_FAILURE);
    ck_assert_uint_eq(gss_unwrap_iov(&minor, p.accept, NULL, NULL, only_data, 1), GSS_S_FAILURE);
    /* Two HEADERs are none. */
    unsigned char h1[60], h2[60];
    gss_iov_buffer_desc two[3] = {{GSS_IOV_BUFFER_TYPE_HEADER, {60, h1}},
                                  {GSS_IOV_BUFFER_TYPE_HEADER, {60, h2}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {4, data}}};
    ck_assert_uint_eq(gss_wrap_iov(&minor, p.init, 1, GSS_C_QOP_DEFAULT, NULL, two, 3), GSS_S_FAILURE);
    /* A header buffer too short and not to be allocated: MIT's KRB5_BAD_MSIZE, GSS_S_FAILURE. */
    gss_iov_buffer_desc small[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {59, h1}}, {GSS_IOV_BUFFER_TYPE_DATA, {4, data}}};
    ck_assert_uint_eq(gss_wrap_iov(&minor, p.init, 1, GSS_C_QOP_DEFAULT, NULL, small, 2), GSS_S_FAILURE);
    ck_assert_str_eq(data, "data");
    /* A message of sign-only data alone: a token with no data, which opens with the same sign-only data. */
    char assoc[] = "only signed";
    gss_iov_buffer_desc sign_only[3] = {{GSS_IOV_BUFFER_TYPE_HEADER, {60, h1}},
                                        {GSS_IOV_BUFFER_TYPE_SIGN_ONLY, {sizeof assoc - 1, assoc}},
                                        {GSS_IOV_BUFFER_TYPE_PADDING, {0, NULL}}};
    ck_assert_uint_eq(gss_wrap_iov(&minor, p.init, 1, GSS_C_QOP_DEFAULT, NULL, sign_only, 3), GSS_S_COMPLETE);
    ck_assert_uint_eq(sign_only[0].buffer.length, 60);
    ck_assert_uint_eq(gss_unwrap_iov(&minor, p.accept, NULL, NULL, sign_only, 3), GSS_S_COMPLETE);
    /* A header shorter than RFC 4121's 16 bytes, and padding RFC 4121 never has: GSS_S_DEFECTIVE_TOKEN. */
    gss_iov_buffer_desc good[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {60, h1}}, {GSS_IOV_BUFFER_TYPE_DATA, {4, data}}};
    ck_assert_uint_eq(gss_wrap_iov(&minor, p.init, 1, GSS_C_QOP_DEFAULT, NULL, good, 2), GSS_S_COMPLETE);
    gss_iov_buffer_desc cut[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {10, h1}}, {GSS_IOV_BUFFER_TYPE_DATA, {4, data}}};
    ck_assert_uint_eq(gss_unwrap_iov(&minor, p.accept, NULL, NULL, cut, 2), GSS_S_DEFECTIVE_TOKEN);
    unsigned char pad = 1;
    gss_iov_buffer_desc padded[3] = {{GSS_IOV_BUFFER_TYPE_HEADER, {60, h1}},
                                     {GSS_IOV_BUFFER_TYPE_DATA, {4, data}},
                                     {GSS_IOV_BUFFER_TYPE_PADDING, {1, &pad}}};
    ck_assert_uint_eq(gss_unwrap_iov(&minor, p.accept, NULL, NULL, padded, 3), GSS_S_DEFECTIVE_TOKEN);
    /* Changed data: GSS_S_BAD_SIG (the last call on this pair: the sequence numbers are apart now). */
    data[0] ^= 1;
    ck_assert_uint_eq(gss_unwrap_iov(&minor, p.accept, NULL, NULL, good, 2), GSS_S_BAD_SIG);
    pair_free(&p);
}
END_TEST

/* gss_wrap_aead goes through gss_wrap_iov_length and gss_wrap_iov: the first gss_wrap_iov fails as armed, with no
 * sequence number used, and the next message is whole. */
static int aead_wrap_fails_once_as_armed(void)
{
    OM_uint32 minor;
    struct pair p;
    handshake(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, &p);
    gss_buffer_desc msg = {5, "hello"}, ad = {2, "ad"}, wrapped = GSS_C_EMPTY_BUFFER, plain = GSS_C_EMPTY_BUFFER;
    int rc = 0;
    if (gss_wrap_aead(&minor, p.init, 1, GSS_C_QOP_DEFAULT, &ad, &msg, NULL, &wrapped) != GSS_S_FAILURE)
        rc = 3;
    else if (gss_wrap_aead(&minor, p.init, 1, GSS_C_QOP_DEFAULT, &ad, &msg, NULL, &wrapped) != GSS_S_COMPLETE)
        rc = 4;
    else if (gss_unwrap_aead(&minor, p.accept, &wrapped, &ad, &plain, NULL, NULL) != GSS_S_COMPLETE ||
             plain.length != 5)
        rc = 5;
    gss_release_buffer(&minor, &plain);
    gss_release_buffer(&minor, &wrapped);
    pair_free(&p);
    return rc;
}

START_TEST(a_gss_wrap_iov_armed_in_fakesspi_faults_fails_gss_wrap_aead_once)
{
    ck_assert_int_eq(in_child_with_faults("gss_wrap_iov#1=GSS_S_FAILURE", NULL, aead_wrap_fails_once_as_armed), 0);
}
END_TEST

/* SPNEGO with Kerberos inside wraps as Kerberos does; NTLMSSP has no IOV calls in gss-ntlmssp, and none here. */
START_TEST(spnego_with_kerberos_inside_has_the_iov_calls_and_ntlmssp_is_unavailable)
{
    OM_uint32 minor = 0xdeadbeef;
    gss_name_t service = import("host@server.example.test", GSS_C_NT_HOSTBASED_SERVICE);
    gss_cred_id_t accept_cred = acquire_for(&spnego_oid, service, GSS_C_ACCEPT);
    struct pair p;
    struct legs l;
    mech_handshake(&spnego_oid, GSS_C_NO_CREDENTIAL, accept_cred, "host@server.example.test", REQ_FLAGS, &p, &l);
    size_t head, trail;
    gss_buffer_desc joined = iov_wrap_joined(p.init, 1, 1, "through spnego", &head, &trail);
    gss_buffer_desc plain = GSS_C_EMPTY_BUFFER;
    ck_assert_uint_eq(gss_unwrap(&minor, p.accept, &joined, &plain, NULL, NULL), GSS_S_COMPLETE);
    ck_assert_uint_eq(plain.length, 14);
    gss_release_buffer(&minor, &plain);
    free(joined.value);
    pair_free(&p);
    gss_release_cred(&minor, &accept_cred);
    gss_release_name(&minor, &service);

    mech_handshake(&ntlmssp_oid, GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, "host@server.example.test",
                   GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, &p, &l);
    char data[] = "data";
    unsigned char h[60];
    gss_iov_buffer_desc iov[2] = {{GSS_IOV_BUFFER_TYPE_HEADER, {60, h}}, {GSS_IOV_BUFFER_TYPE_DATA, {4, data}}};
    ck_assert_uint_eq(gss_wrap_iov(&minor, p.init, 1, GSS_C_QOP_DEFAULT, NULL, iov, 2), GSS_S_UNAVAILABLE);
    ck_assert_uint_eq(gss_wrap_iov_length(&minor, p.init, 1, GSS_C_QOP_DEFAULT, NULL, iov, 2), GSS_S_UNAVAILABLE);
    ck_assert_uint_eq(gss_unwrap_iov(&minor, p.accept, NULL, NULL, iov, 2), GSS_S_UNAVAILABLE);
    gss_iov_buffer_desc mic = {GSS_IOV_BUFFER_TYPE_MIC_TOKEN, {0, NULL}};
    ck_assert_uint_eq(gss_get_mic_iov_length(&minor, p.init, GSS_C_QOP_DEFAULT, &mic, 1), GSS_S_UNAVAILABLE);
    pair_free(&p);
}
END_TEST

int main(int argc, char **argv)
{
    self_path = argv[0];
    if (argc == 6 && !strcmp(argv[1], "--delegation"))
        return delegation_child(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
    if (argc == 6 && !strcmp(argv[1], "--s4u"))
        return s4u_child(argv[2], argv[3], argv[4], argv[5]);
    if (argc == 3 && !strcmp(argv[1], "--export"))
        return export_child(atoi(argv[2]));
    if (argc == 5 && !strcmp(argv[1], "--named"))
        return named_child(argv[2], argv[3], argv[4]);
    /* A child started with the wrong arguments would run the whole suite, and fork children of its own. */
    if (getenv("GSS_MODULE_TEST_CHILD"))
        return 99;
    /* What a user's test does (doc/gssapi.md): a GSS_MECH_CONFIG file naming the module as an interposer. MIT's
     * own Kerberos is pointed at files that do not exist, so a handshake that succeeds was the module's. */
    char config[] = "/tmp/fakesspi-gss-XXXXXX";
    int fd = mkstemp(config);
    if (fd < 0)
        return 99;
    FILE *f = fdopen(fd, "w");
    fprintf(f, "fakesspi_krb5 2.25.210393196397943433797370956326399584433 %s <interposer>\n", FAKESSPI_GSS_MODULE);
    /* NTLMSSP is no built-in mechanism: the mechglue takes over only what its list has (doc/gssapi.md). */
    fprintf(f, "gssntlmssp_v1 1.3.6.1.4.1.311.2.2.10 /nonexistent/gssntlmssp.so\n");
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
    tcase_add_test(tc, the_spnego_token_is_the_negotiate_sspi_package_s_byte_for_byte);
    tcase_add_test(tc, the_ntlmssp_token_is_the_ntlm_sspi_package_s_negotiate_message);
    tcase_add_test(tc, microsoft_s_kerberos_oid_frames_the_tokens_with_its_own_oid_as_mit_does);
    tcase_add_test(tc, spnego_logs_in_with_kerberos_inside_and_then_reports_kerberos);
    tcase_add_test(tc, spnego_to_a_host_outside_the_domain_runs_ntlm_inside_with_the_mechlistmic);
    tcase_add_test(tc, ntlmssp_logs_in_with_the_raw_ntlm_messages_and_wraps_as_gss_ntlmssp);
    tcase_add_test(tc, an_ntlmssp_credential_from_a_password_is_that_user_and_a_wrong_one_is_refused);
    tcase_add_test(tc, the_module_takes_over_the_four_mechanisms);
    tcase_add_test(tc, a_mechanism_the_module_does_not_take_over_is_a_bad_mech);
    tcase_add_test(tc, the_default_initiator_logs_in_to_a_named_acceptor_with_no_kdc_and_no_keytab);
    tcase_add_test(tc, no_credential_on_either_side_is_the_process_user_and_the_ticket_service);
    tcase_add_test(tc, a_named_initiator_is_that_user_of_the_domain);
    tcase_add_test(tc, a_named_credential_of_an_account_given_by_its_key_logs_in);
    tcase_add_test(tc, an_acceptor_for_another_service_has_no_key_for_the_ticket);
    tcase_add_test(tc, an_unknown_service_is_a_bad_name);
    tcase_add_test(tc, wrap_and_unwrap_carry_a_message_each_way_and_a_changed_byte_is_a_bad_signature);
    tcase_add_test(tc, an_exported_context_imports_back_and_protects_messages_both_ways);
    tcase_add_test(tc, spnego_and_ntlmssp_contexts_export_and_import_under_their_own_mechanism);
    tcase_add_test(tc, an_imported_context_keeps_its_names_flags_and_session_key);
    tcase_add_test(tc, an_imported_acceptor_s_source_name_carries_the_pac_as_before_export);
    tcase_add_test(tc, a_token_imported_twice_makes_two_contexts_that_each_go_on_from_the_export);
    tcase_add_test(tc, a_garbage_truncated_or_changed_token_is_a_defective_token);
    tcase_add_test(tc, a_context_not_yet_established_cannot_be_exported_and_stays);
    tcase_add_test(tc, channel_bindings_must_match_on_both_sides);
    tcase_add_test(tc, inquire_context_names_the_ticket_s_client_and_service_on_both_sides);
    tcase_add_test(tc, a_context_still_being_established_is_not_open_and_has_no_context_time);
    tcase_add_test(tc, the_sspi_session_key_is_the_same_on_both_sides_with_its_enctype);
    tcase_add_test(tc, wrap_size_limit_is_the_largest_message_whose_token_fits);
    tcase_add_test(tc, wrap_iov_lays_out_mit_s_token_and_plain_unwrap_opens_it);
    tcase_add_test(tc, an_unsealed_wrap_iov_token_is_the_bytes_of_gss_wrap_under_the_same_sequence_number);
    tcase_add_test(tc, a_dce_style_context_wraps_over_iov_buffers_with_its_filler_as_mit_lays_it_out);
    tcase_add_test(tc, unwrap_iov_opens_a_stream_or_the_token_in_pieces_and_sign_only_data_is_signed);
    tcase_add_test(tc, wrap_aead_and_unwrap_aead_carry_a_message_with_its_associated_data);
    tcase_add_test(tc, get_mic_iov_signs_the_buffers_as_get_mic_signs_them_joined);
    tcase_add_test(tc, iov_calls_answer_mit_s_status_for_a_missing_header_short_header_padding_or_changed_data);
    tcase_add_test(tc, spnego_with_kerberos_inside_has_the_iov_calls_and_ntlmssp_is_unavailable);
    tcase_add_test(tc, a_gss_wrap_iov_armed_in_fakesspi_faults_fails_gss_wrap_aead_once);
    tcase_add_test(tc, the_mechanism_names_the_five_name_types_it_imports);
    tcase_add_test(tc, the_acceptor_s_source_name_is_a_mechanism_name_with_a_local_account);
    tcase_add_test(tc, the_acceptor_s_source_name_carries_the_ticket_s_pac_as_mit_s_mspac_attributes);
    tcase_add_test(tc, spnego_s_source_name_carries_the_pac_of_the_kerberos_inside_and_none_with_ntlm);
    tcase_add_test(tc, an_initiator_s_or_an_imported_name_has_no_attributes);
    tcase_add_test(tc, an_exported_name_carries_the_principal_with_its_realm_and_imports_back);
    tcase_add_test(tc, a_service_name_without_a_host_is_a_bad_name);
    tcase_add_test(tc, a_name_may_end_in_the_nul_of_a_c_string);
    tcase_add_test(tc, inquire_cred_names_the_credential_s_principal_and_use);
    tcase_add_test(tc, inquire_cred_by_mech_gives_each_usage_s_lifetime_and_the_default_credential_s_user);
    tcase_add_test(tc, a_credential_with_the_account_s_password_logs_in_with_no_kdc);
    tcase_add_test(tc, a_wrong_password_is_refused_as_the_kdc_would_with_logon_denied);
    tcase_add_test(tc, deleting_a_context_twice_is_a_double_close_report);
    tcase_add_test(tc, a_gss_call_armed_in_fakesspi_faults_fails_with_that_major_status_and_the_next_is_whole);
    tcase_add_test(tc, a_fault_the_module_cannot_inject_stops_the_program_at_its_first_call);
    tcase_add_test(tc, every_allocation_of_a_gss_login_failed_in_turn_fails_cleanly);
    tcase_add_test(tc, a_client_that_delegates_to_a_trusted_front_end_gives_it_a_credential_that_logs_in_as_the_client);
    tcase_add_test(tc, spnego_with_kerberos_inside_delegates_as_kerberos_does);
    tcase_add_test(tc, to_a_front_end_not_trusted_for_delegation_the_request_is_dropped_and_no_credential_comes);
    tcase_add_test(tc, a_delegated_credential_never_released_is_a_leak_at_exit);
    tcase_add_test(tc, an_impersonated_credential_logs_in_to_an_allowed_back_end_as_the_user);
    tcase_add_test(tc, s4u2proxy_the_kdc_refuses_is_gss_s_failure_with_sec_e_no_credentials);
    tcase_add_test(tc, s4u2self_for_an_unknown_or_disabled_user_is_gss_s_failure);
    tcase_add_test(tc, impersonation_refuses_an_acceptor_a_proxy_impersonator_another_usage_and_spnego);
    tcase_add_test(tc, an_exported_context_is_no_leak_and_an_imported_one_never_deleted_is);
    tcase_add_test(tc, export_and_import_fail_as_fakesspi_faults_arms_them);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    unlink(config);
    return failed ? 1 : 0;
}
