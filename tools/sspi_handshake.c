/* sspi-handshake: runs a client and a server in one process and explains each step of the exchange:
 * the call, the flags asked for and granted by name, the status and what it means, the token field by
 * field; then what the server learnt (names, the client's token, impersonation), a signed and a sealed
 * message, and with --misuse what closing the lent access token does. --json for machines. */
#define SECURITY_WIN32
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/flagnames.h"
#include "core/quote.h"
#include "core/names.h"
#include "packages/kerberos/krb_keys.h"
#include "security/domain_current.h"
#include "security/privileges.h"
#include "fakesspi.h"
#include "handshake_diagram.h"
#include "handshake_wire.h"
#include "keytab_write.h"
#include "account_name.h"
#include "flag_explain.h"
#include "gss_explain.h"
#include "ntlm_explain.h"
#include "windows.h"
#include "sddl.h"
#include "security.h"

struct options {
    char *user, *password, *domain, *target, *package; /* not const: SSPI's structures and calls take char * */
    int misuse, json, color;
    const char *connect;  /* --connect HOST:PORT: be the client of a --listen process */
    const char *html;     /* --html FILE: also draw the run as a sequence diagram */
    int listen;           /* --listen PORT: be the server; -1 when not listening */
    const char *pcap;     /* --pcap FILE: also write the exchange as a capture (the library's, fakesspi_set_pcap) */
    const char *carrier;  /* --pcap-carrier http|tcp */
    const char *keytab;   /* --keytab FILE: the target service's keys, for Wireshark */
};

/* ---- output: the same events as text for people or as one JSON document ---- */

static int json, color, json_items;
/* --html: the diagram is drawn. The calls made only to tell its story are made only then, so that a run
 * without it (the golden file's) numbers its calls as before. */
static int drawing;

static const char *paint(const char *code) { return color ? code : ""; }
#define BOLD paint("\033[1m")
#define GREEN paint("\033[32m")
#define RED paint("\033[31m")
#define DIM paint("\033[2m")
#define PLAIN paint("\033[0m")

/* Strings from the token are the sender's: quoted the one way the library quotes them. */
static void json_string(const char *s) { fs_quote(stdout, s, 1); }

/* Opens one event of the JSON array ({"step":...}) or a text heading. */
static void step(const char *name, const char *heading)
{
    if (json) {
        printf("%s\n  {\"step\":", json_items++ ? "," : "");
        json_string(name);
    } else {
        printf("\n%s%s%s\n", BOLD, heading, PLAIN);
    }
}

static void end_step(void)
{
    if (json)
        putchar('}');
}

/* One key/value of the current event; the text form indents it under the heading. */
static void field(const char *key, const char *format, ...)
{
    char value[1024];
    va_list ap;
    va_start(ap, format);
    vsnprintf(value, sizeof value, format, ap);
    va_end(ap);
    if (json) {
        putchar(',');
        json_string(key);
        putchar(':');
        json_string(value);
    } else {
        printf("  %-22s %s\n", key, value);
    }
}

static void status_field(const char *key, SECURITY_STATUS st)
{
    const char *name = fakesspi_status_name(st);
    const char *meaning = fs_status_meaning(st);
    int good = st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED;
    if (json) {
        field(key, "%s", name ? name : "?");
        field("meaning", "%s", meaning ? meaning : "");
    } else {
        printf("  %-22s %s%s%s  %s%s%s\n", key, good ? GREEN : RED, name ? name : "?", PLAIN, DIM,
               meaning ? meaning : "", PLAIN);
    }
}

static void flags_field(const char *key, enum fs_names table, ULONG flags)
{
    char text[1024];
    fs_flags_format(table, flags, text, sizeof text);
    field(key, "%s", text);
}

static void token_field(const unsigned char *p, ULONG n)
{
    if (json) {
        char *hex = malloc(2 * (size_t)n + 1);
        if (!hex)
            return;
        for (ULONG i = 0; i < n; i++)
            sprintf(hex + 2 * i, "%02x", p[i]);
        hex[2 * (size_t)n] = '\0';
        printf(",\"token\":"); /* not through field(): a Kerberos token is longer than its 1024-byte value */
        json_string(hex);
        free(hex);
        return;
    }
    if (n == 0) {
        printf("  %-22s none: nothing to send\n", "token");
        return;
    }
    printf("  %-22s %lu bytes, explained:\n", "token", (unsigned long)n);
    fflush(stdout);
    gss_explain(p, n);
}

static int fail(const char *what, SECURITY_STATUS st)
{
    fflush(stdout);
    fprintf(stderr, "sspi-handshake: %s failed: %s (%#lx)\n", what,
            fakesspi_status_name(st) ? fakesspi_status_name(st) : "?", (unsigned long)(ULONG)st);
    return 1;
}

/* ---- the exchange ---- */

struct peer {
    CredHandle cred;
    CtxtHandle ctx;
    int has_cred, has_ctx;
    int done; /* the context is complete: on the server, the client's access token was made */
};

/* A Kerberos service runs as the account that owns its SPN, and its acceptor takes tickets for that account's
 * SPNs only (doc/semantics.md §41): the server side logs on as that account, unless FAKESSPI_USER names the
 * process's user. 0 when the target has no owner (NTLM, or Negotiate falling back to it, needs none). */
static int service_account(const char *target, char *name, size_t name_cap, char *domain, size_t domain_cap,
                           char *password, size_t password_cap)
{
    if (getenv("FAKESSPI_USER"))
        return 0;
    const struct fs_domain *d = fs_domain_acquire();
    const struct fs_user *owner = d && target ? krb_find_service(d, target) : NULL;
    if (owner && owner->password) {
        snprintf(name, name_cap, "%s", owner->name);
        snprintf(domain, domain_cap, "%s", d->netbios);
        snprintf(password, password_cap, "%s", owner->password);
    }
    fs_domain_release();
    return owner && owner->password;
}

