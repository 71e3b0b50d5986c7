/* Fixed-width Windows integer types with the Windows x64 (LLP64) sizes. */
#ifndef FAKESSPI_BASETSD_H
#define FAKESSPI_BASETSD_H

#include <stdint.h>
#include <stddef.h>

/* LONG and ULONG are 32-bit on Windows x64; C's long is 64-bit on Linux,
 * so these must never be spelled with it (doc/semantics.md §1). */
typedef int32_t LONG32, *PLONG32;
typedef uint32_t ULONG32, *PULONG32, DWORD32, *PDWORD32;
typedef int64_t LONG64, *PLONG64, INT64, *PINT64;
typedef uint64_t ULONG64, *PULONG64, DWORD64, *PDWORD64, UINT64, *PUINT64;
typedef intptr_t INT_PTR, *PINT_PTR, LONG_PTR, *PLONG_PTR, SSIZE_T, *PSSIZE_T;
typedef uintptr_t UINT_PTR, *PUINT_PTR, ULONG_PTR, *PULONG_PTR, DWORD_PTR, *PDWORD_PTR, SIZE_T, *PSIZE_T;

#endif
