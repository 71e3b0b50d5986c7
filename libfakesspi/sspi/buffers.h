/* The caller's SecBufferDesc, and memory handed out for FreeContextBuffer. */
#ifndef FS_SSPI_BUFFERS_H
#define FS_SSPI_BUFFERS_H

#include "core/bytes.h"
#include "core/error.h"
#include "sspi.h"

/* The first buffer of type (attribute bits ignored), or NULL. A malformed descriptor gives NULL. */
PSecBuffer fs_buffers_find(PSecBufferDesc desc, ULONG type);
/* Hands token to the caller: into their TOKEN buffer, or into new memory under ALLOCATE_MEMORY
 * (doc/semantics.md §7). An empty token sets cbBuffer to 0 and needs no buffer at all; a TOKEN buffer big
 * enough but with a NULL pvBuffer gets only the length (doc/semantics.md §46). */
FS_MUST_CHECK fs_err fs_buffers_put_token(PSecBufferDesc out, int allocate, const struct fs_writer *token, const char *api);

/* The same in two steps, for a leg that may still fail after its token is made (a replay found when the
 * authenticator is remembered): reserve checks that the token fits, or allocates its memory, and changes
 * nothing the caller sees; write then hands the token over, or drop gives the memory back. */
struct fs_token_slot {
    PSecBuffer buffer;
    void *memory; /* under ALLOCATE_MEMORY, until written */
    int allocate;
};
FS_MUST_CHECK fs_err fs_buffers_reserve_token(PSecBufferDesc out, int allocate, const struct fs_writer *token,
                                              const char *api, struct fs_token_slot *slot);
void fs_buffers_write_token(struct fs_token_slot *slot, const struct fs_writer *token);
void fs_buffers_drop_token(struct fs_token_slot *slot, const char *api);

/* NEW memory the caller frees with FreeContextBuffer. */
void *fs_context_buffer(size_t size, const char *api);
/* NEW copies of s for the A (UTF-8) or W (UTF-16) form of an attribute. */
void *fs_context_string(const char *s, int wide, const char *api);
/* The bytes s takes in the A or W form, its terminator included; and writing it there (returns that size). */
size_t fs_context_string_size(const char *s, int wide);
size_t fs_context_string_put(char *p, const char *s, int wide);

#endif
