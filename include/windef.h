/* Basic Windows types: BOOL, DWORD, WCHAR, HANDLE, TEXT() and friends. */
#ifndef FAKESSPI_WINDEF_H
#define FAKESSPI_WINDEF_H

#include "fakesspi_export.h"
#include "basetsd.h"

typedef int BOOL, *PBOOL, *LPBOOL;
typedef unsigned char BYTE, *PBYTE, *LPBYTE, UCHAR, *PUCHAR, BOOLEAN, *PBOOLEAN;
typedef unsigned short WORD, *PWORD, *LPWORD, USHORT, *PUSHORT;
typedef short SHORT, *PSHORT;
typedef int INT, *PINT, *LPINT;
typedef unsigned int UINT, *PUINT;
typedef int32_t LONG, *PLONG, *LPLONG;
typedef uint32_t ULONG, *PULONG, DWORD, *PDWORD, *LPDWORD;
typedef int64_t LONGLONG, *PLONGLONG;
typedef uint64_t ULONGLONG, *PULONGLONG, DWORDLONG, *PDWORDLONG;
typedef char CHAR, *PCHAR, *LPCH, *PCH;
typedef void VOID, *PVOID, *LPVOID;
typedef const void *LPCVOID, *PCVOID;
typedef float FLOAT;

/* WCHAR is one UTF-16 code unit.  With -fshort-wchar (wchar_t of 2 bytes)
 * it is wchar_t so that L"..." ports unchanged; otherwise char16_t so that
 * u"..." works.  The ABI is a 16-bit unit either way (DESIGN.md, ABI). */
#if defined(__SIZEOF_WCHAR_T__) && __SIZEOF_WCHAR_T__ == 2
typedef wchar_t WCHAR;
#define FAKESSPI_WIDE_(s) L##s
#elif defined(__cplusplus)
typedef char16_t WCHAR;
#define FAKESSPI_WIDE_(s) u##s
#else
#include <uchar.h>
typedef char16_t WCHAR;
#define FAKESSPI_WIDE_(s) u##s
#endif
typedef WCHAR *PWCHAR, *LPWCH, *PWCH, *LPWSTR, *PWSTR, *NWPSTR;
typedef const WCHAR *LPCWCH, *PCWCH, *LPCWSTR, *PCWSTR;
typedef CHAR *LPSTR, *PSTR, *NPSTR;
typedef const CHAR *LPCCH, *PCCH, *LPCSTR, *PCSTR;

#ifdef UNICODE
typedef WCHAR TCHAR, *PTCHAR;
typedef WCHAR TBYTE, *PTBYTE;
typedef LPWSTR LPTSTR, PTSTR;
typedef LPCWSTR LPCTSTR, PCTSTR;
#define __TEXT(q) FAKESSPI_WIDE_(q)
#else
typedef char TCHAR, *PTCHAR;
typedef unsigned char TBYTE, *PTBYTE;
typedef LPSTR LPTSTR, PTSTR;
typedef LPCSTR LPCTSTR, PCTSTR;
#define __TEXT(q) q
#endif
#define TEXT(q) __TEXT(q)

typedef void *HANDLE, **PHANDLE, **LPHANDLE;
/* A handle type of its own, so handles of different kinds do not convert silently (STRICT, as the SDK). */
#ifndef DECLARE_HANDLE
#define DECLARE_HANDLE(name) struct name##__ { int unused; }; typedef struct name##__ *name
#endif
typedef HANDLE HLOCAL, HGLOBAL, HINSTANCE, HMODULE;
typedef LONG HRESULT;
typedef DWORD ACCESS_MASK, *PACCESS_MASK;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif
#define IN
#define OUT
#define OPTIONAL
/* Segment qualifiers of 16-bit Windows: empty, as on Win32. The SDK also defines lower-case far and
 * near; we do not, so that Linux code with variables of those names still builds. */
#ifndef FAR
#define FAR
#endif
#ifndef NEAR
#define NEAR
#endif
#ifndef PASCAL
#define PASCAL
#endif
#ifndef CDECL
#define CDECL
#endif
#ifndef CONST
#define CONST const
#endif
#define ANYSIZE_ARRAY 1
#define MAX_PATH 260

typedef union _LARGE_INTEGER {
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    struct {
        DWORD LowPart;
        LONG HighPart;
    };
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    struct {
        DWORD LowPart;
        DWORD HighPart;
    };
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID, *PGUID, *LPGUID;

#define MAKEWORD(a, b) ((WORD)(((BYTE)(a)) | ((WORD)((BYTE)(b))) << 8))
#define LOBYTE(w) ((BYTE)((DWORD_PTR)(w) & 0xff))
#define HIBYTE(w) ((BYTE)(((DWORD_PTR)(w) >> 8) & 0xff))
#define MAKELONG(a, b) ((LONG)(((WORD)(a)) | ((DWORD)((WORD)(b))) << 16))
#define LOWORD(l) ((WORD)((DWORD_PTR)(l) & 0xffff))
#define HIWORD(l) ((WORD)((DWORD_PTR)(l) >> 16))
#define UNREFERENCED_PARAMETER(p) ((void)(p))

#endif
