/* The PAC (MS-PAC) in our tickets and the acceptor's own account: the NDR coder, the PAC's layout and
 * signatures, the token built from it, and which credential accepts which ticket (doc/semantics.md §41). */
#include "sspi/sspitest.h"
#include "core/bytes.h"
#include "core/utf.h"
#include "packages/der.h"
#include "packages/kerberos/krb_gss.h"
#include "packages/kerberos/krb_keys.h"
#include "packages/kerberos/krb_messages.h"
#include "packages/kerberos/ndr.h"
#include "packages/kerberos/pac.h"
#include "security/domain_current.h"

#define SPN "HTTP/server.example.test"
#define DOMAIN_SID "S-1-5-21-1000000001-2000000002-3000000003"

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

START_TEST(ndr_round_trips_integers_pointers_strings_and_sids)
{
    struct ndr_writer w;
    ndr_writer_init(&w);
    static const uint16_t text[] = {'a', 'l', 0xE9, 'c'};
    struct fs_sid sid;
    ck_assert_int_eq(fs_sid_parse(DOMAIN_SID "-1104", &sid), FS_OK);
    fs_write_u8(&w.w, 0x7F);        /* throws what follows off alignment */
    ndr_put_u16(&w, 0xBEEF);        /* at 2 */
    ndr_put_u32(&w, 0xDEADBEEF);    /* at 4 */
    ndr_put_filetime(&w, 0x0123456789ABCDEFull);
    ndr_put_pointer(&w, 1);
    ndr_put_pointer(&w, 0);
    ndr_put_pointer(&w, 1);
    ndr_put_string_header(&w, 4);
    ndr_put_string_units(&w, text, 4);
    ndr_put_sid(&w, &sid);
    ck_assert(!w.w.failed);
    ck_assert_uint_eq(le16(w.w.data + 2), 0xBEEF);
    ck_assert_uint_eq(le32(w.w.data + 16), 0x00020000); /* Windows' first referent */
    ck_assert_uint_eq(le32(w.w.data + 20), 0);
    ck_assert_uint_eq(le32(w.w.data + 24), 0x00020004);
    struct fs_writer out;
    fs_writer_init(&out);
    ndr_serialize(&w, &out);
    ck_assert_uint_eq(out.len % 8, 0);
    static const uint8_t headers[] = {1, 0x10, 8, 0, 0xcc, 0xcc, 0xcc, 0xcc};
    ck_assert_mem_eq(out.data, headers, 8);
    ck_assert_uint_eq(le32(out.data + 8), out.len - 16);

    struct ndr_reader r;
    ck_assert_int_eq(ndr_deserialize(out.data, out.len, &r), FS_OK);
    ck_assert_uint_eq(fs_read_u8(&r.r), 0x7F);
    ck_assert_uint_eq(ndr_get_u16(&r), 0xBEEF);
    ck_assert_uint_eq(ndr_get_u32(&r), 0xDEADBEEF);
    ck_assert(ndr_get_filetime(&r) == 0x0123456789ABCDEFull);
    ck_assert_uint_eq(ndr_get_u32(&r), 0x00020000);
    ck_assert_uint_eq(ndr_get_u32(&r), 0);
    ck_assert_uint_eq(ndr_get_u32(&r), 0x00020004);
    struct ndr_string s;
    ndr_get_string_header(&r, &s);
    ck_assert_uint_eq(s.length, 8);
    ck_assert_uint_eq(s.max_length, 8);
    int nomem = 1;
    char *back = ndr_get_string_units(&r, &s, &nomem);
    ck_assert_ptr_nonnull(back);
    ck_assert_str_eq(back, "al\xC3\xA9" "c");
    ck_assert_int_eq(nomem, 0);
    free(back);
    struct fs_sid again;
    ndr_get_sid(&r, &again);
    ck_assert(!r.r.failed);
    ck_assert(fs_sid_equal(&sid, &again));

    /* Counts that disagree with the header, and headers that are not version 1 little-endian, are refused. */
    ck_assert_int_eq(ndr_deserialize(out.data, 15, &r), FS_E_INVALID_TOKEN);
    out.data[1] = 0x00; /* big-endian */
    ck_assert_int_eq(ndr_deserialize(out.data, out.len, &r), FS_E_INVALID_TOKEN);
    fs_writer_free(&out);
    ndr_writer_free(&w);
}
END_TEST

/* A PAC for name, signed as the KDC signs it for svc_server's key, over a ticket stand-in. */
static void signed_pac(const char *name, struct fs_writer *pac, struct krb_key *service_key, struct krb_key *kdc_key)
{
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *u = fs_domain_find_user(d, name), *svc = fs_domain_find_user(d, "svc_server");
    ck_assert_ptr_nonnull(u);
    ck_assert_int_eq(krb_user_key(d, svc, KRB_ETYPE_AES256, service_key), FS_OK);
    ck_assert_int_eq(krb_kdc_key(d, KRB_ETYPE_AES256, kdc_key), FS_OK);
    fs_writer_init(pac);
    ck_assert_int_eq(krb_pac_build(d, u, fakesspi_clock_now() / 10000000 * 10000000, KRB_CKSUM_AES256, pac), FS_OK);
    fs_domain_release();
    static const uint8_t ticket[] = "the EncTicketPart stand-in";
    ck_assert_int_eq(krb_pac_sign(pac->data, pac->len, ticket, sizeof ticket, service_key, kdc_key), FS_OK);
    ck_assert_int_eq(krb_pac_verify_kdc(pac->data, pac->len, ticket, sizeof ticket, kdc_key), FS_OK);
}

