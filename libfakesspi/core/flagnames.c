/* Flag and value names for the trace and the tools. */
#include "flagnames.h"

#include <stdio.h>
#include <string.h>

#include "sspi.h"
#include "secext.h"
#include "winbase.h"
#include "winnt.h"
#include "flag_table.def"

struct name {
    uint32_t value;
    const char *name;
};

#define ROW(n) {(uint32_t)(n), #n},
static const struct name isc_req[] = {FS_FLAGS_ISC_REQ(ROW)};
static const struct name isc_ret[] = {FS_FLAGS_ISC_RET(ROW)};
static const struct name asc_req[] = {FS_FLAGS_ASC_REQ(ROW)};
static const struct name asc_ret[] = {FS_FLAGS_ASC_RET(ROW)};
static const struct name secbuffer[] = {FS_VALUES_SECBUFFER(ROW)};
static const struct name secpkg_attr[] = {FS_VALUES_SECPKG_ATTR(ROW)};
static const struct name secpkg_cred[] = {FS_VALUES_SECPKG_CRED(ROW)};
static const struct name secpkg_cred_attr[] = {FS_VALUES_SECPKG_CRED_ATTR(ROW)};
static const struct name token_information_class[] = {FS_VALUES_TOKEN_INFORMATION_CLASS(ROW)};
static const struct name extended_name_format[] = {FS_VALUES_EXTENDED_NAME_FORMAT(ROW)};
static const struct name sid_name_use[] = {FS_VALUES_SID_NAME_USE(ROW)};
static const struct name impersonation_level[] = {FS_VALUES_IMPERSONATION_LEVEL(ROW)};
static const struct name token_type[] = {FS_VALUES_TOKEN_TYPE(ROW)};
static const struct name logon_type[] = {FS_VALUES_LOGON_TYPE(ROW)};
static const struct name computer_name_format[] = {FS_VALUES_COMPUTER_NAME_FORMAT(ROW)};
static const struct name ace_type[] = {FS_VALUES_ACE_TYPE(ROW)};
static const struct name ace_flags[] = {FS_FLAGS_ACE_FLAGS(ROW)};
static const struct name sd_control[] = {FS_FLAGS_SD_CONTROL(ROW)};
static const struct name access[] = {FS_FLAGS_ACCESS(ROW)};
static const struct name file_access[] = {FS_FLAGS_FILE_ACCESS(ROW)};
static const struct name key_access[] = {FS_FLAGS_KEY_ACCESS(ROW)};
#undef ROW

#define TABLE(t) {t, sizeof t / sizeof t[0]}
static const struct {
    const struct name *rows;
    size_t n;
} tables[FS_NAMES_COUNT] = {TABLE(isc_req), TABLE(isc_ret), TABLE(asc_req), TABLE(asc_ret), TABLE(secbuffer),
                            TABLE(secpkg_attr), TABLE(secpkg_cred), TABLE(secpkg_cred_attr),
                            TABLE(token_information_class), TABLE(extended_name_format), TABLE(sid_name_use),
                            TABLE(impersonation_level), TABLE(token_type), TABLE(logon_type),
                            TABLE(computer_name_format), TABLE(ace_type), TABLE(ace_flags), TABLE(sd_control),
                            TABLE(access), TABLE(file_access), TABLE(key_access)};

void fs_flags_format(enum fs_names table, uint32_t value, char *buf, size_t cap)
{
    size_t used = 0;
    uint32_t left = value;
    buf[0] = '\0';
    for (size_t i = 0; i < tables[table].n && used < cap; i++) {
        uint32_t bit = tables[table].rows[i].value;
        if (bit && (left & bit) == bit) {
            used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? "|" : "", tables[table].rows[i].name);
            left &= ~bit;
        }
    }
    if (left && used < cap)
        snprintf(buf + used, cap - used, "%s%#x", used ? "|" : "", left);
    else if (!value)
        snprintf(buf, cap, "0");
}

const char *fs_value_name(enum fs_names table, uint32_t value)
{
    for (size_t i = 0; i < tables[table].n; i++)
        if (tables[table].rows[i].value == value)
            return tables[table].rows[i].name;
    return NULL;
}