static int acquire(struct peer *p, const struct options *o, int server)
{
    char service[256], service_domain[256], service_password[256];
    int as_service = server && strcasecmp(o->package, "NTLM") != 0 &&
                     service_account(o->target, service, sizeof service, service_domain, sizeof service_domain,
                                     service_password, sizeof service_password);
    char *user = as_service ? service : o->user, *domain = as_service ? service_domain : o->domain,
         *password = as_service ? service_password : o->password;
    SEC_WINNT_AUTH_IDENTITY_A id = {(unsigned char *)user, (ULONG)strlen(user), (unsigned char *)domain,
                                    (ULONG)strlen(domain), (unsigned char *)password, (ULONG)strlen(password),
                                    SEC_WINNT_AUTH_IDENTITY_ANSI};
    TimeStamp expiry;
    SECURITY_STATUS st = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)o->package,
                                                   server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND, NULL,
                                                   !server || as_service ? &id : NULL, NULL, NULL, &p->cred, &expiry);
    explicit_bzero(service_password, sizeof service_password);
    step(server ? "server credentials" : "client credentials",
         server ? "The server acquires its credentials" : "The client acquires credentials for a user");
    if (as_service)
        field("call", "AcquireCredentialsHandleA(\"%s\", SECPKG_CRED_INBOUND, %s\\%s: the account that owns %s)",
              o->package, domain, user, o->target);
    else
        field("call", server ? "AcquireCredentialsHandleA(\"%s\", SECPKG_CRED_INBOUND, no identity)"
                             : "AcquireCredentialsHandleA(\"%s\", SECPKG_CRED_OUTBOUND, %s\\%s)",
              o->package, o->domain, o->user);
    status_field("status", st);
    end_step();
    char label[300], detail[600];
    const char *name = fakesspi_status_name(st);
    snprintf(label, sizeof label, "AcquireCredentialsHandle(\"%s\", %s) = %s", o->package,
             server ? "INBOUND" : "OUTBOUND", name ? name : "?");
    if (!server)
        snprintf(detail, sizeof detail, "whose: %s\\%s, whose password the client will prove it knows", o->domain,
                 o->user);
    else if (as_service)
        snprintf(detail, sizeof detail, "whose: %s\\%s, the account that owns %s: its keys open the ticket", domain,
                 user, o->target);
    else {
        char self[256] = "?";
        ULONG n = sizeof self;
        if (drawing)
            GetUserNameExA(NameSamCompatible, self, &n);
        snprintf(detail, sizeof detail, "whose: no identity given, so the process's own (%s); the server checks "
                 "the client's proof with the domain", self);
    }
    diagram_add(server ? DIAGRAM_SERVER : DIAGRAM_CLIENT, server ? DIAGRAM_SERVER : DIAGRAM_CLIENT, st != SEC_E_OK,
                label, detail);
    p->has_cred = st == SEC_E_OK;
    return st == SEC_E_OK ? 0 : fail("AcquireCredentialsHandle", st);
}

static const ULONG client_wants = ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY |
                                  ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONNECTION;
static const ULONG server_wants = ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_SEQUENCE_DETECT |
                                  ASC_REQ_REPLAY_DETECT | ASC_REQ_CONNECTION;

static int going_on(SECURITY_STATUS st) { return st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED; }

/* What final_flags said did not come, for the diagram's row of the same leg; "" when all came. */
static char not_granted[1024];

/* The last leg's flags are final: say which asked-for ones did not come and which granted ones promise less
 * than their names, for the package the context runs (Negotiate's choice). */
static void final_flags(struct peer *p, int server, ULONG asked, ULONG granted)
{
    char package[64] = "";
    SecPkgContext_NegotiationInfoA n;
    if (QueryContextAttributesA(&p->ctx, SECPKG_ATTR_NEGOTIATION_INFO, &n) == SEC_E_OK) {
        snprintf(package, sizeof package, "%s", n.PackageInfo->Name);
        FreeContextBuffer(n.PackageInfo);
    }
    char text[1024];
    if (flags_not_granted(package, server, asked, granted, text, sizeof text)) {
        field("not granted", "%s", text);
        snprintf(not_granted, sizeof not_granted, "%s", text);
    }
    if (flags_promise_less(package, server, granted, text, sizeof text))
        field("note", "%s", text);
}

/* A leg in the diagram: the call and its status, the token it sends (an arrow) or none (a note), and every
 * flag asked for and, while the exchange goes on, granted; on the last leg the flags that did not come. */
static void diagram_leg(enum diagram_side side, int leg, const char *call, SECURITY_STATUS st, const unsigned char *token,
                        ULONG len, ULONG asked, ULONG granted)
{
    int server = side == DIAGRAM_SERVER;
    char label[200], summary[200] = "", want[384], got[384], detail[1536];
    const char *name = fakesspi_status_name(st);
    snprintf(label, sizeof label, "leg %d: %s = %s", leg, call, name ? name : "?");
    fs_flags_format(server ? FS_NAMES_ASC_REQ : FS_NAMES_ISC_REQ, asked, want, sizeof want);
    fs_flags_format(server ? FS_NAMES_ASC_RET : FS_NAMES_ISC_RET, granted, got, sizeof got);
    if (len)
        gss_summary(token, len, summary, sizeof summary);
    else
        snprintf(summary, sizeof summary, "%s", going_on(st) ? "no token to send: this side is done"
                                                             : "the exchange fails here");
    if (going_on(st))
        snprintf(detail, sizeof detail, "%s\nasked: %s\ngranted: %s%s%.300s", summary, want, got,
                 not_granted[0] ? "\nnot granted: " : "", not_granted);
    else
        snprintf(detail, sizeof detail, "%s\nasked: %s\ngranted: nothing (the call failed)", summary, want);
    not_granted[0] = '\0';
    if (len)
        diagram_add(side, server ? DIAGRAM_CLIENT : DIAGRAM_SERVER, !going_on(st), label, detail);
    else
        diagram_add(side, side, !going_on(st), label, detail);
}

/* One client leg: InitializeSecurityContext with the server's last token (none on the first leg).
 * Writes the token to send into out (*out_len bytes); returns the status, explained. */