START_TEST(the_pac_is_laid_out_as_ms_pac_says)
{
    struct fs_writer pac;
    struct krb_key key, kdc;
    signed_pac("alice", &pac, &key, &kdc);
    const uint8_t *p = pac.data;
    /* PACTYPE: cBuffers, Version 0, then PAC_INFO_BUFFERs (MS-PAC 2.3, 2.4). */
    ck_assert_uint_eq(le32(p), 7);
    ck_assert_uint_eq(le32(p + 4), 0);
    static const uint32_t types[] = {1, 10, 12, 6, 7, 16, 19};
    uint32_t end = 8 + 7 * 16;
    for (int i = 0; i < 7; i++) {
        const uint8_t *info = p + 8 + 16 * i;
        ck_assert_uint_eq(le32(info), types[i]);
        uint32_t size = le32(info + 4), offset = le32(info + 8);
        ck_assert_uint_eq(le32(info + 12), 0);
        ck_assert_uint_eq(offset % 8, 0);
        ck_assert_uint_ge(offset, end);
        end = offset + size;
        if (types[i] == 6 || types[i] == 7 || types[i] == 16 || types[i] == 19) {
            ck_assert_uint_eq(size, 16); /* PAC_SIGNATURE_DATA: HMAC-SHA1-96-AES256, 12 bytes */
            ck_assert_uint_eq(le32(p + offset), 16);
        }
        if (types[i] == 1) { /* type serialization version 1, little-endian (MS-RPCE 2.2.6) */
            static const uint8_t headers[] = {1, 0x10, 8, 0, 0xcc, 0xcc, 0xcc, 0xcc};
            ck_assert_mem_eq(p + offset, headers, 8);
            ck_assert_uint_eq(le32(p + offset + 8), size - 16);
            ck_assert_uint_eq(le32(p + offset + 16), 0x00020000);
        }
        if (types[i] == 10) { /* ClientId, NameLength, Name: "alice" in UTF-16LE */
            ck_assert_uint_eq(le16(p + offset + 8), 10);
            ck_assert_mem_eq(p + offset + 10, "a\0l\0i\0c\0e\0", 10);
        }
    }
    ck_assert_uint_eq(pac.len, (end + 7) & ~7u);

    struct krb_pac parsed;
    ck_assert_int_eq(krb_pac_parse(pac.data, pac.len, &parsed), FS_OK);
    ck_assert(parsed.has_logon && parsed.has_client && parsed.has_upn);
    ck_assert_str_eq(parsed.logon.effective_name, "alice");
    ck_assert_str_eq(parsed.logon.full_name, "Alice Liddell");
    ck_assert_str_eq(parsed.logon.logon_domain, "EXAMPLE");
    ck_assert_str_eq(parsed.logon.logon_server, "SERVER");
    char text[FS_SID_STRING_MAX];
    fs_sid_format(&parsed.logon.domain_sid, text, sizeof text);
    ck_assert_str_eq(text, DOMAIN_SID);
    ck_assert_uint_eq(parsed.logon.user_rid, 1104);
    ck_assert_uint_eq(parsed.logon.primary_rid, 513);
    ck_assert_uint_eq(parsed.logon.ngroups, 2);
    ck_assert_uint_eq(parsed.logon.groups[0].rid, 513);
    ck_assert_uint_eq(parsed.logon.groups[1].rid, 1200);
    ck_assert_uint_eq(parsed.logon.groups[1].attributes, SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED);
    ck_assert_uint_eq(parsed.logon.nextra, 1);
    fs_sid_format(&parsed.logon.extra[0].sid, text, sizeof text);
    ck_assert_str_eq(text, "S-1-18-1");
    ck_assert_uint_eq(parsed.logon.user_flags, PAC_LOGON_EXTRA_SIDS);
    ck_assert(parsed.logon.logon_time == parsed.client_id);
    ck_assert(parsed.client_id == fakesspi_clock_now() / 10000000 * 10000000);
    ck_assert_str_eq(parsed.client_name, "alice");
    ck_assert_str_eq(parsed.upn, "alice@example.test");
    ck_assert_str_eq(parsed.dns_domain, "EXAMPLE.TEST");
    ck_assert_uint_eq(parsed.upn_flags, PAC_UPN_CONSTRUCTED | PAC_UPN_HAS_SAM_AND_SID);
    ck_assert_str_eq(parsed.sam_name, "alice");
    fs_sid_format(&parsed.upn_sid, text, sizeof text);
    ck_assert_str_eq(text, DOMAIN_SID "-1104");
    krb_pac_free(&parsed);
    fs_writer_free(&pac);
}
END_TEST

START_TEST(builtin_aliases_travel_as_extra_sids_with_the_resource_attribute)
{
    struct fs_writer pac;
    struct krb_key key, kdc;
    signed_pac("Administrator", &pac, &key, &kdc);
    struct krb_pac parsed;
    ck_assert_int_eq(krb_pac_parse(pac.data, pac.len, &parsed), FS_OK);
    ck_assert_uint_eq(parsed.logon.ngroups, 2); /* Domain Users (primary), Domain Admins */
    ck_assert_uint_eq(parsed.logon.groups[1].rid, 512);
    ck_assert_uint_eq(parsed.logon.nextra, 2);
    char text[FS_SID_STRING_MAX];
    fs_sid_format(&parsed.logon.extra[0].sid, text, sizeof text);
    ck_assert_str_eq(text, "S-1-5-32-544");
    ck_assert_uint_eq(parsed.logon.extra[0].attributes, SE_GROUP_RESOURCE | 7);
    krb_pac_free(&parsed);
    fs_writer_free(&pac);
}
END_TEST

START_TEST(every_signature_covers_what_ms_pac_says)
{
    struct fs_writer pac;
    struct krb_key key, kdc;
    signed_pac("alice", &pac, &key, &kdc);
    static const uint8_t ticket[] = "the EncTicketPart stand-in";
    ck_assert_int_eq(krb_pac_verify_server(pac.data, pac.len, &key), FS_OK);
    /* The server signature is the service's, the KDC's ones the KDC's: neither verifies under the other. */
    ck_assert_int_eq(krb_pac_verify_server(pac.data, pac.len, &kdc), FS_E_MESSAGE_ALTERED);
    ck_assert_int_eq(krb_pac_verify_kdc(pac.data, pac.len, ticket, sizeof ticket, &key), FS_E_MESSAGE_ALTERED);
    /* The ticket signature covers the ticket, not the PAC. */
    ck_assert_int_eq(krb_pac_verify_kdc(pac.data, pac.len, ticket, sizeof ticket - 1, &kdc), FS_E_MESSAGE_ALTERED);
    /* One changed byte of the logon information: the server signature and the full signature no longer
     * verify; the KDC signature, over the server signature only, still does (hence the full one). */
    uint32_t logon_offset = le32(pac.data + 8 + 8);
    pac.data[logon_offset + 40] ^= 1;
    ck_assert_int_eq(krb_pac_verify_server(pac.data, pac.len, &key), FS_E_MESSAGE_ALTERED);
    ck_assert_int_eq(krb_pac_verify_kdc(pac.data, pac.len, NULL, 0, &kdc), FS_E_MESSAGE_ALTERED);
    pac.data[logon_offset + 40] ^= 1;
    /* A changed server signature. */
    uint32_t server_offset = le32(pac.data + 8 + 3 * 16 + 8);
    pac.data[server_offset + 4] ^= 0x80;
    ck_assert_int_eq(krb_pac_verify_server(pac.data, pac.len, &key), FS_E_MESSAGE_ALTERED);
    fs_writer_free(&pac);
}
END_TEST

/* MS-PAC 2.8: a read-only DC's RODCIdentifier (2 bytes) may follow a signature. Signatures cover and zero the
 * Signature field only, so such a PAC signs and verifies as any other. */
START_TEST(a_signature_followed_by_an_rodc_identifier_verifies)
{
    struct fs_writer pac;
    struct krb_key key, kdc;
    signed_pac("alice", &pac, &key, &kdc);
    /* Move the server signature (the fourth PAC_INFO_BUFFER) to the end, 2 bytes longer. */
    uint8_t *entry = pac.data + 8 + 3 * 16;
    ck_assert_uint_eq(le32(entry), 6);
    uint32_t old_offset = le32(entry + 8);
    size_t new_offset = pac.len;
    uint8_t moved[24] = {0};
    memcpy(moved, pac.data + old_offset, 16);
    moved[16] = 0x2a; /* RODCIdentifier */
    fs_write_bytes(&pac, moved, sizeof moved);
    ck_assert(!pac.failed);
    entry = pac.data + 8 + 3 * 16;
    entry[4] = 18;
    for (int i = 0; i < 4; i++)
        entry[8 + i] = (uint8_t)(new_offset >> (8 * i));
    static const uint8_t ticket[] = "the EncTicketPart stand-in";
    ck_assert_int_eq(krb_pac_sign(pac.data, pac.len, ticket, sizeof ticket, &key, &kdc), FS_OK);
    ck_assert_uint_eq(pac.data[new_offset + 16], 0x2a);
    ck_assert_int_eq(krb_pac_verify_server(pac.data, pac.len, &key), FS_OK);
    ck_assert_int_eq(krb_pac_verify_kdc(pac.data, pac.len, ticket, sizeof ticket, &kdc), FS_OK);
    /* The identifier is covered by the full PAC signature, not skipped. */
    pac.data[new_offset + 16] ^= 1;
    ck_assert_int_eq(krb_pac_verify_server(pac.data, pac.len, &key), FS_E_MESSAGE_ALTERED);
    fs_writer_free(&pac);
}
END_TEST

