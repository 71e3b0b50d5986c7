/* MS-NLMP 2.2 wire messages: NEGOTIATE, CHALLENGE, AUTHENTICATE, and AV pairs. */
#ifndef FS_NTLM_MESSAGES_H
#define FS_NTLM_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"

#define NTLMSSP_NEGOTIATE_UNICODE 0x00000001u
#define NTLMSSP_NEGOTIATE_OEM 0x00000002u
#define NTLMSSP_REQUEST_TARGET 0x00000004u
#define NTLMSSP_NEGOTIATE_SIGN 0x00000010u
#define NTLMSSP_NEGOTIATE_SEAL 0x00000020u
#define NTLMSSP_NEGOTIATE_DATAGRAM 0x00000040u
#define NTLMSSP_NEGOTIATE_LM_KEY 0x00000080u
#define NTLMSSP_NEGOTIATE_NTLM 0x00000200u
#define NTLMSSP_NEGOTIATE_ANONYMOUS 0x00000800u
#define NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED 0x00001000u
#define NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED 0x00002000u
#define NTLMSSP_NEGOTIATE_ALWAYS_SIGN 0x00008000u
#define NTLMSSP_TARGET_TYPE_DOMAIN 0x00010000u
#define NTLMSSP_TARGET_TYPE_SERVER 0x00020000u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_IDENTIFY 0x00100000u
#define NTLMSSP_REQUEST_NON_NT_SESSION_KEY 0x00400000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO 0x00800000u
#define NTLMSSP_NEGOTIATE_VERSION 0x02000000u
#define NTLMSSP_NEGOTIATE_128 0x20000000u
#define NTLMSSP_NEGOTIATE_KEY_EXCH 0x40000000u
#define NTLMSSP_NEGOTIATE_56 0x80000000u

#define NTLM_NEGOTIATE 1u
#define NTLM_CHALLENGE 2u
#define NTLM_AUTHENTICATE 3u

enum ntlm_av_id {
    MsvAvEOL = 0,
    MsvAvNbComputerName = 1,
    MsvAvNbDomainName = 2,
    MsvAvDnsComputerName = 3,
    MsvAvDnsDomainName = 4,
    MsvAvDnsTreeName = 5,
    MsvAvFlags = 6,
    MsvAvTimestamp = 7,
    MsvAvSingleHost = 8,
    MsvAvTargetName = 9,
    MsvAvChannelBindings = 10
};
#define NTLM_AV_FLAG_MIC_PRESENT 0x00000002u

#define NTLM_NEGOTIATE_SIZE 40
#define NTLM_CHALLENGE_HEADER 56
#define NTLM_AUTHENTICATE_HEADER 88 /* with Version and MIC */
#define NTLM_MIC_OFFSET 72

/* The Version field Windows Server 2022 sends: 10.0 build 20348, NTLM revision 15. */
extern const uint8_t ntlm_version[8];

struct ntlm_challenge {
    uint32_t flags;
    uint8_t server_challenge[8];
    const uint8_t *target_info; /* a view into the message */
    size_t target_info_len;
};

struct ntlm_authenticate {
    uint32_t flags;
    const uint8_t *lm;
    size_t lm_len;
    const uint8_t *nt;
    size_t nt_len;
    const uint8_t *session_key;
    size_t session_key_len;
    char *domain;       /* NEW UTF-8 strings, freed by ntlm_authenticate_clear */
    char *user;
    char *workstation;
    int has_mic_room;   /* the header is long enough to hold a MIC */
};

/* Each parser returns 0, -1 for a malformed message (SEC_E_INVALID_TOKEN), or NTLM_PARSE_NOMEM. */
#define NTLM_PARSE_NOMEM (-2)
int ntlm_parse_negotiate(const uint8_t *msg, size_t len, uint32_t *flags);
int ntlm_parse_challenge(const uint8_t *msg, size_t len, struct ntlm_challenge *out);
int ntlm_parse_authenticate(const uint8_t *msg, size_t len, struct ntlm_authenticate *out);
void ntlm_authenticate_clear(struct ntlm_authenticate *a);
/* The message type of a buffer that starts with the NTLMSSP signature, else 0. */
uint32_t ntlm_message_type(const uint8_t *msg, size_t len);

void ntlm_build_negotiate(struct fs_writer *w, uint32_t flags);
void ntlm_build_challenge(struct fs_writer *w, uint32_t flags, const uint8_t server_challenge[8],
                          const char *target_name, const uint8_t *target_info, size_t target_info_len);
/* With with_mic, leaves the MIC zeroed at NTLM_MIC_OFFSET for the caller to fill; without it the
 * header ends after Version, as in the MS-NLMP 4.2 examples. */
void ntlm_build_authenticate(struct fs_writer *w, uint32_t flags, const uint8_t *lm, size_t lm_len,
                             const uint8_t *nt, size_t nt_len, const char *domain, const char *user,
                             const char *workstation, const uint8_t *session_key, size_t session_key_len,
                             int with_mic);

/* AV pairs. find returns 0 and a view of the value, -1 if absent or the list is malformed. */
int ntlm_av_find(const uint8_t *info, size_t len, uint16_t id, const uint8_t **value, uint16_t *value_len);
int ntlm_av_well_formed(const uint8_t *info, size_t len);
void ntlm_av_add(struct fs_writer *w, uint16_t id, const void *value, uint16_t len);
void ntlm_av_add_string(struct fs_writer *w, uint16_t id, const char *utf8);
/* Every length in a message is 16 bits (MS-NLMP 2.2.1, 2.2.2.1, 2.2.2.10): the longest field or AV pair
 * value is 65,535 bytes, 32,767 UTF-16 characters. A writer asked for more fails rather than wrap. */
#define NTLM_FIELD_MAX 0xFFFFu
/* utf8 (NULL: empty) as UTF-16LE fits in one field. */
int ntlm_fits_field(const char *utf8);

#endif
