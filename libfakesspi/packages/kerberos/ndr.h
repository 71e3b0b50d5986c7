/* NDR (C706 chapter 14, little-endian) in MS-RPCE 2.2.6's type serialization version 1: the writer and
 * reader for the few constructions a PAC's KERB_VALIDATION_INFO uses (MS-PAC 2.5). */
#ifndef FS_KERBEROS_NDR_H
#define FS_KERBEROS_NDR_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/error.h"
#include "security/sid.h"

/* The body of a serialized object: alignment is counted from its first byte. */
struct ndr_writer {
    struct fs_writer w;
    uint32_t next_referent;     /* unique pointers' referent IDs: 0x00020000, then +4, as Windows numbers them */
};

void ndr_writer_init(struct ndr_writer *n);
void ndr_writer_free(struct ndr_writer *n);
void ndr_align(struct ndr_writer *n, size_t to);
void ndr_put_u16(struct ndr_writer *n, uint16_t v);
void ndr_put_u32(struct ndr_writer *n, uint32_t v);
/* A FILETIME: two ULONGs, low part first. */
void ndr_put_filetime(struct ndr_writer *n, uint64_t v);
/* A unique pointer: a fresh referent ID, or 0 for NULL. */
void ndr_put_pointer(struct ndr_writer *n, int present);
/* RPC_UNICODE_STRING's fixed part (Length, MaximumLength, the buffer's pointer) for units UTF-16 units;
 * its buffer follows with the deferred pointees (ndr_put_string_units). */
void ndr_put_string_header(struct ndr_writer *n, size_t units);
/* The deferred buffer: a conformant varying array of WCHAR (max count, offset 0, actual count). */
void ndr_put_string_units(struct ndr_writer *n, const uint16_t *s, size_t units);
/* RPC_SID: the conformant structure, its sub-authority count hoisted in front. */
void ndr_put_sid(struct ndr_writer *n, const struct fs_sid *sid);
/* The body with MS-RPCE 2.2.6.1's common header and 2.2.6.2's private header in front and zero padding
 * to a multiple of 8 behind, appended to out. */
void ndr_serialize(const struct ndr_writer *body, struct fs_writer *out);

struct ndr_reader {
    struct fs_reader r;         /* over the body only: positions are the body's */
};

struct ndr_string {
    uint16_t length, max_length;    /* bytes */
    uint32_t pointer;
};

/* Checks the two headers (version 1, little-endian, the lengths inside the input) and opens the body. */
FS_MUST_CHECK fs_err ndr_deserialize(const uint8_t *in, size_t len, struct ndr_reader *out);
void ndr_skip_align(struct ndr_reader *n, size_t to);
uint16_t ndr_get_u16(struct ndr_reader *n);
uint32_t ndr_get_u32(struct ndr_reader *n);
uint64_t ndr_get_filetime(struct ndr_reader *n);
void ndr_get_string_header(struct ndr_reader *n, struct ndr_string *s);
/* The deferred buffer of s as NEW UTF-8 (NULL pointer: ""), NULL with the reader failed when its counts
 * disagree with the header or the text is not UTF-16; *nomem set when only memory failed. */
char *ndr_get_string_units(struct ndr_reader *n, const struct ndr_string *s, int *nomem);
/* An RPC_SID; the reader fails on a count above 15 or a revision other than 1. */
void ndr_get_sid(struct ndr_reader *n, struct fs_sid *sid);

#endif