START_TEST(malformed_pacs_are_invalid)
{
    struct fs_writer pac;
    struct krb_key key, kdc;
    signed_pac("alice", &pac, &key, &kdc);
    struct krb_pac parsed;
    ck_assert_int_eq(krb_pac_parse(pac.data, 7, &parsed), FS_E_INVALID_TOKEN);
    pac.data[4] = 1; /* Version 1 */
    ck_assert_int_eq(krb_pac_parse(pac.data, pac.len, &parsed), FS_E_INVALID_TOKEN);
    pac.data[4] = 0;
    pac.data[8 + 8] += 4; /* the logon information's offset off the 8-byte grid */
    ck_assert_int_eq(krb_pac_parse(pac.data, pac.len, &parsed), FS_E_INVALID_TOKEN);
    pac.data[8 + 8] -= 4;
    pac.data[8 + 4] = 0xFF; /* its size past the end */
    pac.data[8 + 5] = 0xFF;
    ck_assert_int_eq(krb_pac_parse(pac.data, pac.len, &parsed), FS_E_INVALID_TOKEN);
    fs_writer_free(&pac);
}
END_TEST

/* ---- through SSPI ---- */

struct krb {
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    unsigned char ap_req[8192];
    ULONG ap_req_len;
};

static SECURITY_STATUS handshake(struct krb *k, const char *user, const char *password, const char *target,
                                 const SEC_WINNT_AUTH_IDENTITY_A *server_id)
{
    kerberos_credential(user, password, SECPKG_CRED_OUTBOUND, &k->client_cred);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, (void *)server_id,
                                                   NULL, NULL, &k->server_cred, NULL), SEC_E_OK);
    SecBuffer out = {sizeof k->ap_req, SECBUFFER_TOKEN, k->ap_req};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&k->client_cred, NULL, (SEC_CHAR *)target, ISC_REQ_CONFIDENTIALITY,
                                                    0, SECURITY_NATIVE_DREP, NULL, 0, &k->client, &outd, &attrs, NULL),
                         SEC_E_OK);
    k->ap_req_len = out.cbBuffer;
    SecBuffer in = {k->ap_req_len, SECBUFFER_TOKEN, k->ap_req}, none = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, noned = {SECBUFFER_VERSION, 1, &none};
    k->server.dwLower = k->server.dwUpper = 0xdeadbeef;
    return AcceptSecurityContext(&k->server_cred, NULL, &ind, 0, SECURITY_NATIVE_DREP, &k->server, &noned, &attrs,
                                 NULL);
}

static void krb_free(struct krb *k, int server_made)
{
    DeleteSecurityContext(&k->client);
    if (server_made)
        DeleteSecurityContext(&k->server);
    FreeCredentialsHandle(&k->client_cred);
    FreeCredentialsHandle(&k->server_cred);
}

static const SEC_WINNT_AUTH_IDENTITY_A *service_identity(void)
{
    static SEC_WINNT_AUTH_IDENTITY_A id;
    id = identity_a("svc_server", "EXAMPLE", "S3rv1ce!pass");
    return &id;
}

/* The SIDs of a token's groups, as text, one per line. */
static void token_groups(HANDLE token, char *out, size_t cap)
{
    DWORD len = 0;
    GetTokenInformation(token, TokenGroups, NULL, 0, &len);
    TOKEN_GROUPS *g = malloc(len);
    ck_assert(GetTokenInformation(token, TokenGroups, g, len, &len));
    out[0] = '\0';
    for (DWORD i = 0; i < g->GroupCount; i++) {
        char *text;
        ck_assert(ConvertSidToStringSidA(g->Groups[i].Sid, &text));
        if (strcmp(text, "S-1-18-1") && strcmp(text, "S-1-5-64-10")) { /* how the logon was proved */
            strncat(out, text, cap - strlen(out) - 2);
            strcat(out, "\n");
        }
        LocalFree(text);
    }
    free(g);
}

START_TEST(the_tokens_groups_from_the_pac_are_the_domains)
{
    static const char *const users[][2] = {{"alice", "Passw0rd!"}, {"Administrator", "Adm1n!pass"}, {"bob", "Hunter2!"}};
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        struct krb k;
        ck_assert_sec_status(handshake(&k, users[i][0], users[i][1], SPN, service_identity()), SEC_E_OK);
        HANDLE kerberos, network;
        ck_assert_sec_status(QuerySecurityContextToken(&k.server, &kerberos), SEC_E_OK);
        /* The domain's answer for the same account: a network logon with its password. */
        ck_assert(LogonUserA(users[i][0], "EXAMPLE", users[i][1], LOGON32_LOGON_NETWORK, LOGON32_PROVIDER_DEFAULT,
                             &network));
        char from_pac[2048], from_domain[2048];
        token_groups(kerberos, from_pac, sizeof from_pac);
        token_groups(network, from_domain, sizeof from_domain);
        ck_assert_str_eq(from_pac, from_domain);
        TOKEN_PRIMARY_GROUP *primary;
        char buf[128];
        DWORD len;
        ck_assert(GetTokenInformation(kerberos, TokenPrimaryGroup, buf, sizeof buf, &len));
        primary = (TOKEN_PRIMARY_GROUP *)buf;
        char *text;
        ck_assert(ConvertSidToStringSidA(primary->PrimaryGroup, &text));
        ck_assert_str_eq(text, DOMAIN_SID "-513");
        LocalFree(text);
        BOOL member = FALSE;
        PSID asserted;
        ck_assert(ConvertStringSidToSidA("S-1-18-1", &asserted));
        ck_assert(CheckTokenMembership(kerberos, asserted, &member));
        ck_assert(member);
        LocalFree(asserted);
        CloseHandle(kerberos);
        CloseHandle(network);
        krb_free(&k, 1);
    }
}
END_TEST

/* A ticket as a KDC would issue it around a PAC, and the AP-REQ a client makes of it: the ticket in service_key,
 * the PAC signed there with kdc_key as the KDC signs it (MS-PAC 2.8) unless kdc_key is NULL (a PAC some KDC signed
 * already), then the byte at change_at of the PAC flipped, unless it is -1. */
struct forged {
    struct fs_writer *pac;
    const char *realm, *spn, *client;
    uint64_t authtime;                  /* the ticket's; it starts now and lasts an hour */
    const struct krb_key *service_key, *kdc_key;
    long change_at;
};