static SECURITY_STATUS client_leg(struct peer *client, const struct options *o, int leg, unsigned char *in,
                                  ULONG in_len, unsigned char *out, ULONG *out_len)
{
    SecBuffer ob = {*out_len, SECBUFFER_TOKEN, out}, ib = {in_len, SECBUFFER_TOKEN, in};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, id = {SECBUFFER_VERSION, 1, &ib};
    ULONG attrs = 0;
    int first = !client->has_ctx;
    SECURITY_STATUS st = InitializeSecurityContextA(first ? &client->cred : NULL, first ? NULL : &client->ctx,
                                                    (SEC_CHAR *)o->target, client_wants, 0, SECURITY_NATIVE_DREP,
                                                    first ? NULL : &id, 0, &client->ctx, &od, &attrs, NULL);
    char name[32], heading[128];
    snprintf(name, sizeof name, "leg %d", leg);
    snprintf(heading, sizeof heading, "Leg %d: the client calls InitializeSecurityContext%s", leg,
             first ? "" : " with the server's reply");
    step(name, heading);
    field("side", "client");
    field("call", "InitializeSecurityContextA(target \"%s\"%s)", o->target, first ? "" : ", input token");
    flags_field("asked for", FS_NAMES_ISC_REQ, client_wants);
    status_field("status", st);
    *out_len = 0;
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
        client->has_ctx = 1;
        flags_field("granted", FS_NAMES_ISC_RET, attrs);
        if (st == SEC_E_OK)
            final_flags(client, 0, client_wants, attrs);
        token_field(out, ob.cbBuffer);
        *out_len = ob.cbBuffer;
    }
    end_step();
    diagram_leg(DIAGRAM_CLIENT, leg, "InitializeSecurityContext", st, out, *out_len, client_wants, attrs);
    if (st == SEC_E_OK)
        client->done = 1;
    else if (!going_on(st))
        diagram_add(DIAGRAM_CLIENT, DIAGRAM_CLIENT, 1, "no context: the client stops here",
                    "nothing reaches the server, and no access token is made anywhere");
    return st;
}

/* One server leg: AcceptSecurityContext with the client's token. */
static SECURITY_STATUS server_leg(struct peer *server, int leg, unsigned char *in, ULONG in_len, unsigned char *out,
                                  ULONG *out_len)
{
    SecBuffer ob = {*out_len, SECBUFFER_TOKEN, out}, ib = {in_len, SECBUFFER_TOKEN, in};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, id = {SECBUFFER_VERSION, 1, &ib};
    ULONG attrs = 0;
    SECURITY_STATUS st = AcceptSecurityContext(&server->cred, server->has_ctx ? &server->ctx : NULL, &id,
                                               server_wants, SECURITY_NATIVE_DREP, &server->ctx, &od, &attrs, NULL);
    char name[32], heading[128];
    snprintf(name, sizeof name, "leg %d", leg);
    snprintf(heading, sizeof heading, "Leg %d: the server calls AcceptSecurityContext with the client's token", leg);
    step(name, heading);
    field("side", "server");
    field("call", "AcceptSecurityContext(input token of %lu bytes)", (unsigned long)in_len);
    flags_field("asked for", FS_NAMES_ASC_REQ, server_wants);
    status_field("status", st);
    *out_len = 0;
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
        server->has_ctx = 1;
        flags_field("granted", FS_NAMES_ASC_RET, attrs);
        if (st == SEC_E_OK)
            final_flags(server, 1, server_wants, attrs);
        token_field(out, ob.cbBuffer);
        *out_len = ob.cbBuffer;
    }
    end_step();
    diagram_leg(DIAGRAM_SERVER, leg, "AcceptSecurityContext", st, out, *out_len, server_wants, attrs);
    if (st == SEC_E_OK) {
        server->done = 1;
        SecPkgContext_NamesA n;
        char detail[400] = "the context owns it; it is lent to the server (SECPKG_ATTR_ACCESS_TOKEN), never to be closed";
        if (drawing && QueryContextAttributesA(&server->ctx, SECPKG_ATTR_NAMES, &n) == SEC_E_OK) {
            char who[300];
            snprintf(who, sizeof who, "logon: the context makes %s's access token", n.sUserName);
            FreeContextBuffer(n.sUserName);
            diagram_add(DIAGRAM_SERVER, DIAGRAM_SERVER, 0, who, detail);
        }
    } else if (!going_on(st)) {
        diagram_add(DIAGRAM_SERVER, DIAGRAM_SERVER, 1, "logon refused: no access token is made",
                    "nothing to impersonate, query or close; the half-made context is all there is");
    }
    return st;
}

/* Both sides in this process, the tokens handed across in memory. */
static int exchange(struct peer *client, struct peer *server, const struct options *o)
{
    unsigned char to_server[4096], to_client[4096];
    ULONG to_server_len = 0, to_client_len = 0;
    SECURITY_STATUS cst = SEC_I_CONTINUE_NEEDED, sst = SEC_I_CONTINUE_NEEDED;
    for (int leg = 1; leg <= 6; leg += 2) {
        if (cst == SEC_I_CONTINUE_NEEDED) {
            to_server_len = sizeof to_server;
            cst = client_leg(client, o, leg, to_client, to_client_len, to_server, &to_server_len);
            if (!going_on(cst))
                return fail("InitializeSecurityContext", cst);
        }
        if (to_server_len == 0 && cst == SEC_E_OK)
            return 0; /* the client is done and has nothing more to say */
        to_client_len = sizeof to_client;
        sst = server_leg(server, leg + 1, to_server, to_server_len, to_client, &to_client_len);
        if (!going_on(sst))
            return fail("AcceptSecurityContext", sst);
        if (sst == SEC_E_OK && (cst == SEC_E_OK || to_client_len == 0))
            return 0;
    }
    return fail("the exchange (it did not finish in six legs)", SEC_E_INTERNAL_ERROR);
}

