/* The NT types of winternl.h that user-mode authentication code meets: NTSTATUS, UNICODE_STRING,
 * ANSI_STRING, OBJECT_ATTRIBUTES. The Nt and Rtl functions behind them are not emulated, except
 * RtlInitUnicodeString and RtlInitAnsiString (inline: they only point at the caller's text). */
#ifndef FAKESSPI_WINTERNL_H
#define FAKESSPI_WINTERNL_H

#include "windef.h"

#ifndef FAKESSPI_NTSTATUS_DEFINED_
#define FAKESSPI_NTSTATUS_DEFINED_
typedef LONG NTSTATUS, *PNTSTATUS;
#endif
#ifndef NT_SUCCESS
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#endif

#ifndef FAKESSPI_UNICODE_STRING_DEFINED_
#define FAKESSPI_UNICODE_STRING_DEFINED_
/* Lengths in bytes, not characters. */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;
typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;
typedef const STRING *PCANSI_STRING;
#endif

typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;
    HANDLE RootDirectory;
    PUNICODE_STRING ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor;
    PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;

#define OBJ_INHERIT 0x00000002L
#define OBJ_PERMANENT 0x00000010L
#define OBJ_EXCLUSIVE 0x00000020L
#define OBJ_CASE_INSENSITIVE 0x00000040L
#define OBJ_OPENIF 0x00000080L
#define OBJ_OPENLINK 0x00000100L
#define OBJ_KERNEL_HANDLE 0x00000200L

#define InitializeObjectAttributes(p, n, a, r, s) \
    do {                                          \
        (p)->Length = sizeof(OBJECT_ATTRIBUTES);  \
        (p)->RootDirectory = (r);                 \
        (p)->Attributes = (a);                    \
        (p)->ObjectName = (n);                    \
        (p)->SecurityDescriptor = (s);            \
        (p)->SecurityQualityOfService = NULL;     \
    } while (0)

static inline void RtlInitUnicodeString(PUNICODE_STRING dst, PCWSTR src)
{
    size_t n = 0;
    if (src)
        while (src[n])
            n++;
    dst->Length = (USHORT)(n * sizeof(WCHAR));
    dst->MaximumLength = (USHORT)(src ? dst->Length + sizeof(WCHAR) : 0);
    dst->Buffer = (PWSTR)(ULONG_PTR)src; /* through an integer: no -Wcast-qual warning in callers' builds */
}

static inline void RtlInitAnsiString(PANSI_STRING dst, PCSTR src)
{
    size_t n = src ? strlen(src) : 0;
    dst->Length = (USHORT)n;
    dst->MaximumLength = (USHORT)(src ? n + 1 : 0);
    dst->Buffer = (PCHAR)(ULONG_PTR)src;
}

#endif