static ULONG forge_ap_req(const struct forged *f, unsigned char *out, size_t cap)
{
    uint64_t now = fakesspi_clock_now() / 10000000 * 10000000;
    struct krb_principal sname, cname;
    ck_assert_int_eq(krb_principal_from_text(f->spn, KRB_NT_SRV_INST, &sname), FS_OK);
    ck_assert_int_eq(krb_principal_from_text(f->client, KRB_NT_PRINCIPAL, &cname), FS_OK);
    struct krb_ticket t = {.crealm = (char *)f->realm, .cname = cname, .authtime = f->authtime, .starttime = now,
                           .endtime = now + FAKESSPI_SECONDS(3600), .renew_till = now + FAKESSPI_SECONDS(3600),
                           .pac = f->pac->data, .pac_len = f->pac->len};
    krb_random_key(f->service_key->etype, &t.session_key);
    struct fs_writer placeholder;
    fs_writer_init(&placeholder);
    if (f->kdc_key) {
        ck_assert_int_eq(krb_encode_enc_ticket(&t, 1, &placeholder), FS_OK);
        ck_assert_int_eq(krb_pac_sign(f->pac->data, f->pac->len, placeholder.data, placeholder.len, f->service_key,
                                      f->kdc_key), FS_OK);
        ck_assert_int_eq(krb_pac_verify_kdc(f->pac->data, f->pac->len, placeholder.data, placeholder.len, f->kdc_key),
                         FS_OK);
    }
    if (f->change_at >= 0)
        f->pac->data[f->change_at] ^= 1;
    struct krb_authenticator a = {.crealm = (char *)f->realm, .cname = cname, .has_gss_checksum = 1, .ctime = now};
    struct fs_writer ticket, auth, req, framed;
    fs_writer_init(&ticket);
    fs_writer_init(&auth);
    fs_writer_init(&req);
    fs_writer_init(&framed);
    ck_assert_int_eq(krb_build_ticket(&t, f->realm, &sname, f->service_key, KRB_KVNO, &ticket), FS_OK);
    ck_assert_int_eq(krb_build_authenticator(&a, &t.session_key, &auth), FS_OK);
    krb_build_ap_req(0, ticket.data, ticket.len, auth.data, auth.len, &req);
    krb_gss_frame(&framed, krb_oid_krb5, KRB_TOK_AP_REQ, req.data, req.len);
    ck_assert(!framed.failed && framed.len <= cap);
    memcpy(out, framed.data, framed.len);
    ULONG len = (ULONG)framed.len;
    if (f->change_at >= 0)
        f->pac->data[f->change_at] ^= 1; /* the caller's PAC as it was */
    fs_writer_free(&placeholder);
    fs_writer_free(&ticket);
    fs_writer_free(&auth);
    fs_writer_free(&req);
    fs_writer_free(&framed);
    krb_principal_free(&sname);
    krb_principal_free(&cname);
    return len;
}

/* The AP-REQ of a ticket for alice whose PAC's server signature is changed (tamper) or not: made as the client
 * makes one, with the ticket encrypted under the service's key. */
static ULONG ap_req_with_tampered_pac(unsigned char *out, size_t cap, int tamper)
{
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *svc = fs_domain_find_user(d, "svc_server"), *alice = fs_domain_find_user(d, "alice");
    struct krb_key service_key, kdc_key;
    ck_assert_int_eq(krb_user_key(d, svc, KRB_ETYPE_AES256, &service_key), FS_OK);
    ck_assert_int_eq(krb_kdc_key(d, KRB_ETYPE_AES256, &kdc_key), FS_OK);
    uint64_t now = fakesspi_clock_now() / 10000000 * 10000000;
    struct fs_writer pac;
    fs_writer_init(&pac);
    ck_assert_int_eq(krb_pac_build(d, alice, now, KRB_CKSUM_AES256, &pac), FS_OK);
    fs_domain_release();
    /* The server signature's first byte. */
    struct forged f = {&pac, "EXAMPLE.TEST", SPN, "alice", now, &service_key, &kdc_key,
                       tamper ? (long)le32(pac.data + 8 + 3 * 16 + 8) + 4 : -1};
    ULONG len = forge_ap_req(&f, out, cap);
    fs_writer_free(&pac);
    return len;
}

/* The token, accepted with cred (which it frees): the context in *ctx, or *ctx untouched (0xdeadbeef) on failure. */
static SECURITY_STATUS accept_with(CredHandle *cred, const unsigned char *token, ULONG len, CtxtHandle *ctx)
{
    SecBuffer in = {len, SECBUFFER_TOKEN, (void *)token}, none = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &in}, noned = {SECBUFFER_VERSION, 1, &none};
    ULONG attrs;
    ctx->dwLower = ctx->dwUpper = 0xdeadbeef;
    SECURITY_STATUS st = AcceptSecurityContext(cred, NULL, &ind, 0, SECURITY_NATIVE_DREP, ctx, &noned, &attrs, NULL);
    FreeCredentialsHandle(cred);
    return st;
}

static SECURITY_STATUS accept_as_service(const unsigned char *token, ULONG len, CtxtHandle *ctx)
{
    CredHandle cred;
    ck_assert_sec_status(acquire_service_credential("Kerberos", &cred), SEC_E_OK);
    return accept_with(&cred, token, len, ctx);
}

START_TEST(a_ticket_whose_pac_signature_was_changed_is_logon_denied)
{
    unsigned char token[8192];
    CtxtHandle ctx;
    /* The same ticket untouched is taken: the forgery is only in the signature. */
    ULONG len = ap_req_with_tampered_pac(token, sizeof token, 0);
    ck_assert_sec_status(accept_as_service(token, len, &ctx), SEC_E_OK);
    DeleteSecurityContext(&ctx);
    fakesspi_clock_advance(FAKESSPI_SECONDS(1)); /* another authenticator time, not a replay */
    len = ap_req_with_tampered_pac(token, sizeof token, 1);
    ck_assert_sec_status(accept_as_service(token, len, &ctx), SEC_E_LOGON_DENIED);
    ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
}
END_TEST

START_TEST(an_acceptor_takes_only_its_own_accounts_spns)
{
    struct krb k;
    /* The default credential is the process's user, alice, who owns no SPN. */
    ck_assert_sec_status(handshake(&k, "bob", "Hunter2!", SPN, NULL), SEC_E_WRONG_PRINCIPAL);
    ck_assert_uint_eq(k.server.dwLower, 0xdeadbeef);
    krb_free(&k, 0);
    /* The service's own account takes every SPN it owns, and tickets to its own name. */
    static const char *const owned[] = {SPN, "host/server.example.test", "CIFS/server.example.test",
                                        "svc_server@EXAMPLE.TEST"};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++) {
        ck_assert_sec_status(handshake(&k, "bob", "Hunter2!", owned[i], service_identity()), SEC_E_OK);
        krb_free(&k, 1);
    }
    /* The right account with another password holds other keys. */
    SEC_WINNT_AUTH_IDENTITY_A wrong = identity_a("svc_server", "EXAMPLE", "not the password");
    ck_assert_sec_status(handshake(&k, "bob", "Hunter2!", SPN, &wrong), SEC_E_WRONG_PRINCIPAL);
    krb_free(&k, 0);
    /* A process that runs as the service account accepts with its default credential. */
    ck_assert_int_eq(fakesspi_set_process_user("svc_server"), 0);
    ck_assert_sec_status(handshake(&k, "bob", "Hunter2!", SPN, NULL), SEC_E_OK);
    krb_free(&k, 1);
}
END_TEST

