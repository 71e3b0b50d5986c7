/* Looks up names of status and error values in the tables of status_table.def / error_table.def, and of GSS-API
 * major statuses in gss_status_table.def. */
#include "names.h"

#include <stddef.h>
#include <string.h>
#include "winerror.h"
#include "ntstatus.h"

struct name_row {
    int64_t value;
    const char *name;
    const char *meaning;
};

static const struct name_row status_rows[] = {
#define X(name, meaning) {(int32_t)(name), #name, meaning},
#define NT(name, meaning)
#include "status_table.def"
#undef NT
#undef X
};

static const struct name_row nt_status_rows[] = {
#define X(name, meaning)
#define NT(name, meaning) {(int32_t)(name), #name, meaning},
#include "status_table.def"
#undef NT
#undef X
};

static const struct name_row gss_major_rows[] = {
#define G(name, value, meaning) {(int64_t)(value), #name, meaning},
#include "gss_status_table.def"
#undef G
};

static const struct name_row error_rows[] = {
#define X(name, meaning) {(uint32_t)(name), #name, meaning},
#include "error_table.def"
#undef X
};

static const struct name_row *find(const struct name_row *rows, size_t n, int64_t value)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].value == value)
            return &rows[i];
    return NULL;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *fs_status_name(int32_t status)
{
    const struct name_row *r = find(status_rows, COUNT(status_rows), status);
    return r ? r->name : NULL;
}

const char *fs_status_meaning(int32_t status)
{
    const struct name_row *r = find(status_rows, COUNT(status_rows), status);
    return r ? r->meaning : NULL;
}

const char *fs_nt_status_name(int32_t status)
{
    const struct name_row *r = find(nt_status_rows, COUNT(nt_status_rows), status);
    return r ? r->name : NULL;
}

const char *fs_nt_status_meaning(int32_t status)
{
    const struct name_row *r = find(nt_status_rows, COUNT(nt_status_rows), status);
    return r ? r->meaning : NULL;
}

const char *fs_gss_major_name(uint32_t major)
{
    const struct name_row *r = find(gss_major_rows, COUNT(gss_major_rows), major);
    return r ? r->name : NULL;
}

const char *fs_error_name(uint32_t error)
{
    const struct name_row *r = find(error_rows, COUNT(error_rows), error);
    return r ? r->name : NULL;
}

const char *fs_error_meaning(uint32_t error)
{
    const struct name_row *r = find(error_rows, COUNT(error_rows), error);
    return r ? r->meaning : NULL;
}

static int by_name(const struct name_row *rows, size_t n, const char *name, int64_t *value)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].name, name)) {
            *value = rows[i].value;
            return 0;
        }
    return -1;
}

int fs_status_by_name(const char *name, int64_t *value) { return by_name(status_rows, COUNT(status_rows), name, value); }
int fs_gss_major_by_name(const char *name, int64_t *value)
{
    return by_name(gss_major_rows, COUNT(gss_major_rows), name, value);
}
int fs_error_by_name(const char *name, int64_t *value) { return by_name(error_rows, COUNT(error_rows), name, value); }
int fs_nt_status_by_name(const char *name, int64_t *value)
{
    return by_name(nt_status_rows, COUNT(nt_status_rows), name, value);
}

static const struct {
    const char *name;
    const char *meaning;
} misuse_rows[FAKESSPI_MISUSE_KIND_COUNT] = {
#define KIND_ROW(name, meaning) {#name, meaning},
    FAKESSPI_MISUSE_KINDS(KIND_ROW)
#undef KIND_ROW
};

const char *fs_misuse_name(fakesspi_misuse_kind kind)
{
    return (unsigned)kind < FAKESSPI_MISUSE_KIND_COUNT ? misuse_rows[kind].name : NULL;
}

const char *fs_misuse_meaning(fakesspi_misuse_kind kind)
{
    return (unsigned)kind < FAKESSPI_MISUSE_KIND_COUNT ? misuse_rows[kind].meaning : NULL;
}
