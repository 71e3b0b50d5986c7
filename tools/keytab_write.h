/* MIT keytabs (file format version 0x502) of the fake domain's service keys, for Wireshark/tshark
 * (-o kerberos.decrypt:TRUE -o kerberos.file:FILE), MIT's klist -k, and sspi-decode --keytab. */
#ifndef TOOLS_KEYTAB_WRITE_H
#define TOOLS_KEYTAB_WRITE_H

#include <stddef.h>

/* The long-term keys (AES256 and AES128, kvno KRB_KVNO) of the account that registers spn in the current
 * domain, under that SPN; with spn NULL, every SPN of every account of the domain. The keytab's timestamp is
 * the fake domain's start of time, so a run's bytes repeat. 0, or -1 with a message in why. */
int keytab_write(const char *path, const char *spn, char *why, size_t cap);

#endif