START_TEST(the_control_api_turns_the_switch_on_and_off)
{
    struct krb k;
    ck_assert_int_eq(fakesspi_kerberos_accept_any_spn(1), 0);
    ck_assert_sec_status(handshake(&k, "bob", "Hunter2!", SPN, NULL), SEC_E_OK); /* alice's default credential */
    krb_free(&k, 1);
    ck_assert_int_eq(fakesspi_kerberos_accept_any_spn(0), 0);
    ck_assert_sec_status(handshake(&k, "bob", "Hunter2!", SPN, NULL), SEC_E_WRONG_PRINCIPAL);
    krb_free(&k, 0);
    /* A reset takes the domain's own setting again (off in the embedded domain). */
    ck_assert_int_eq(fakesspi_kerberos_accept_any_spn(1), 0);
    fakesspi_reset();
    ck_assert_sec_status(handshake(&k, "bob", "Hunter2!", SPN, NULL), SEC_E_WRONG_PRINCIPAL);
    krb_free(&k, 0);
    /* Without a usable domain there is nothing to switch. */
    ck_assert_int_eq(fakesspi_load_domain_text("[domain]\nnetbios = E\n", "broken"), -1);
    ck_assert_int_eq(fakesspi_kerberos_accept_any_spn(1), -1);
    ck_assert_str_eq(fakesspi_last_message(), "no usable domain is loaded");
    fakesspi_reset();
}
END_TEST

/* MS-KILE 3.1.1.2: a computer account (SERVER2$) salts its keys with "host", its lower-case name and the realm
 * in lower case, not with its account name; its SPNs then take tickets under those keys. */
START_TEST(a_computer_account_has_active_directorys_machine_salt)
{
    static const char domain[] =
        "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = " DOMAIN_SID "\n"
        "[group Domain Users]\nrid = 513\n"
        "[user bob]\nrid = 1105\npassword = Hunter2!\n"
        "[user SERVER2$]\nrid = 1107\npassword = M4chine!pass\nspn = host/server2.example.test\n";
    ck_assert_int_eq(fakesspi_load_domain_text(domain, "machine"), 0);
    const struct fs_domain *d = fs_domain_acquire();
    char salt[512];
    krb_account_salt(d, "bob", salt, sizeof salt);
    ck_assert_str_eq(salt, "EXAMPLE.TESTbob");
    krb_account_salt(d, "SERVER2$", salt, sizeof salt);
    ck_assert_str_eq(salt, "EXAMPLE.TESThostserver2.example.test");
    struct krb_key got, want;
    ck_assert_int_eq(krb_user_key(d, fs_domain_find_user(d, "SERVER2$"), KRB_ETYPE_AES256, &got), FS_OK);
    fs_domain_release();
    static const char machine_salt[] = "EXAMPLE.TESThostserver2.example.test";
    ck_assert_int_eq(krb_string_to_key(KRB_ETYPE_AES256, "M4chine!pass", (const uint8_t *)machine_salt,
                                       sizeof machine_salt - 1, 0, &want), FS_OK);
    ck_assert_mem_eq(got.bytes, want.bytes, 32);
    SEC_WINNT_AUTH_IDENTITY_A machine = identity_a("SERVER2$", "EXAMPLE", "M4chine!pass");
    struct krb k;
    ck_assert_sec_status(handshake(&k, "bob", "Hunter2!", "host/server2.example.test", &machine), SEC_E_OK);
    krb_free(&k, 1);
    fakesspi_reset();
}
END_TEST

START_TEST(the_domain_switch_lets_any_acceptor_take_every_spn)
{
    static const char domain[] =
        "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = " DOMAIN_SID "\nkerberos_accept_any_spn = yes\n"
        "[group Domain Users]\nrid = 513\n"
        "[user alice]\nrid = 1104\npassword = Passw0rd!\n"
        "[user svc_server]\nrid = 1106\npassword = S3rv1ce!pass\nspn = HTTP/server.example.test\n";
    ck_assert_int_eq(fakesspi_load_domain_text(domain, "any-spn"), 0);
    struct krb k;
    ck_assert_sec_status(handshake(&k, "alice", "Passw0rd!", SPN, NULL), SEC_E_OK); /* alice's server */
    krb_free(&k, 1);
    /* The key takes yes or no only. */
    ck_assert_int_eq(fakesspi_load_domain_text("[domain]\nnetbios = E\ndns = e.test\nsid = " DOMAIN_SID
                                               "\nkerberos_accept_any_spn = maybe\n", "bad"), -1);
    fakesspi_reset(); /* the embedded domain again */
}
END_TEST

/* The PAC counts its strings in 16 bits; the domain keeps names to Active Directory's limits, so that the
 * longest display name it takes travels whole (doc/semantics.md §30). */
static int load_alice_with_display(size_t chars)
{
    char display[2 * 300 + 1] = "";
    for (size_t i = 0; i < chars; i++)
        strcat(display, "\xc3\xa9"); /* é: two UTF-8 bytes, one UTF-16 unit */
    char domain[2048];
    snprintf(domain, sizeof domain,
             "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = " DOMAIN_SID "\n"
             "[group Domain Users]\nrid = 513\n"
             "[user alice]\nrid = 1104\npassword = Passw0rd!\ndisplay = %s\n"
             "[user svc_server]\nrid = 1106\npassword = S3rv1ce!pass\nspn = HTTP/server.example.test\n",
             display);
    return fakesspi_load_domain_text(domain, "long-display");
}

START_TEST(the_longest_display_name_the_domain_takes_travels_whole)
{
    ck_assert_int_eq(load_alice_with_display(256), 0);
    struct fs_writer pac;
    struct krb_key key, kdc;
    signed_pac("alice", &pac, &key, &kdc);
    struct krb_pac parsed;
    ck_assert_int_eq(krb_pac_parse(pac.data, pac.len, &parsed), FS_OK);
    ck_assert_uint_eq(strlen(parsed.logon.full_name), 512);
    ck_assert_str_eq(parsed.logon.full_name + 510, "\xc3\xa9");
    krb_pac_free(&parsed);
    fs_writer_free(&pac);
    struct krb k;
    ck_assert_sec_status(handshake(&k, "alice", "Passw0rd!", SPN, service_identity()), SEC_E_OK);
    krb_free(&k, 1);
    ck_assert_int_eq(load_alice_with_display(257), -1);
    ck_assert_msg(strstr(fakesspi_last_message(),
                         "user 'alice': the display name is longer than Active Directory allows (256 characters)"),
                  "got: %s", fakesspi_last_message());
    fakesspi_reset(); /* the embedded domain again */
}
END_TEST

START_TEST(a_domain_without_krbtgt_still_signs_its_pacs)
{
    static const char domain[] =
        "[domain]\nnetbios = EXAMPLE\ndns = example.test\nsid = " DOMAIN_SID "\n"
        "[group Domain Users]\nrid = 513\n"
        "[user alice]\nrid = 1104\npassword = Passw0rd!\n"
        "[user svc_server]\nrid = 1106\npassword = S3rv1ce!pass\nspn = HTTP/server.example.test\n";
    ck_assert_int_eq(fakesspi_load_domain_text(domain, "no-krbtgt"), 0);
    struct krb k;
    ck_assert_sec_status(handshake(&k, "alice", "Passw0rd!", SPN, service_identity()), SEC_E_OK);
    krb_free(&k, 1);
    const struct fs_domain *d = fs_domain_acquire();
    struct krb_key with_stand_in, embedded;
    ck_assert_int_eq(krb_kdc_key(d, KRB_ETYPE_AES256, &with_stand_in), FS_OK);
    fs_domain_release();
    fakesspi_reset();
    d = fs_domain_acquire();
    ck_assert_int_eq(krb_kdc_key(d, KRB_ETYPE_AES256, &embedded), FS_OK);
    fs_domain_release();
    ck_assert(memcmp(with_stand_in.bytes, embedded.bytes, 32)); /* the embedded domain's krbtgt has its own */
}
END_TEST

