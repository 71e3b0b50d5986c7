/* Names and one-line meanings of SECURITY_STATUS, NTSTATUS and Win32 error values: statuses from
 * status_table.def (its X and NT rows), errors from error_table.def, GSS-API major statuses from
 * gss_status_table.def. */
#ifndef FS_CORE_NAMES_H
#define FS_CORE_NAMES_H

#include <stdint.h>
#include "fakesspi.h"

/* STATIC strings, or NULL for values not in the table. */
const char *fs_status_name(int32_t status);
const char *fs_status_meaning(int32_t status);
/* NTSTATUS values (the LSA's): the NT rows. */
const char *fs_nt_status_name(int32_t status);
const char *fs_nt_status_meaning(int32_t status);
const char *fs_error_name(uint32_t error);
const char *fs_error_meaning(uint32_t error);
/* A GSS-API major status with one bit or field set (gss_status_table.def): GSS_S_DEFECTIVE_TOKEN, not a
 * combination. */
const char *fs_gss_major_name(uint32_t major);
/* The value of a name from the tables: 0, or -1 if no row has it. */
int fs_status_by_name(const char *name, int64_t *value);
int fs_error_by_name(const char *name, int64_t *value);
int fs_nt_status_by_name(const char *name, int64_t *value);
int fs_gss_major_by_name(const char *name, int64_t *value);

/* A misuse kind's UPPER_CASE name and its one-line meaning; NULL out of range. */
const char *fs_misuse_name(fakesspi_misuse_kind kind);
const char *fs_misuse_meaning(fakesspi_misuse_kind kind);

#endif
