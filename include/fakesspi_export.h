/* Calling-convention and export markers shared by every libfakesspi header. */
#ifndef FAKESSPI_EXPORT_H
#define FAKESSPI_EXPORT_H

/* On Linux the SysV x86-64 convention is the only one; WINAPI and friends
 * exist so that ported declarations compile unchanged. */
#ifndef WINAPI
#define WINAPI
#endif
#ifndef APIENTRY
#define APIENTRY WINAPI
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef WINAPIV
#define WINAPIV
#endif
#ifndef WINBASEAPI
#define WINBASEAPI
#endif
#ifndef WINADVAPI
#define WINADVAPI
#endif
#ifndef SEC_ENTRY
#define SEC_ENTRY WINAPI
#endif

#if defined(__GNUC__)
#define FAKESSPI_API __attribute__((visibility("default")))
#else
#define FAKESSPI_API
#endif

#ifdef __cplusplus
#define FAKESSPI_BEGIN_DECLS extern "C" {
#define FAKESSPI_END_DECLS }
#else
#define FAKESSPI_BEGIN_DECLS
#define FAKESSPI_END_DECLS
#endif

#endif
