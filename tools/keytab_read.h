/* sspi-decode --keytab: an MIT keytab's keys (tools only), to open tickets of a realm the fake domain is not. */
#ifndef TOOLS_KEYTAB_READ_H
#define TOOLS_KEYTAB_READ_H

#include <stddef.h>
#include <stdint.h>

#include "packages/kerberos/krb_crypto.h"

struct keytab_entry {
    char principal[256]; /* "HTTP/server.mit.test@MIT.TEST" */
    uint32_t kvno;
    struct krb_key key;
};

/* Reads a version 0x502 keytab; keeps the entries of the enctypes libfakesspi has (AES128, AES256). 0, or -1
 * with a message in why. */
int keytab_load(const char *path, char *why, size_t cap);
/* The entries kept, in file order. */
const struct keytab_entry *keytab_entries(size_t *n);

#endif