/* ---- a PAC issued by a real KDC: Windows Server 2003's, as Samba's PAC test keeps it (doc/semantics.md §71) ---- */

#define W2K3_KRBTGT_KEY "B286757148AF7FD252C53603A150B7E7"
#define W2K3_MEMBER_KEY "D217FAEAE5E6B5F95CCC94077AB8A5FC"

/* tests/data/win2k3-pac/pac.bin (its SOURCE.txt says where it comes from) into buf: its length. */
static size_t win2k3_pac(uint8_t *buf, size_t cap)
{
    char path[512];
    snprintf(path, sizeof path, "%s/win2k3-pac/pac.bin", TEST_DATA_DIR);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    ck_assert_uint_eq(n, 624);
    return n;
}

/* An RC4-HMAC key: the account's NT hash, as Samba gives both keys. */
static struct krb_key rc4_key(const char *hex)
{
    struct krb_key k = {KRB_ETYPE_RC4, 16, {0}};
    ck_assert_uint_eq(unhex(hex, k.bytes), 16);
    return k;
}

START_TEST(a_windows_2003_kdcs_pac_reads_as_its_logon_information)
{
    uint8_t pac[1024];
    size_t len = win2k3_pac(pac, sizeof pac);
    struct krb_pac p;
    ck_assert_int_eq(krb_pac_parse(pac, len, &p), FS_OK);
    ck_assert_uint_eq(p.nbuffers, 4);
    ck_assert_uint_eq(p.types[0], PAC_LOGON_INFO);
    ck_assert_uint_eq(p.types[1], PAC_CLIENT_INFO);
    ck_assert_uint_eq(p.types[2], PAC_SERVER_CHECKSUM);
    ck_assert_uint_eq(p.types[3], PAC_PRIVSVR_CHECKSUM);
    ck_assert(p.has_logon);
    const struct krb_pac_logon *l = &p.logon;
    ck_assert_str_eq(l->effective_name, "W2003FINAL$");
    ck_assert_str_eq(l->logon_server, "W2003FINAL");
    ck_assert_str_eq(l->logon_domain, "WIN2K3THINK");
    char sid[FS_SID_STRING_MAX];
    fs_sid_format(&l->domain_sid, sid, sizeof sid);
    ck_assert_str_eq(sid, "S-1-5-21-3048156945-3961193616-3706469200"); /* the SID Samba's test expects, RID 1005 */
    ck_assert_uint_eq(l->user_rid, 1005);
    ck_assert_uint_eq(l->primary_rid, 516); /* Domain Controllers: the DC's own computer account */
    ck_assert_uint_eq(l->ngroups, 1);
    ck_assert_uint_eq(l->groups[0].rid, 516);
    ck_assert_uint_eq(l->groups[0].attributes, 7);
    ck_assert_uint_eq(l->user_flags & PAC_LOGON_EXTRA_SIDS, PAC_LOGON_EXTRA_SIDS);
    ck_assert_uint_eq(l->nextra, 1);
    fs_sid_format(&l->extra[0].sid, sid, sizeof sid);
    ck_assert_str_eq(sid, "S-1-5-9"); /* Enterprise Domain Controllers */
    ck_assert_uint_eq(l->extra[0].attributes, 7);
    ck_assert(p.has_client);
    ck_assert_str_eq(p.client_name, "w2003final$");
    ck_assert_uint_eq(p.client_id, 0x01c58037ea286680ull); /* the ticket's authtime, 2005-07-04 */
    ck_assert(!p.has_upn); /* Windows 2003 wrote no UPN_DNS_INFO */
    krb_pac_free(&p);
}
END_TEST

START_TEST(its_signatures_verify_under_the_member_key_and_krbtgts)
{
    uint8_t pac[1024];
    size_t len = win2k3_pac(pac, sizeof pac);
    struct krb_key member = rc4_key(W2K3_MEMBER_KEY), krbtgt = rc4_key(W2K3_KRBTGT_KEY);
    /* HMAC-MD5 (-138) server signature, under the member server's key only. */
    ck_assert_int_eq(krb_pac_verify_server(pac, len, &member), FS_OK);
    ck_assert_int_eq(krb_pac_verify_server(pac, len, &krbtgt), FS_E_MESSAGE_ALTERED);
    /* The KDC signature (at 600) is krbtgt's HMAC-MD5 over the server signature's 16 bytes (at 576), MS-PAC 2.8.2. */
    uint8_t mac[KRB_CHECKSUM_MAX];
    const uint8_t *part = pac + 576 + 4;
    size_t part_len = 16;
    krb_checksum(&krbtgt, KRB_USAGE_PAC_CHECKSUM, &part, &part_len, 1, mac);
    ck_assert_mem_eq(mac, pac + 600 + 4, 16);
    /* A PAC of 2005 has no full PAC signature (MS-PAC 2.8.5): a KDC that requires it, as Windows' KDCs do since
     * KB5020805's enforcement, takes it as altered. */
    ck_assert_int_eq(krb_pac_verify_kdc(pac, len, NULL, 0, &krbtgt), FS_E_MESSAGE_ALTERED);
}
END_TEST

START_TEST(a_changed_byte_of_the_real_pac_fails_its_server_signature)
{
    uint8_t pac[1024];
    size_t len = win2k3_pac(pac, sizeof pac);
    struct krb_key member = rc4_key(W2K3_MEMBER_KEY);
    /* The user's RID, a group's RID, the client's name, the padding Samba's test changes (the byte two before
     * the end), and the server signature itself. */
    static const size_t at[] = {192, 408, 554, 622, 576 + 4};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        pac[at[i]]++;
        ck_assert_msg(krb_pac_verify_server(pac, len, &member) == FS_E_MESSAGE_ALTERED, "byte %zu", at[i]);
        pac[at[i]]--;
    }
    ck_assert_int_eq(krb_pac_verify_server(pac, len, &member), FS_OK);
}
END_TEST

/* ---- the real PAC through an acceptor: WIN2K3THINK's accounts given by their keys (doc/semantics.md §71, §73) ---- */

#define W2K3_DOMAIN_SID "S-1-5-21-3048156945-3961193616-3706469200"
#define W2K3_REALM "WIN2K3.THINKER.LOCAL"
#define W2K3_SPN "host/w2003final.win2k3.thinker.local"
#define W2K3_AUTHTIME 0x01c58037ea286680ull /* PAC_CLIENT_INFO's ClientId: Samba's pac_authtime, 1120440609 */

/* The domain the PAC names, on the virtual clock of the day its KDC issued it. */
static void load_win2k3_domain(void)
{
    ck_assert_msg(fakesspi_load_domain_file(TEST_DATA_DIR "/win2k3-pac/domain.ini") == 0, "%s",
                  fakesspi_last_message());
    fakesspi_clock_set(W2K3_AUTHTIME + FAKESSPI_SECONDS(5));
}

