/* bench/mit_gss: MIT krb5's own GSSAPI Kerberos loopback, the yardstick the performance issue sets for our
 * Kerberos rows (bench/handshake's "kerberos_*"): gss_init_sec_context from a ccache that already holds the
 * service ticket, gss_accept_sec_context with the service's keytab, mutual authentication, both contexts
 * deleted each time; then gss_wrap+gss_unwrap pairs of 1 KiB and 64 KiB with confidentiality.
 * No KDC: the ticket and its session key come from libfakesspi's ticket cache (KerbRetrieveEncodedTicketMessage)
 * into an MIT memory ccache, and the service key from svc_server's password into a memory keytab, so MIT does
 * exactly the work a client and a service do once the ticket is cached.
 *   mit_gss [SECONDS_PER_ROW]    prints one line per measurement: implementation, name, rate, unit */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <ntsecapi.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IMPLEMENTATION "mit-krb5"
#define SPN "HTTP/server.example.test"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "mit_gss: %s\n", what);
    exit(1);
}

/* FILETIME (100 ns since 1601) to Unix seconds. */
static krb5_timestamp unix_time(LARGE_INTEGER t)
{
    return (krb5_timestamp)((t.QuadPart - 116444736000000000LL) / 10000000LL);
}

/* alice's service ticket for SPN, as libfakesspi's LSA hands it out after one handshake leg. */
static KERB_RETRIEVE_TKT_RESPONSE *fake_domain_ticket(void)
{
    CredHandle cred;
    CtxtHandle ctx;
    unsigned char token[8192];
    SecBuffer out = {sizeof token, SECBUFFER_TOKEN, token};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    if (AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cred, NULL) ||
        InitializeSecurityContextA(&cred, NULL, SPN, ISC_REQ_MUTUAL_AUTH, 0, SECURITY_NATIVE_DREP, NULL, 0, &ctx,
                                   &outd, &attrs, NULL) != SEC_I_CONTINUE_NEEDED)
        die("no ticket from the fake domain");
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
    HANDLE lsa;
    ULONG kerberos;
    LSA_STRING name = {8, 9, "Kerberos"};
    if (LsaConnectUntrusted(&lsa) || LsaLookupAuthenticationPackage(lsa, &name, &kerberos))
        die("no LSA");
    struct {
        KERB_RETRIEVE_TKT_REQUEST req;
        WCHAR text[64];
    } r;
    memset(&r, 0, sizeof r);
    r.req.MessageType = KerbRetrieveEncodedTicketMessage;
    r.req.CacheOptions = KERB_RETRIEVE_TICKET_USE_CACHE_ONLY;
    size_t n = strlen(SPN);
    for (size_t i = 0; i < n; i++)
        r.text[i] = (WCHAR)SPN[i];
    r.req.TargetName = (UNICODE_STRING){(USHORT)(2 * n), (USHORT)(2 * n + 2), r.text};
    void *answer;
    ULONG length;
    NTSTATUS status;
    if (LsaCallAuthenticationPackage(lsa, kerberos, &r, sizeof r, &answer, &length, &status) || status)
        die("the ticket is not in the cache");
    LsaDeregisterLogonProcess(lsa);
    return answer;
}

static krb5_context k5;

static krb5_principal principal(const char *text)
{
    krb5_principal p;
    if (krb5_parse_name(k5, text, &p))
        die("krb5_parse_name");
    return p;
}

/* The initiator's credential: a memory ccache holding alice's TGT-less service ticket. */
static gss_cred_id_t initiator(const KERB_EXTERNAL_TICKET *t)
{
    krb5_ccache cc;
    krb5_creds creds;
    memset(&creds, 0, sizeof creds);
    creds.client = principal("alice@EXAMPLE.TEST");
    creds.server = principal(SPN "@EXAMPLE.TEST");
    creds.keyblock.enctype = t->SessionKey.KeyType;
    creds.keyblock.length = t->SessionKey.Length;
    creds.keyblock.contents = t->SessionKey.Value;
    creds.times.authtime = creds.times.starttime = unix_time(t->StartTime);
    creds.times.endtime = unix_time(t->EndTime);
    creds.times.renew_till = unix_time(t->RenewUntil);
    creds.ticket_flags = t->TicketFlags;
    creds.ticket.length = t->EncodedTicketSize;
    creds.ticket.data = (char *)t->EncodedTicket;
    if (krb5_cc_new_unique(k5, "MEMORY", NULL, &cc) || krb5_cc_initialize(k5, cc, creds.client) ||
        krb5_cc_store_cred(k5, cc, &creds))
        die("the memory ccache");
    OM_uint32 minor;
    gss_cred_id_t cred;
    if (gss_krb5_import_cred(&minor, cc, creds.client, NULL, &cred))
        die("gss_krb5_import_cred (initiator)");
    krb5_free_principal(k5, creds.client);
    krb5_free_principal(k5, creds.server);
    return cred; /* the ccache stays: the credential reads it */
}

