/* A small, strict DER codec for what Kerberos (RFC 4120) and SPNEGO (RFC 4178) put on the wire:
 * single-byte tags, definite minimal lengths, INTEGER, OCTET STRING, GeneralString, GeneralizedTime,
 * BIT STRING flags, OBJECT IDENTIFIER and ENUMERATED. Anything else is refused, never guessed at. */
#ifndef FS_PACKAGES_DER_H
#define FS_PACKAGES_DER_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"

#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_OCTET_STRING 0x04
#define DER_OID 0x06
#define DER_ENUMERATED 0x0A
#define DER_SEQUENCE 0x30
#define DER_GENERALIZED_TIME 0x18
#define DER_GENERAL_STRING 0x1B
#define DER_CTX(n) (0xA0 | (n))         /* [n] EXPLICIT, constructed */
#define DER_APP(n) (0x60 | (n))         /* [APPLICATION n], constructed */

/* The first thing that went wrong while reading, shared by a cursor and every cursor inside it. */
struct der_error {
    int failed;
    size_t offset;       /* from the start of the outermost input */
    const char *what;    /* "expected tag 0x30", "length runs past the end", ... */
    int nomem;           /* the failure was an allocation, not the input */
};

/* A cursor over the contents of one element (or over a whole input). */
struct der {
    const uint8_t *p;
    size_t len;
    const uint8_t *origin;  /* start of the outermost input, for offsets */
    struct der_error *err;
};

void der_init(struct der *d, const void *data, size_t len, struct der_error *err);
/* 1 when the next element carries tag (and nothing has failed). */
int der_peek(const struct der *d, uint8_t tag);
/* The next element, which must carry tag: a cursor over its contents. On mismatch the error is set
 * and the returned cursor is empty. */
struct der der_enter(struct der *d, uint8_t tag);
/* Like der_enter for an OPTIONAL element: 0 (and nothing consumed) when the tag is not next. */
int der_enter_optional(struct der *d, uint8_t tag, struct der *inner);
/* The next element whole (tag, length and contents), for copying or hashing as it came. */
struct der der_take_raw(struct der *d, uint8_t tag);
/* Fails the read unless every byte was consumed: DER has no trailing garbage. */
void der_expect_end(struct der *d);
int der_ok(const struct der *d);
void der_fail(struct der *d, const char *what);

/* Primitive values: each reads one element with the universal tag named. */
int64_t der_read_int(struct der *d);                 /* INTEGER, at most 64 bits, minimal */
uint32_t der_read_uint32(struct der *d);             /* INTEGER in 0..2^32-1 (Kerberos UInt32) */
int64_t der_read_enum(struct der *d);
struct der der_read_octets(struct der *d);           /* OCTET STRING contents */
/* GeneralString/KerberosString into a NEW NUL-terminated string; NULL on failure or embedded NUL. */
char *der_read_string(struct der *d);
uint64_t der_read_time(struct der *d);               /* KerberosTime as a FILETIME */
uint32_t der_read_flags(struct der *d);              /* KerberosFlags: the first 32 bits, bit 0 = MSB */
struct der der_read_oid(struct der *d);              /* OID contents (encoded arcs) */
/* The same, each inside a [n] EXPLICIT tag (RFC 4120's SEQUENCE fields), the tag's contents read whole. */
int64_t der_read_ctx_int(struct der *d, unsigned n);
uint32_t der_read_ctx_uint32(struct der *d, unsigned n);
char *der_read_ctx_string(struct der *d, unsigned n);
uint64_t der_read_ctx_time(struct der *d, unsigned n);

/* Writers. der_open writes tag and a placeholder; der_close fixes the length once the contents
 * are known. Failures are recorded in w->failed, like every other writer. */
size_t der_open(struct fs_writer *w, uint8_t tag);
void der_close(struct fs_writer *w, size_t mark);
void der_put_int(struct fs_writer *w, int64_t v);
void der_put_enum(struct fs_writer *w, int64_t v);
void der_put_octets(struct fs_writer *w, const void *data, size_t n);
void der_put_string(struct fs_writer *w, const char *s);
void der_put_time(struct fs_writer *w, uint64_t filetime);
void der_put_flags(struct fs_writer *w, uint32_t flags);
void der_put_oid(struct fs_writer *w, const uint8_t *arcs, size_t n);
/* An element that is already DER (copied as is). */
void der_put_raw(struct fs_writer *w, const void *data, size_t n);
/* [n] EXPLICIT around one element: the field shape of nearly every RFC 4120 and RFC 4178 SEQUENCE. */
void der_put_ctx_int(struct fs_writer *w, unsigned n, int64_t v);
void der_put_ctx_string(struct fs_writer *w, unsigned n, const char *s);
void der_put_ctx_time(struct fs_writer *w, unsigned n, uint64_t filetime);
void der_put_ctx_enum(struct fs_writer *w, unsigned n, int64_t v);
void der_put_ctx_octets(struct fs_writer *w, unsigned n, const void *data, size_t len);
void der_put_ctx_oid(struct fs_writer *w, unsigned n, const uint8_t *arcs, size_t len);
void der_put_ctx_raw(struct fs_writer *w, unsigned n, const void *data, size_t len);

/* An OID's contents in dotted form ("1.2.840.113554.1.2.2"); the text is cut at cap-1. */
void der_oid_format(const uint8_t *oid, size_t len, char *out, size_t cap);

/* KerberosTime text ("20250101000000Z") <-> FILETIME; 0 on success. */
int der_time_format(uint64_t filetime, char out[16]);
int der_time_parse(const char *text, size_t n, uint64_t *filetime);

#endif