/* The real PAC, as its KDC signed it, in a ticket for the member server's host service encrypted in key: the client
 * and authtime as given (the PAC's own are w2003final$ and W2K3_AUTHTIME), and the PAC's byte at change_at flipped
 * unless it is -1. */
static ULONG win2k3_ap_req_in(const struct krb_key *key, const char *client, uint64_t authtime, long change_at,
                              unsigned char *out, size_t cap)
{
    uint8_t bytes[1024];
    size_t n = win2k3_pac(bytes, sizeof bytes);
    struct fs_writer pac;
    fs_writer_init(&pac);
    fs_write_bytes(&pac, bytes, n);
    struct forged f = {&pac, W2K3_REALM, W2K3_SPN, client, authtime, key, NULL, change_at};
    ULONG len = forge_ap_req(&f, out, cap);
    fs_writer_free(&pac);
    return len;
}

/* The same in the member key, as its KDC made the ticket. */
static ULONG win2k3_ap_req(const char *client, uint64_t authtime, long change_at, unsigned char *out, size_t cap)
{
    struct krb_key member = rc4_key(W2K3_MEMBER_KEY);
    return win2k3_ap_req_in(&member, client, authtime, change_at, out, cap);
}

/* Accepted by the member server's own credential: a process running as W2003FINAL$, as its services do. */
static SECURITY_STATUS accept_as_w2003final(const unsigned char *token, ULONG len, CtxtHandle *ctx)
{
    ck_assert_int_eq(fakesspi_set_process_user("W2003FINAL$"), 0);
    CredHandle cred;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &cred,
                                                   NULL), SEC_E_OK);
    return accept_with(&cred, token, len, ctx);
}

/* The SID a token information class holds first (TokenUser, TokenPrimaryGroup), as text. */
static void token_sid(HANDLE token, TOKEN_INFORMATION_CLASS what, char *out, size_t cap)
{
    union {
        TOKEN_USER user;
        TOKEN_PRIMARY_GROUP primary;
        char bytes[256];
    } info;
    DWORD len;
    ck_assert(GetTokenInformation(token, what, &info, sizeof info, &len));
    char *text;
    ck_assert(ConvertSidToStringSidA(what == TokenUser ? info.user.User.Sid : info.primary.PrimaryGroup, &text));
    snprintf(out, cap, "%s", text);
    LocalFree(text);
}

START_TEST(the_real_pac_through_an_acceptor_gives_the_token_it_describes)
{
    load_win2k3_domain();
    unsigned char token[8192];
    ULONG len = win2k3_ap_req("w2003final$", W2K3_AUTHTIME, -1, token, sizeof token);
    CtxtHandle ctx;
    ck_assert_sec_status(accept_as_w2003final(token, len, &ctx), SEC_E_OK);
    HANDLE t;
    ck_assert_sec_status(QuerySecurityContextToken(&ctx, &t), SEC_E_OK);
    char sid[FS_SID_STRING_MAX];
    token_sid(t, TokenUser, sid, sizeof sid);
    ck_assert_str_eq(sid, W2K3_DOMAIN_SID "-1005"); /* LogonDomainId + UserId: the SID Samba's test expects */
    token_sid(t, TokenPrimaryGroup, sid, sizeof sid);
    ck_assert_str_eq(sid, W2K3_DOMAIN_SID "-516"); /* PrimaryGroupId: Domain Controllers */
    /* The PAC's GroupIds and ExtraSids with their attributes, then what every network logon adds
     * (doc/semantics.md §17): no S-1-18-x, which a KDC of 2005 did not put in ExtraSids. */
    static const struct {
        const char *sid;
        DWORD attributes;
    } want[] = {
        {W2K3_DOMAIN_SID "-516", 7}, /* GroupIds {516, 7} */
        {"S-1-5-9", 7},              /* ExtraSids: Enterprise Domain Controllers, 7 */
        {"S-1-1-0", 7},              /* Everyone */
        {"S-1-5-32-545", 7},         /* BUILTIN\Users */
        {"S-1-5-2", 7},              /* NETWORK */
        {"S-1-5-11", 7},             /* Authenticated Users */
        {"S-1-5-15", 7},             /* This Organization */
        {"S-1-16-8192", SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED}, /* Medium */
    };
    DWORD size = 0;
    GetTokenInformation(t, TokenGroups, NULL, 0, &size);
    TOKEN_GROUPS *g = malloc(size);
    ck_assert(GetTokenInformation(t, TokenGroups, g, size, &size));
    char listed[2048] = "";
    for (DWORD i = 0; i < g->GroupCount; i++) {
        char *text;
        ck_assert(ConvertSidToStringSidA(g->Groups[i].Sid, &text));
        snprintf(listed + strlen(listed), sizeof listed - strlen(listed), "%s=%#x\n", text,
                 (unsigned)g->Groups[i].Attributes);
        LocalFree(text);
    }
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char line[128];
        snprintf(line, sizeof line, "%s=%#x\n", want[i].sid, (unsigned)want[i].attributes);
        ck_assert_msg(strstr(listed, line), "%s not in the token's groups:\n%s", line, listed);
    }
    ck_assert_msg(g->GroupCount == sizeof want / sizeof *want, "groups:\n%s", listed);
    free(g);
    CloseHandle(t);
    DeleteSecurityContext(&ctx);
}
END_TEST

/* MS-PAC 2.8.3 through the acceptor: a changed byte the server signature covers is a PAC the KDC did not make. */
START_TEST(a_changed_byte_of_the_real_pac_is_logon_denied_by_the_acceptor)
{
    load_win2k3_domain();
    static const long at[] = {192, 408, 554, 622, 576 + 4}; /* as a_changed_byte_of_the_real_pac_fails_... */
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        unsigned char token[8192];
        ULONG len = win2k3_ap_req("w2003final$", W2K3_AUTHTIME, at[i], token, sizeof token);
        CtxtHandle ctx;
        ck_assert_msg(accept_as_w2003final(token, len, &ctx) == SEC_E_LOGON_DENIED, "byte %ld", at[i]);
        ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
        fakesspi_clock_advance(FAKESSPI_SECONDS(1)); /* another authenticator, not a replay */
    }
}
END_TEST

/* MS-PAC 2.7: PAC_CLIENT_INFO names the ticket's client at its authtime. A ticket of another client or authtime
 * around this PAC is refused as any PAC that does not belong to its ticket (doc/semantics.md §41). */
START_TEST(the_real_pac_in_a_ticket_of_another_client_or_time_is_logon_denied)
{
    load_win2k3_domain();
    static const struct {
        const char *client;
        uint64_t authtime;
    } cases[] = {{"administrator", W2K3_AUTHTIME}, {"w2003final$", W2K3_AUTHTIME + FAKESSPI_SECONDS(1)}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        unsigned char token[8192];
        ULONG len = win2k3_ap_req(cases[i].client, cases[i].authtime, -1, token, sizeof token);
        CtxtHandle ctx;
        ck_assert_msg(accept_as_w2003final(token, len, &ctx) == SEC_E_LOGON_DENIED, "case %zu", i);
        ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
    }
    /* The client name compares without case, as PAC_CLIENT_INFO's own (w2003final$) and the account's differ. */
    unsigned char token[8192];
    ULONG len = win2k3_ap_req("W2003FINAL$", W2K3_AUTHTIME, -1, token, sizeof token);
    CtxtHandle ctx;
    ck_assert_sec_status(accept_as_w2003final(token, len, &ctx), SEC_E_OK);
    DeleteSecurityContext(&ctx);
}
END_TEST

