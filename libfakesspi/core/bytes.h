/* A bounds-checked reader and a growing writer: every wire parser and builder goes through them. */
#ifndef FS_CORE_BYTES_H
#define FS_CORE_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* Reads never run past the end: a failed read sets failed and returns zeros, so a parser can
 * read a whole header and check failed once. */
struct fs_reader {
    const uint8_t *data;
    size_t len;
    size_t pos;
    int failed;
};

void fs_reader_init(struct fs_reader *r, const void *data, size_t len);
uint8_t fs_read_u8(struct fs_reader *r);
uint16_t fs_read_u16le(struct fs_reader *r);
uint32_t fs_read_u32le(struct fs_reader *r);
uint64_t fs_read_u64le(struct fs_reader *r);
/* Copies n bytes into out (zeros on failure). */
void fs_read_bytes(struct fs_reader *r, void *out, size_t n);
/* A view of n bytes at absolute offset; NULL (and failed) if they are not all inside. */
const uint8_t *fs_reader_slice(struct fs_reader *r, size_t offset, size_t n);

struct fs_writer {
    uint8_t *data;
    size_t len;
    size_t cap;
    int failed; /* an allocation failed: the content is incomplete */
};

void fs_writer_init(struct fs_writer *w);
void fs_writer_free(struct fs_writer *w);
void fs_write_u8(struct fs_writer *w, uint8_t v);
void fs_write_u16le(struct fs_writer *w, uint16_t v);
void fs_write_u32le(struct fs_writer *w, uint32_t v);
void fs_write_u64le(struct fs_writer *w, uint64_t v);
/* Big-endian, for the formats that are (MIT's keytab, pcapng's IP and TCP headers). */
void fs_write_u16be(struct fs_writer *w, uint16_t v);
void fs_write_u32be(struct fs_writer *w, uint32_t v);
void fs_write_bytes(struct fs_writer *w, const void *data, size_t n);
void fs_write_zeros(struct fs_writer *w, size_t n);
/* n more bytes at the end, for the caller to fill in place; NULL once the writer has failed. */
uint8_t *fs_write_space(struct fs_writer *w, size_t n);
/* Overwrites bytes already written (for fields whose value is known later). */
/* text as exactly 2n hex digits (either case) into out: 0, or -1 (out untouched) for anything else. */
int fs_hex_decode(const char *text, uint8_t *out, size_t n);

void fs_writer_patch_u16le(struct fs_writer *w, size_t at, uint16_t v);
void fs_writer_patch_u32le(struct fs_writer *w, size_t at, uint32_t v);

#endif
