/* Fault injection: the Nth allocation fails, or the Nth call of a function returns a chosen value. */
#ifndef FS_CORE_FAULT_H
#define FS_CORE_FAULT_H

#include <stddef.h>
#include <stdint.h>

/* How a function that fault injection can fail reports the failure. */
enum fs_fault_family {
    FS_FAULT_WIN32, /* a non-zero Win32 last error (ERROR_...) */
    FS_FAULT_SSPI,  /* a failing SECURITY_STATUS (SEC_E_...) */
    FS_FAULT_NT,    /* a failing NTSTATUS (STATUS_..., the LSA's) */
    FS_FAULT_GSS,   /* a GSS-API major status with a routine or calling error (GSS_S_..., the GSSAPI module's) */
};

/* A function that fault injection can fail. Registered by the layer that exports it (api/ from its export
 * table, the GSSAPI module from its own): STATIC, kept by reference. */
struct fs_fault_function {
    const char *name;
    enum fs_fault_family family;
    int hands_out_token; /* a script may choose the token it hands out */
};
/* Adds a table to those already registered; a name registered twice keeps its first row. */
void fs_fault_add_functions(const struct fs_fault_function *table, size_t n);
/* The registered function of that exact name, or NULL. */
const struct fs_fault_function *fs_fault_function_find(const char *name);
/* 1 when value is a failure in fn's family: a non-zero error, a status with its severity bit, a GSS major
 * status with a routine or calling error. */
int fs_fault_value_fails(const struct fs_fault_function *fn, int64_t value);
/* "a failing SEC_E_ status", ...: what a function of the family fails with, for messages. */
const char *fs_fault_family_failure(enum fs_fault_family family);

/* Called by every fs_malloc: 1 when this allocation must fail. */
int fs_fault_alloc_fails(void);
/* Called at the entry of a hooked function: 1 (and *value) when this call must fail. */
int fs_fault_call(const char *function, int64_t *value);

/* Called with every token InitializeSecurityContext/AcceptSecurityContext hands out: flips one byte of
 * the armed one. */
void fs_fault_corrupt_token(void *token, size_t len);

/* Arms faults from text (FAKESSPI_FAULTS), items separated by commas:
 *   alloc#N            the Nth allocation from now fails (alloc#N+ : it and every one after)
 *   token#N[@OFFSET]   the Nth outgoing token from now has one byte inverted (the middle one, or OFFSET)
 *   Function#N=NAME    the Nth call of Function returns NAME (a failing SEC_E_ status for SSPI
 *                      functions, a failing STATUS_ NTSTATUS for the LSA's, a non-zero ERROR_ last
 *                      error for Win32 ones, which then fail, a GSS_S_ error for the GSSAPI module's gss_*)
 * Returns 0, or -1 with a message naming what is wrong; nothing is armed on error. */
int fs_fault_arm(const char *spec, char *message, size_t cap);
void fs_fault_arm_alloc(uint64_t nth, int and_after);
/* offset -1: the middle byte; an offset past the end inverts the last byte. */
void fs_fault_arm_token(uint64_t nth, int64_t offset);
/* 0, or -1 if function is not one that can be failed. */
int fs_fault_arm_call(const char *function, uint64_t nth, int64_t value);
void fs_fault_clear(void);
/* How many allocations and hooked calls have been counted since the last clear. */
uint64_t fs_fault_allocations(void);

#endif
