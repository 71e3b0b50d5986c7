/* The SSPI umbrella header, as Windows code includes it (after #define SECURITY_WIN32). */
#ifndef FAKESSPI_SECURITY_H
#define FAKESSPI_SECURITY_H

/* Package names as security.h spells them: NTLMSP_NAME is wide whatever UNICODE says, as on Windows. */
#include "windef.h"
#ifndef NTLMSP_NAME_A
#define NTLMSP_NAME_A "NTLM"
#define NTLMSP_NAME FAKESSPI_WIDE_("NTLM")
#endif
#ifndef MICROSOFT_KERBEROS_NAME_A
#define MICROSOFT_KERBEROS_NAME_A "Kerberos"
#define MICROSOFT_KERBEROS_NAME_W FAKESSPI_WIDE_("Kerberos")
#ifdef UNICODE
#define MICROSOFT_KERBEROS_NAME MICROSOFT_KERBEROS_NAME_W
#else
#define MICROSOFT_KERBEROS_NAME MICROSOFT_KERBEROS_NAME_A
#endif
#endif
#ifndef NEGOSSP_NAME
#define NEGOSSP_NAME_W FAKESSPI_WIDE_("Negotiate")
#define NEGOSSP_NAME_A "Negotiate"
#ifdef UNICODE
#define NEGOSSP_NAME NEGOSSP_NAME_W
#else
#define NEGOSSP_NAME NEGOSSP_NAME_A
#endif
#endif

#include "sspi.h"
#include "secext.h"

#endif
