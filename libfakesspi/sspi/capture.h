/* FAKESSPI_PCAP: every token InitializeSecurityContext and AcceptSecurityContext hand out, and every sealed
 * message, written as it happens to a pcapng file as packets of one synthetic TCP connection per context
 * pair (core/pcap.h draws the packets). */
#ifndef FS_SSPI_CAPTURE_H
#define FS_SSPI_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "core/pcap.h"

/* Opens path for a new capture (NULL or "" stops capturing and closes the file); the same path as before
 * goes on writing to the open file, its connections kept (a reset has ended them all by then: their contexts
 * died first). Returns 0, or -1 when the file cannot be opened (then nothing is captured). */
int fs_capture_configure(const char *path, enum fs_pcap_carrier carrier);
/* 1 while a capture is being written. */
int fs_capture_active(void);

/* After a leg on ctx (its lock held): in is the token the caller gave, out the one it got (NULL, 0 when
 * none), status the call's SECURITY_STATUS. A server context's first leg joins the connection of the client
 * context of this process whose last token is `in`, and is otherwise a connection of its own, whose
 * client is elsewhere. */
void fs_capture_leg(struct fs_context *ctx, const uint8_t *in, size_t in_len, int32_t status, const uint8_t *out,
                    size_t out_len);
/* A sealed message (sealed 1) or a signed one (0): sent by ctx (EncryptMessage or MakeSignature, after it),
 * or received by it (DecryptMessage or VerifySignature, before it: written only when the sender is not a
 * context of this process). trailer is the security trailer or the signature. */
void fs_capture_message(struct fs_context *ctx, int sent, int sealed, const uint8_t *trailer, size_t trailer_len,
                        const uint8_t *data, size_t data_len);
/* The context is being destroyed: its connection ends (FIN), once both sides are gone. */
void fs_capture_forget(struct fs_context *ctx);

#endif
