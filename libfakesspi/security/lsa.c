/* The LSA's connection and policy objects, and its list of authentication packages (doc/semantics.md §44). */
#include "lsa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/utf.h"

static void destroy(struct fs_object *obj) { free(obj); }

static void describe_connection(const struct fs_object *obj, char *buf, size_t size)
{
    const struct fs_lsa_connection *c = (const struct fs_lsa_connection *)obj;
    if (c->trusted)
        snprintf(buf, size, "logon process \"%s\"", c->name);
    else
        snprintf(buf, size, "untrusted connection");
}

const struct fs_object_ops fs_lsa_connection_ops = {
    .name = "LSA connection", .leak_name = "LSA_HANDLE", .describe = describe_connection, .destroy = destroy};
const struct fs_object_ops fs_lsa_policy_ops = {.name = "LSA policy", .leak_name = "LSA_HANDLE", .destroy = destroy};

fs_err fs_lsa_connection_new(int trusted, const char *name, size_t len, struct fs_lsa_connection **out)
{
    struct fs_lsa_connection *c = fs_calloc(1, sizeof *c);
    if (!c)
        return FS_E_NOMEM;
    fs_object_init(&c->base, &fs_lsa_connection_ops);
    c->trusted = trusted;
    if (len >= sizeof c->name)
        len = sizeof c->name - 1;
    if (name)
        memcpy(c->name, name, len);
    *out = c;
    return FS_OK;
}

fs_err fs_lsa_policy_new(struct fs_lsa_policy **out)
{
    struct fs_lsa_policy *p = fs_calloc(1, sizeof *p);
    if (!p)
        return FS_E_NOMEM;
    fs_object_init(&p->base, &fs_lsa_policy_ops);
    *out = p;
    return FS_OK;
}

static const char *const package_names[FS_LSA_PACKAGE_COUNT] = {
    [FS_LSA_PACKAGE_NEGOTIATE] = "Negotiate",
    [FS_LSA_PACKAGE_KERBEROS] = "Kerberos",
    [FS_LSA_PACKAGE_MSV1_0] = "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0",
};

fs_err fs_lsa_package_by_name(const char *name, size_t len, unsigned *id)
{
    char text[128];
    if (!name || len >= sizeof text)
        return FS_E_NO_SUCH_PACKAGE;
    memcpy(text, name, len);
    text[len] = '\0';
    for (unsigned i = 0; i < FS_LSA_PACKAGE_COUNT; i++)
        if (strlen(text) == len && fs_ascii_casecmp(text, package_names[i]) == 0) {
            *id = i;
            return FS_OK;
        }
    return FS_E_NO_SUCH_PACKAGE;
}
