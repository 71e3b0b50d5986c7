/* NET_API_STATUS codes (lmerr.h) that the Net functions return. */
#ifndef FAKESSPI_LMERR_H
#define FAKESSPI_LMERR_H

#include "lmcons.h"

#define NERR_BASE 2100
#define NERR_NetNotStarted (NERR_BASE+2)
#define NERR_ServerNotStarted (NERR_BASE+14)
#define NERR_BufTooSmall (NERR_BASE+23)
#define NERR_WkstaNotStarted (NERR_BASE+38)
#define NERR_InternalError (NERR_BASE+40)
#define NERR_NotLoggedOn (NERR_BASE+101)
#define NERR_BadUsername (NERR_BASE+102)
#define NERR_BadPassword (NERR_BASE+103)
#define NERR_ACFNotFound (NERR_BASE+119)
#define NERR_GroupNotFound (NERR_BASE+120)
#define NERR_UserNotFound (NERR_BASE+121)
#define NERR_GroupExists (NERR_BASE+123)
#define NERR_UserExists (NERR_BASE+124)
#define NERR_NotPrimary (NERR_BASE+126)
#define NERR_SpeGroupOp (NERR_BASE+134)
#define NERR_UserInGroup (NERR_BASE+136)
#define NERR_UserNotInGroup (NERR_BASE+137)
#define NERR_PasswordExpired (NERR_BASE+142)
#define NERR_PasswordTooShort (NERR_BASE+145)
#define NERR_NameNotFound (NERR_BASE+173)
#define NERR_InvalidComputer (NERR_BASE+251)
#define NERR_LastAdmin (NERR_BASE+352)
#define NERR_DCNotFound (NERR_BASE+353)

#endif