static void names(struct peer *client, struct peer *server)
{
    step("names", client && server ? "What each side now knows" : "What this side now knows");
    SecPkgContext_NamesA n;
    if (server && QueryContextAttributesA(&server->ctx, SECPKG_ATTR_NAMES, &n) == SEC_E_OK) {
        field("server sees client", "%s", n.sUserName);
        FreeContextBuffer(n.sUserName);
    }
    if (client && QueryContextAttributesA(&client->ctx, SECPKG_ATTR_NAMES, &n) == SEC_E_OK) {
        field("client is", "%s", n.sUserName);
        FreeContextBuffer(n.sUserName);
    }
    SecPkgContext_Sizes sizes;
    if (client && QueryContextAttributesA(&client->ctx, SECPKG_ATTR_SIZES, &sizes) == SEC_E_OK)
        field("client sizes", "cbMaxToken %lu, cbMaxSignature %lu, cbSecurityTrailer %lu, cbBlockSize %lu",
              (unsigned long)sizes.cbMaxToken, (unsigned long)sizes.cbMaxSignature,
              (unsigned long)sizes.cbSecurityTrailer, (unsigned long)sizes.cbBlockSize);
    end_step();
}

/* Reads one token information class into a malloc'ed buffer, as Windows code does: ask, then fetch. */
static void *token_info(HANDLE token, TOKEN_INFORMATION_CLASS what)
{
    DWORD need = 0;
    GetTokenInformation(token, what, NULL, 0, &need);
    void *buf = need ? malloc(need) : NULL;
    if (buf && !GetTokenInformation(token, what, buf, need, &need)) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

static void client_token(struct peer *server)
{
    step("token", "The client's access token, as the server holds it (QuerySecurityContextToken)");
    HANDLE token;
    SECURITY_STATUS st = QuerySecurityContextToken(&server->ctx, &token);
    status_field("status", st);
    if (st != SEC_E_OK) {
        end_step();
        return;
    }
    char who[256];
    TOKEN_USER *user = token_info(token, TokenUser);
    if (user)
        field("user", "%s", account_name(user->User.Sid, who, sizeof who));
    TOKEN_GROUPS *groups = token_info(token, TokenGroups);
    for (DWORD i = 0; groups && i < groups->GroupCount; i++) {
        char key[32];
        snprintf(key, sizeof key, "group %lu", (unsigned long)i + 1);
        DWORD a = groups->Groups[i].Attributes;
        field(key, "%s%s", account_name(groups->Groups[i].Sid, who, sizeof who),
              a & SE_GROUP_INTEGRITY ? " (the integrity label)" : a & SE_GROUP_ENABLED ? "" : " (disabled)");
    }
    free(groups);
    TOKEN_PRIVILEGES *privs = token_info(token, TokenPrivileges);
    for (DWORD i = 0; privs && i < privs->PrivilegeCount; i++) {
        char key[32];
        snprintf(key, sizeof key, "privilege %lu", (unsigned long)i + 1);
        const char *name = fs_privilege_name(privs->Privileges[i].Luid.LowPart);
        field(key, "%s%s", name ? name : "?", privs->Privileges[i].Attributes & SE_PRIVILEGE_ENABLED ? " (enabled)" : "");
    }
    free(privs);
    TOKEN_TYPE *type = token_info(token, TokenType);
    SECURITY_IMPERSONATION_LEVEL *level = token_info(token, TokenImpersonationLevel);
    static const char *const levels[] = {"anonymous", "identification", "impersonation", "delegation"};
    if (type)
        field("type", "%s", *type == TokenPrimary ? "primary" : "impersonation");
    if (level && (unsigned)*level < 4)
        field("level", "%s", levels[*level]);
    free(type);
    free(level);
    free(user);
    field("handle", "%#lx: a duplicate; the server must CloseHandle it, and does now", (unsigned long)(uintptr_t)token);
    char label[120];
    SecPkgContext_AccessToken lent;
    if (drawing && QueryContextAttributesA(&server->ctx, SECPKG_ATTR_ACCESS_TOKEN, &lent) == SEC_E_OK) {
        snprintf(label, sizeof label, "QueryContextAttributes(ACCESS_TOKEN): %#lx lent",
                 (unsigned long)(uintptr_t)lent.AccessToken);
        diagram_add(DIAGRAM_SERVER, DIAGRAM_SERVER, 0, label,
                    "the context's own token: the server may use it, never close it");
    }
    snprintf(label, sizeof label, "QuerySecurityContextToken: token %#lx born", (unsigned long)(uintptr_t)token);
    diagram_add(DIAGRAM_SERVER, DIAGRAM_SERVER, 0, label,
                user ? "a duplicate, owned by the server: its to close" : "a duplicate");
    CloseHandle(token);
    snprintf(label, sizeof label, "CloseHandle(%#lx): the duplicate dies", (unsigned long)(uintptr_t)token);
    diagram_add(DIAGRAM_SERVER, DIAGRAM_SERVER, 0, label, "the context keeps its own token");
    end_step();
}

static void impersonation(struct peer *server)
{
    step("impersonation", "The server impersonates the client (ImpersonateSecurityContext)");
    char before[256] = "?", during[256] = "?";
    ULONG n = sizeof before;
    GetUserNameExA(NameSamCompatible, before, &n);
    SECURITY_STATUS st = ImpersonateSecurityContext(&server->ctx);
    status_field("status", st);
    n = sizeof during;
    GetUserNameExA(NameSamCompatible, during, &n);
    char label[300], detail[300];
    const char *name = fakesspi_status_name(st);
    snprintf(label, sizeof label, "ImpersonateSecurityContext = %s", name ? name : "?");
    snprintf(detail, sizeof detail, "the thread runs as %s (it ran as %s)", during, before);
    diagram_add(DIAGRAM_SERVER, DIAGRAM_SERVER, st != SEC_E_OK, label, detail);
    SECURITY_STATUS reverted = RevertSecurityContext(&server->ctx);
    name = fakesspi_status_name(reverted);
    snprintf(label, sizeof label, "RevertSecurityContext = %s", name ? name : "?");
    char after[256] = "?";
    n = sizeof after;
    if (drawing)
        GetUserNameExA(NameSamCompatible, after, &n);
    snprintf(detail, sizeof detail, "the thread is itself again: %s", after);
    diagram_add(DIAGRAM_SERVER, DIAGRAM_SERVER, reverted != SEC_E_OK, label, detail);
    field("thread runs as", "%s before, %s while impersonating, reverted after", before, during);
    end_step();
}

static void messages(struct peer *client, struct peer *server)
{
    SecPkgContext_Sizes sizes;
    if (QueryContextAttributesA(&client->ctx, SECPKG_ATTR_SIZES, &sizes) != SEC_E_OK)
        return;
    char text[] = "Hello from the client";
    unsigned char signature[64], trailer[64];
    SecBuffer sb[2] = {{sizeof text - 1, SECBUFFER_DATA, text}, {sizes.cbMaxSignature, SECBUFFER_TOKEN, signature}};
    SecBufferDesc sd = {SECBUFFER_VERSION, 2, sb};
    step("sign", "A signed message: MakeSignature (client), VerifySignature (server)");
    field("message", "\"%s\"", text);
    status_field("MakeSignature", MakeSignature(&client->ctx, 0, &sd, 0));
    char hex[2 * sizeof signature + 1] = "";
    for (ULONG i = 0; i < sb[1].cbBuffer && i < sizeof signature; i++)
        sprintf(hex + 2 * i, "%02x", signature[i]);
    field("signature", "%s", hex);
    ULONG qop;
    SECURITY_STATUS verified = VerifySignature(&server->ctx, &sd, 0, &qop);
    status_field("VerifySignature", verified);
    end_step();
    char detail[512];
    const char *name = fakesspi_status_name(verified);
    snprintf(detail, sizeof detail, "\"%s\": %lu bytes in the clear + a %lu-byte signature\nsignature %s\n"
             "VerifySignature = %s", text, (unsigned long)sb[0].cbBuffer, (unsigned long)sb[1].cbBuffer, hex,
             name ? name : "?");
    diagram_add(DIAGRAM_CLIENT, DIAGRAM_SERVER, verified != SEC_E_OK, "MakeSignature -> VerifySignature", detail);

    SecBuffer eb[2] = {{sizes.cbSecurityTrailer, SECBUFFER_TOKEN, trailer}, {sizeof text - 1, SECBUFFER_DATA, text}};
    SecBufferDesc ed = {SECBUFFER_VERSION, 2, eb};
    step("seal", "A sealed message: EncryptMessage (client), DecryptMessage (server)");
    status_field("EncryptMessage", EncryptMessage(&client->ctx, 0, &ed, 0));
    char sealed[2 * sizeof text + 1] = "";
    for (size_t i = 0; i < sizeof text - 1; i++)
        sprintf(sealed + 2 * i, "%02x", (unsigned char)text[i]);
    field("on the wire", "%s", sealed);
    char trailer_hex[2 * sizeof trailer + 1] = "";
    for (ULONG i = 0; i < eb[0].cbBuffer && i < sizeof trailer; i++)
        sprintf(trailer_hex + 2 * i, "%02x", trailer[i]);
    field("trailer", "%s", trailer_hex);
    SECURITY_STATUS opened = DecryptMessage(&server->ctx, &ed, 0, &qop);
    status_field("DecryptMessage", opened);
    name = fakesspi_status_name(opened);
    snprintf(detail, sizeof detail, "%lu sealed bytes %s + a %lu-byte trailer\ntrailer %s\nDecryptMessage = %s: \"%.*s\"",
             (unsigned long)eb[1].cbBuffer, sealed, (unsigned long)eb[0].cbBuffer, trailer_hex, name ? name : "?",
             opened == SEC_E_OK ? (int)eb[1].cbBuffer : 0, opened == SEC_E_OK ? (char *)eb[1].pvBuffer : "");
    diagram_add(DIAGRAM_CLIENT, DIAGRAM_SERVER, opened != SEC_E_OK, "EncryptMessage -> DecryptMessage", detail);
    field("decrypted", "\"%.*s\"", (int)eb[1].cbBuffer, (char *)eb[1].pvBuffer);
    end_step();
}

static char misuse_report[8192];

static void capture(fakesspi_misuse_kind kind, const char *report, void *arg)
{
    (void)kind, (void)arg;
    snprintf(misuse_report, sizeof misuse_report, "%s", report);
}

static void misuse(struct peer *server)
{
    step("misuse", "The classic bug: CloseHandle on the token QueryContextAttributes(SECPKG_ATTR_ACCESS_TOKEN) lends");
    SecPkgContext_AccessToken lent;
    status_field("QueryContextAttributes", QueryContextAttributesA(&server->ctx, SECPKG_ATTR_ACCESS_TOKEN, &lent));
    field("handle", "%#lx, owned by the context: not the caller's to close", (unsigned long)(uintptr_t)lent.AccessToken);
    fakesspi_set_misuse_policy(FAKESSPI_POLICY_SILENT);
    fakesspi_set_misuse_callback(capture, NULL);
    char label[120];
    BOOL closed = CloseHandle(lent.AccessToken);
    snprintf(label, sizeof label, "CloseHandle(%#lx): MISUSE CLOSE_BORROWED", (unsigned long)(uintptr_t)lent.AccessToken);
    diagram_add(DIAGRAM_SERVER, DIAGRAM_SERVER, 1, label, "Windows: TRUE, and the context later closes a dead value");
    fakesspi_set_misuse_callback(NULL, NULL);
    field("CloseHandle", "%s", closed ? "TRUE, as on Windows: nothing stops it there" : "FALSE");
    if (json) {
        field("report", "%s", misuse_report);
    } else {
        printf("  %slibfakesspi reports:%s\n", RED, PLAIN);
        for (char *line = strtok(misuse_report, "\n"); line; line = strtok(NULL, "\n"))
            printf("    %s\n", line);
    }
    end_step();
}

/* ---- two processes: the same legs, the tokens carried over TCP ---- */

static int wire_lost(void)
{
    fflush(stdout);
    fprintf(stderr, "sspi-handshake: the peer closed the connection\n");
    return 1;
}

/* The server sends a frame after each of its calls and stops reading once it has returned SEC_E_OK. So
 * the client sends after each call until then; after it (Kerberos' and Negotiate's last leg takes the
 * server's AP-REP and makes no token) it sends nothing more: that frame would be read as the first
 * sealed message. */
static int remote_client(int fd, struct peer *client, const struct options *o)
{
    static unsigned char in[WIRE_MAX], out[WIRE_MAX];
    uint32_t in_len = 0;
    int server_done = 0;
    for (int leg = 1; leg <= 5; leg += 2) {
        ULONG out_len = sizeof out;
        SECURITY_STATUS cst = client_leg(client, o, leg, in, in_len, out, &out_len);
        if (server_done) {
            if (cst == SEC_E_OK && out_len == 0)
                return 0;
            return fail("InitializeSecurityContext (the server had finished)", going_on(cst) ? SEC_E_INTERNAL_ERROR
                                                                                              : cst);
        }
        if (wire_send(fd, cst, out, out_len))
            return wire_lost();
        if (!going_on(cst))
            return fail("InitializeSecurityContext", cst);
        int32_t sst;
        if (wire_recv(fd, &sst, in, sizeof in, &in_len))
            return wire_lost();
        if (!going_on(sst)) {
            step("refused", "The server refused the client's token");
            status_field("server's status", sst);
            end_step();
            char label[160];
            const char *name = fakesspi_status_name(sst);
            snprintf(label, sizeof label, "the server refused: %s", name ? name : "?");
            diagram_add(DIAGRAM_CLIENT, DIAGRAM_CLIENT, 1, label,
                        "its AcceptSecurityContext failed on the client's token: no access token is made, and "
                        "the exchange ends here");
            return fail("the server's AcceptSecurityContext", sst);
        }
        if (sst == SEC_E_OK && cst == SEC_E_OK)
            return 0;
        server_done = sst == SEC_E_OK;
    }
    return fail("the exchange (it did not finish in six legs)", SEC_E_INTERNAL_ERROR);
}

static int remote_server(int fd, struct peer *server)
{
    static unsigned char in[WIRE_MAX], out[WIRE_MAX];
    for (int leg = 2; leg <= 6; leg += 2) {
        int32_t cst;
        uint32_t in_len;
        if (wire_recv(fd, &cst, in, sizeof in, &in_len))
            return wire_lost();
        if (!going_on(cst)) {
            char label[160];
            const char *name = fakesspi_status_name(cst);
            snprintf(label, sizeof label, "the client stopped: %s", name ? name : "?");
            diagram_add(DIAGRAM_SERVER, DIAGRAM_SERVER, 1, label,
                        "its InitializeSecurityContext failed: no token came, so no access token is made");
            return fail("the client's InitializeSecurityContext", cst);
        }
        ULONG out_len = sizeof out;
        SECURITY_STATUS sst = server_leg(server, leg, in, in_len, out, &out_len);
        if (wire_send(fd, sst, out, out_len))
            return wire_lost();
        if (!going_on(sst))
            return fail("AcceptSecurityContext", sst);
        if (sst == SEC_E_OK)
            return 0;
    }
    return fail("the exchange (it did not finish in six legs)", SEC_E_INTERNAL_ERROR);
}

/* A sealed message on the wire is the security trailer followed by the encrypted data, as Windows
 * programs commonly frame it; each side knows the trailer's size from SECPKG_ATTR_SIZES. */
static int send_sealed(int fd, struct peer *p, enum diagram_side side, const char *text)
{
    SecPkgContext_Sizes sizes;
    unsigned char frame[1024];
    size_t n = strlen(text);
    if (QueryContextAttributesA(&p->ctx, SECPKG_ATTR_SIZES, &sizes) != SEC_E_OK ||
        sizes.cbSecurityTrailer + n > sizeof frame)
        return fail("QueryContextAttributes(SECPKG_ATTR_SIZES)", SEC_E_INTERNAL_ERROR);
    memcpy(frame + sizes.cbSecurityTrailer, text, n);
    SecBuffer b[2] = {{sizes.cbSecurityTrailer, SECBUFFER_TOKEN, frame},
                      {(ULONG)n, SECBUFFER_DATA, frame + sizes.cbSecurityTrailer}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    step("send sealed", "This side seals a message and sends it (EncryptMessage)");
    field("message", "\"%s\"", text);
    SECURITY_STATUS st = EncryptMessage(&p->ctx, 0, &d, 0);
    status_field("EncryptMessage", st);
    end_step();
    char detail[400];
    snprintf(detail, sizeof detail, "\"%.200s\" sealed\n+ a %lu-byte trailer", text, (unsigned long)b[0].cbBuffer);
    diagram_add(side, side == DIAGRAM_CLIENT ? DIAGRAM_SERVER : DIAGRAM_CLIENT, st != SEC_E_OK,
                st == SEC_E_OK ? "EncryptMessage = SEC_E_OK" : "EncryptMessage failed", detail);
    if (st != SEC_E_OK)
        return fail("EncryptMessage", st);
    return wire_send(fd, st, frame, b[0].cbBuffer + b[1].cbBuffer) ? wire_lost() : 0;
}

static int recv_sealed(int fd, struct peer *p, enum diagram_side side)
{
    SecPkgContext_Sizes sizes;
    static unsigned char frame[WIRE_MAX];
    int32_t sent;
    uint32_t len;
    if (wire_recv(fd, &sent, frame, sizeof frame, &len))
        return wire_lost();
    if (QueryContextAttributesA(&p->ctx, SECPKG_ATTR_SIZES, &sizes) != SEC_E_OK || len < sizes.cbSecurityTrailer)
        return fail("reading the sealed message", SEC_E_INCOMPLETE_MESSAGE);
    SecBuffer b[2] = {{sizes.cbSecurityTrailer, SECBUFFER_TOKEN, frame},
                      {len - sizes.cbSecurityTrailer, SECBUFFER_DATA, frame + sizes.cbSecurityTrailer}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop;
    step("receive sealed", "This side receives a sealed message and opens it (DecryptMessage)");
    field("bytes received", "%lu", (unsigned long)len);
    SECURITY_STATUS st = DecryptMessage(&p->ctx, &d, 0, &qop);
    status_field("DecryptMessage", st);
    if (st == SEC_E_OK)
        field("decrypted", "\"%.*s\"", (int)b[1].cbBuffer, (char *)b[1].pvBuffer);
    end_step();
    char label[300];
    const char *name = fakesspi_status_name(st);
    if (st == SEC_E_OK)
        snprintf(label, sizeof label, "DecryptMessage = SEC_E_OK: \"%.*s\"",
                 (int)(b[1].cbBuffer > 200 ? 200 : b[1].cbBuffer), (char *)b[1].pvBuffer);
    else
        snprintf(label, sizeof label, "DecryptMessage = %s", name ? name : "?");
    diagram_add(side, side, st != SEC_E_OK, label, "the message received, opened");
    return st == SEC_E_OK ? 0 : fail("DecryptMessage", st);
}

static int run_remote(const struct options *o, struct peer *client, struct peer *server)
{
    int server_side = o->listen >= 0;
    int fd = server_side ? wire_listen((unsigned)o->listen) : wire_connect(o->connect);
    if (fd < 0)
        return 1;
    int rc;
    if (server_side) {
        rc = acquire(server, o, 1) || remote_server(fd, server);
        if (!rc) {
            names(NULL, server);
            client_token(server);
            impersonation(server);
            SecPkgContext_NamesA n;
            char reply[300] = "Hello";
            if (QueryContextAttributesA(&server->ctx, SECPKG_ATTR_NAMES, &n) == SEC_E_OK) {
                snprintf(reply, sizeof reply, "Hello, %s", n.sUserName);
                FreeContextBuffer(n.sUserName);
            }
            rc = recv_sealed(fd, server, DIAGRAM_SERVER) || send_sealed(fd, server, DIAGRAM_SERVER, reply);
            if (!rc && o->misuse)
                misuse(server);
        }
    } else {
        rc = acquire(client, o, 0) || remote_client(fd, client, o);
        if (!rc) {
            names(client, NULL);
            rc = send_sealed(fd, client, DIAGRAM_CLIENT, "Hello from the client") ||
                 recv_sealed(fd, client, DIAGRAM_CLIENT);
        }
    }
    close(fd);
    return rc;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: sspi-handshake [--user NAME] [--password PASS] [--domain NAME] [--target SPN]\n"
            "                      [--package NTLM|Kerberos|Negotiate] [--misuse] [--json] [--color|--no-color]\n"
            "                      [--listen PORT | --connect HOST:PORT] [--html FILE] [--pcap FILE]\n"
            "                      [--pcap-carrier http|tcp] [--keytab FILE]\n"
            "\n"
            "Runs an SSPI client and server in this process against the fake domain and explains each step:\n"
            "  the credentials each side acquires;\n"
            "  every leg: who calls InitializeSecurityContext or AcceptSecurityContext, the context flags asked\n"
            "    for and granted (ISC_REQ_/ISC_RET_, ASC_REQ_/ASC_RET_), the status by name and what it means\n"
            "    (SEC_I_CONTINUE_NEEDED: send the token and call again), and the token explained field by field;\n"
            "    on each side's last leg, why a flag asked for did not come and what a granted one really proves\n"
            "    (NTLM's ISC_RET_MUTUAL_AUTH proves nothing about the server; Kerberos' AP-REP does);\n"
            "  what the server learnt: the client's name, its access token (user, groups, privileges, level);\n"
            "  impersonation, then a signed and a sealed message going from client to server;\n"
            "  with --misuse, what closing the access token that a context only lends does, and what Windows\n"
            "    would have done.\n"
            "With --listen PORT this process is only the server, waiting on 127.0.0.1:PORT (0: any free port,\n"
            "which it names on stderr); with --connect HOST:PORT it is only the client of such a server. The\n"
            "tokens then cross a real TCP connection, each side explains its own legs, and the client and\n"
            "server exchange a sealed message each way.\n"
            "With --html FILE it also writes the run as a page with a sequence diagram (with --listen or\n"
            "--connect, this process's side only: its calls, the tokens and messages it sends): whose\n"
            "credentials each side acquired, each leg's call, status, token and flags asked for and granted, the\n"
            "access token made at logon, lent and duplicated, impersonation and revert, the signed and sealed\n"
            "messages with their signature and trailer, any misuse in red, and a refused logon with no token.\n"
            "With --pcap FILE it also writes the exchange as a pcapng capture for Wireshark or tshark\n"
            "(FAKESSPI_PCAP's writer); with --listen or --connect each side writes the exchange as it saw it.\n"
            "--pcap-carrier http (the default) puts each token in an Authorization or WWW-Authenticate header,\n"
            "as a browser and a web server carry it, on port 80; --pcap-carrier tcp frames the tokens and the\n"
            "signed and sealed messages as the SSPI socket samples do (a 32-bit little-endian length, the\n"
            "server's status before each answer) on port 7070, which Wireshark reads with\n"
            "-X lua_script:fakesspi-sspi.lua (installed in the package's data directory). With --keytab FILE it\n"
            "writes the target service's keys as an MIT keytab, with which Wireshark opens the ticket:\n"
            "tshark -o kerberos.decrypt:TRUE -o kerberos.file:FILE -r CAPTURE.\n"
            "\n"
            "Packages: NTLM (three legs), Kerberos (an AP-REQ and, as mutual authentication is asked, the\n"
            "server's AP-REP; no KDC: the target must be an SPN of the domain, such as HTTP/server.example.test),\n"
            "Negotiate (SPNEGO around Kerberos for an SPN of the domain, around NTLM otherwise).\n"
            "Defaults: EXAMPLE\\bob with password Hunter2!, target HOST/server.example.test, package NTLM.\n"
            "FAKESSPI_SEED, FAKESSPI_DOMAIN and FAKESSPI_TRACE work here as everywhere. A wrong password shows\n"
            "the exchange failing on the last leg with SEC_E_LOGON_DENIED. The process itself runs as\n"
            "EXAMPLE\\alice (FAKESSPI_USER), so impersonation shows the thread changing identity.\n"
            "Exit status: 0 when the exchange and the messages succeed, 1 when a step fails, 2 on bad usage.\n");
}

int main(int argc, char **argv)
{
    xo_program = "sspi-handshake";
    struct options o = {"bob", "Hunter2!", "EXAMPLE", "HOST/server.example.test", "NTLM", 0, 0,
                        isatty(STDOUT_FILENO), NULL, NULL, -1, NULL, "http", NULL};
    static const struct option longs[] = {
        {"user", required_argument, NULL, 'u'},  {"password", required_argument, NULL, 'p'},
        {"domain", required_argument, NULL, 'd'}, {"target", required_argument, NULL, 't'},
        {"package", required_argument, NULL, 'k'}, {"misuse", no_argument, NULL, 'm'},
        {"json", no_argument, NULL, 'j'},         {"color", no_argument, NULL, 'c'},
        {"no-color", no_argument, NULL, 'n'},     {"help", no_argument, NULL, 'h'},
        {"listen", required_argument, NULL, 'l'},  {"connect", required_argument, NULL, 'C'},
        {"html", required_argument, NULL, 'H'},    {"pcap", required_argument, NULL, 'P'},
        {"keytab", required_argument, NULL, 'K'},  {"pcap-carrier", required_argument, NULL, 'F'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "u:p:d:t:k:mjh", longs, NULL)) != -1) {
        switch (c) {
        case 'u': o.user = optarg; break;
        case 'p': o.password = optarg; break;
        case 'd': o.domain = optarg; break;
        case 't': o.target = optarg; break;
        case 'k': o.package = optarg; break;
        case 'm': o.misuse = 1; break;
        case 'j': o.json = 1; break;
        case 'c': o.color = 1; break;
        case 'n': o.color = 0; break;
        case 'h': usage(stdout); return 0;
        case 'C': o.connect = optarg; break;
        case 'H': o.html = optarg; break;
        case 'P': o.pcap = optarg; break;
        case 'K': o.keytab = optarg; break;
        case 'F': o.carrier = optarg; break;
        case 'l': {
            char *end;
            long port = strtol(optarg, &end, 10);
            if (*end || port < 0 || port > 65535) {
                fprintf(stderr, "sspi-handshake: --listen wants a port from 0 to 65535, not '%s'\n", optarg);
                return 2;
            }
            o.listen = (int)port;
            break;
        }
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc || (o.connect && o.listen >= 0)) {
        usage(stderr);
        return 2;
    }
    if (strcmp(o.carrier, "http") && strcmp(o.carrier, "tcp")) {
        fprintf(stderr, "sspi-handshake: --pcap-carrier %s: the carriers are http and tcp\n", o.carrier);
        return 2;
    }
    if (strcasecmp(o.package, "NTLM") && strcasecmp(o.package, "Kerberos") && strcasecmp(o.package, "Negotiate")) {
        fprintf(stderr, "sspi-handshake: package %s: the packages are NTLM, Kerberos and Negotiate\n", o.package);
        return 2;
    }
    json = o.json;
    drawing = o.html != NULL;
    /* Reports without stacks: the tool's output is for reading, and the same run prints the same text. */
    fakesspi_set_backtraces(0);
    color = o.color && !json;
    /* The library writes the capture: every token and sealed message of this process, as they happen. */
    if (o.pcap && fakesspi_set_pcap(o.pcap, o.carrier)) {
        fprintf(stderr, "sspi-handshake: cannot write %s: %s\n", o.pcap, fakesspi_last_message());
        return 1;
    }
    if (json)
        printf("[");
    struct peer client = {0}, server = {0};
    int remote = o.connect || o.listen >= 0;
    int rc = remote ? run_remote(&o, &client, &server) : acquire(&client, &o, 0) || acquire(&server, &o, 1);
    if (!rc && !remote)
        rc = exchange(&client, &server, &o);
    if (!rc && !remote) {
        names(&client, &server);
        client_token(&server);
        impersonation(&server);
        messages(&client, &server);
        if (o.misuse)
            misuse(&server);
    }
    if (client.has_ctx)
        DeleteSecurityContext(&client.ctx);
    if (server.has_ctx) {
        DeleteSecurityContext(&server.ctx);
        diagram_add(DIAGRAM_SERVER, DIAGRAM_SERVER, 0, "DeleteSecurityContext",
                    server.done ? "its own token and every handle it lent die with it"
                                : "the half-made context ends; it never had an access token");
    }
    if (client.has_cred)
        FreeCredentialsHandle(&client.cred);
    if (server.has_cred)
        FreeCredentialsHandle(&server.cred);
    if (json)
        printf("\n]\n");
    char title[64];
    snprintf(title, sizeof title, "%s %s handshake, %s", strcasecmp(o.package, "NTLM") ? "A" : "An", o.package,
             o.listen >= 0 ? "the server's side" : o.connect ? "the client's side" : "step by step");
    if (o.html && diagram_write(o.html, title)) {
        fprintf(stderr, "sspi-handshake: cannot write %s: %s\n", o.html, strerror(errno));
        rc = 1;
    }
    diagram_clear();
    if (o.pcap)
        fakesspi_set_pcap(NULL, NULL); /* after the contexts died: their connection's FINs are in */
    char why[256];
    if (o.keytab && keytab_write(o.keytab, o.target, why, sizeof why)) {
        fprintf(stderr, "sspi-handshake: cannot write the keytab %s: %s\n", o.keytab, why);
        rc = 1;
    }
    return rc;
}