/* The member server's account has its key alone, and that is all NTLM needs: the NT hash (doc/semantics.md §73). */
START_TEST(the_member_account_given_by_its_key_logs_on_with_ntlm)
{
    load_win2k3_domain();
    ck_assert_int_eq(fakesspi_set_process_user("W2003FINAL$"), 0);
    struct pair p;
    pair_credentials(&p, NULL, NULL); /* the process's own, from the domain's hash */
    ck_assert_sec_status(pair_handshake(&p, 0, 0, W2K3_SPN), SEC_E_OK);
    HANDLE t;
    ck_assert_sec_status(QuerySecurityContextToken(&p.server, &t), SEC_E_OK);
    char sid[FS_SID_STRING_MAX];
    token_sid(t, TokenUser, sid, sizeof sid);
    ck_assert_str_eq(sid, W2K3_DOMAIN_SID "-1005");
    CloseHandle(t);
    pair_free(&p);
}
END_TEST

/* And Kerberos through the emulated KDC, whose krbtgt has an RC4 key only: an RC4 ticket to the member server, its
 * PAC signed HMAC-MD5 by both keys, as Windows Server 2003's KDC signed the real one (doc/semantics.md §73). */
START_TEST(the_member_account_given_by_its_key_gets_an_rc4_ticket_from_the_kdc)
{
    load_win2k3_domain();
    ck_assert_int_eq(fakesspi_set_process_user("W2003FINAL$"), 0);
    CredHandle cc, sc;
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cc,
                                                   NULL), SEC_E_OK);
    unsigned char token[8192];
    SecBuffer out = {sizeof token, SECBUFFER_TOKEN, token};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &out};
    CtxtHandle client, server;
    ULONG attrs;
    ck_assert_sec_status(InitializeSecurityContextA(&cc, NULL, (SEC_CHAR *)W2K3_SPN, 0, 0, SECURITY_NATIVE_DREP, NULL,
                                                    0, &client, &outd, &attrs, NULL), SEC_E_OK);
    uint16_t tok_id;
    const uint8_t *inner;
    size_t inner_len;
    ck_assert_int_eq(krb_gss_unframe(token, out.cbBuffer, &tok_id, &inner, &inner_len), FS_OK);
    struct krb_ap_req r;
    struct der_error derr;
    ck_assert_int_eq(krb_parse_ap_req(inner, inner_len, &r, &derr), FS_OK);
    ck_assert_int_eq(r.ticket_etype, KRB_ETYPE_RC4);
    ck_assert_int_eq(r.auth_etype, KRB_ETYPE_RC4);
    /* Opened with Samba's member key; its PAC's server signature is that key's, the KDC's ones krbtgt's. */
    struct krb_key member = rc4_key(W2K3_MEMBER_KEY), krbtgt = rc4_key(W2K3_KRBTGT_KEY);
    struct krb_ticket opened;
    ck_assert_int_eq(krb_open_ticket(&r, &member, &opened), FS_OK);
    ck_assert_int_eq(krb_pac_verify_server(opened.pac, opened.pac_len, &member), FS_OK);
    ck_assert_int_eq(krb_pac_verify_kdc(opened.pac, opened.pac_len, NULL, 0, &krbtgt), FS_OK);
    krb_ticket_free(&opened);
    krb_ap_req_free(&r);
    ck_assert_sec_status(AcquireCredentialsHandleA(NULL, "Kerberos", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &sc,
                                                   NULL), SEC_E_OK);
    ck_assert_sec_status(accept_with(&sc, token, out.cbBuffer, &server), SEC_E_OK);
    HANDLE t;
    ck_assert_sec_status(QuerySecurityContextToken(&server, &t), SEC_E_OK);
    char sid[FS_SID_STRING_MAX];
    token_sid(t, TokenUser, sid, sizeof sid);
    ck_assert_str_eq(sid, W2K3_DOMAIN_SID "-1005");
    CloseHandle(t);
    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
    FreeCredentialsHandle(&cc);
}
END_TEST

/* A ticket for the member server in an AES key, which an account given by its NT hash does not have: the acceptor
 * holds no key to open it with (doc/semantics.md §73). */
START_TEST(an_aes_ticket_for_the_account_given_by_its_key_is_wrong_principal)
{
    load_win2k3_domain();
    struct krb_key aes;
    krb_random_key(KRB_ETYPE_AES256, &aes);
    unsigned char token[8192];
    ULONG len = win2k3_ap_req_in(&aes, "w2003final$", W2K3_AUTHTIME, -1, token, sizeof token);
    CtxtHandle ctx;
    ck_assert_sec_status(accept_as_w2003final(token, len, &ctx), SEC_E_WRONG_PRINCIPAL);
    ck_assert_uint_eq(ctx.dwLower, 0xdeadbeef);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("packages/kerberos/pac");
    TCase *tc = test_case("pac");
    tcase_add_test(tc, ndr_round_trips_integers_pointers_strings_and_sids);
    tcase_add_test(tc, a_windows_2003_kdcs_pac_reads_as_its_logon_information);
    tcase_add_test(tc, its_signatures_verify_under_the_member_key_and_krbtgts);
    tcase_add_test(tc, a_changed_byte_of_the_real_pac_fails_its_server_signature);
    tcase_add_test(tc, the_real_pac_through_an_acceptor_gives_the_token_it_describes);
    tcase_add_test(tc, a_changed_byte_of_the_real_pac_is_logon_denied_by_the_acceptor);
    tcase_add_test(tc, the_real_pac_in_a_ticket_of_another_client_or_time_is_logon_denied);
    tcase_add_test(tc, the_member_account_given_by_its_key_logs_on_with_ntlm);
    tcase_add_test(tc, an_aes_ticket_for_the_account_given_by_its_key_is_wrong_principal);
    tcase_add_test(tc, the_member_account_given_by_its_key_gets_an_rc4_ticket_from_the_kdc);
    tcase_add_test(tc, the_pac_is_laid_out_as_ms_pac_says);
    tcase_add_test(tc, builtin_aliases_travel_as_extra_sids_with_the_resource_attribute);
    tcase_add_test(tc, every_signature_covers_what_ms_pac_says);
    tcase_add_test(tc, malformed_pacs_are_invalid);
    tcase_add_test(tc, the_tokens_groups_from_the_pac_are_the_domains);
    tcase_add_test(tc, a_ticket_whose_pac_signature_was_changed_is_logon_denied);
    tcase_add_test(tc, an_acceptor_takes_only_its_own_accounts_spns);
    tcase_add_test(tc, the_domain_switch_lets_any_acceptor_take_every_spn);
    tcase_add_test(tc, a_computer_account_has_active_directorys_machine_salt);
    tcase_add_test(tc, the_control_api_turns_the_switch_on_and_off);
    tcase_add_test(tc, a_domain_without_krbtgt_still_signs_its_pacs);
    tcase_add_test(tc, a_signature_followed_by_an_rodc_identifier_verifies);
    tcase_add_test(tc, the_longest_display_name_the_domain_takes_travels_whole);
    suite_add_tcase(s, tc);
    return test_run(s);
}