/* The acceptor's credential: a memory keytab with svc_server's AES-256 key, made from its password and salt. */
static gss_cred_id_t acceptor(void)
{
    krb5_keytab kt;
    krb5_keytab_entry entry;
    memset(&entry, 0, sizeof entry);
    entry.principal = principal(SPN "@EXAMPLE.TEST");
    entry.vno = 2;
    krb5_data password = {0, 12, "S3rv1ce!pass"}, salt = {0, 22, "EXAMPLE.TESTsvc_server"};
    if (krb5_c_string_to_key(k5, ENCTYPE_AES256_CTS_HMAC_SHA1_96, &password, &salt, &entry.key) ||
        krb5_kt_resolve(k5, "MEMORY:bench", &kt) || krb5_kt_add_entry(k5, kt, &entry))
        die("the memory keytab");
    OM_uint32 minor;
    gss_cred_id_t cred;
    if (gss_krb5_import_cred(&minor, NULL, NULL, kt, &cred))
        die("gss_krb5_import_cred (acceptor)");
    krb5_free_principal(k5, entry.principal);
    krb5_free_keyblock_contents(k5, &entry.key);
    return cred;
}

static gss_cred_id_t client_cred, server_cred;
static gss_name_t target;

/* One mutual handshake; both contexts kept when keep is set, else deleted. */
static int handshake(gss_ctx_id_t *c, gss_ctx_id_t *s, int keep)
{
    OM_uint32 minor, flags = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_SEQUENCE_FLAG;
    gss_buffer_desc c2s = GSS_C_EMPTY_BUFFER, s2c = GSS_C_EMPTY_BUFFER, last = GSS_C_EMPTY_BUFFER;
    *c = *s = GSS_C_NO_CONTEXT;
    int ok = gss_init_sec_context(&minor, client_cred, c, target, gss_mech_krb5, flags, 0, NULL, GSS_C_NO_BUFFER,
                                  NULL, &c2s, NULL, NULL) == GSS_S_CONTINUE_NEEDED &&
             gss_accept_sec_context(&minor, s, server_cred, &c2s, NULL, NULL, NULL, &s2c, NULL, NULL, NULL) ==
                 GSS_S_COMPLETE &&
             gss_init_sec_context(&minor, client_cred, c, target, gss_mech_krb5, flags, 0, NULL, &s2c, NULL, &last,
                                  NULL, NULL) == GSS_S_COMPLETE;
    gss_release_buffer(&minor, &c2s);
    gss_release_buffer(&minor, &s2c);
    gss_release_buffer(&minor, &last);
    if (!keep || !ok) {
        gss_delete_sec_context(&minor, c, GSS_C_NO_BUFFER);
        gss_delete_sec_context(&minor, s, GSS_C_NO_BUFFER);
    }
    return ok;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    /* MIT's acceptor checks the ticket's times against the real clock, and replays against a cache this loop
     * would only fill: the fake domain runs on the real clock, the replay cache is off (as in bench/handshake's
     * in-process contexts, which keep none across handshakes). */
    setenv("FAKESSPI_CLOCK", "real", 1);
    setenv("KRB5RCACHETYPE", "none", 1);
    KERB_RETRIEVE_TKT_RESPONSE *ticket = fake_domain_ticket();
    if (krb5_init_context(&k5))
        die("krb5_init_context");
    client_cred = initiator(&ticket->Ticket);
    server_cred = acceptor();
    OM_uint32 minor;
    /* The principal whole, realm included: a host-based name would have MIT look the host and realm up in DNS. */
    gss_buffer_desc spn = {strlen(SPN "@EXAMPLE.TEST"), SPN "@EXAMPLE.TEST"};
    if (gss_import_name(&minor, &spn, GSS_KRB5_NT_PRINCIPAL_NAME, &target))
        die("gss_import_name");

    gss_ctx_id_t c, s;
    long n = 0;
    double start = now(), end = start + seconds;
    while (now() < end)
        for (int i = 0; i < 20; i++, n++)
            if (!handshake(&c, &s, 0))
                die("a handshake failed");
    printf("%s kerberos_handshakes_1thread %.0f per_second\n", IMPLEMENTATION, (double)n / (now() - start));

    if (!handshake(&c, &s, 1))
        die("a handshake failed");
    static const size_t sizes[] = {1024, 65536};
    char *data = malloc(65536);
    memset(data, 'x', 65536);
    for (size_t k = 0; k < 2; k++) {
        n = 0;
        start = now(), end = start + seconds;
        while (now() < end)
            for (int i = 0; i < 100; i++, n++) {
                gss_buffer_desc in = {sizes[k], data}, wrapped, opened;
                int conf;
                if (gss_wrap(&minor, c, 1, GSS_C_QOP_DEFAULT, &in, &conf, &wrapped) ||
                    gss_unwrap(&minor, s, &wrapped, &opened, &conf, NULL))
                    die("gss_wrap/gss_unwrap failed");
                gss_release_buffer(&minor, &wrapped);
                gss_release_buffer(&minor, &opened);
            }
        printf("%s kerberos_seal+unseal_%zuB %.0f pairs_per_second\n", IMPLEMENTATION, sizes[k],
               (double)n / (now() - start));
    }
    free(data);
    gss_delete_sec_context(&minor, &c, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&minor, &s, GSS_C_NO_BUFFER);
    gss_release_name(&minor, &target);
    gss_release_cred(&minor, &client_cred);
    gss_release_cred(&minor, &server_cred);
    LsaFreeReturnBuffer(ticket);
    krb5_free_context(k5);
    return 0;
}
