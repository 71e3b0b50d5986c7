/* The table of well-known SIDs (English names, as on an English Windows). */
#include "wellknown.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/utf.h"
#include "winnt.h"

static const struct fs_wellknown table[] = {
    {"S-1-0-0", NULL, "NULL SID", "", SidTypeWellKnownGroup},
    {"S-1-1-0", "WD", "Everyone", "", SidTypeWellKnownGroup},
    {"S-1-2-0", NULL, "LOCAL", "", SidTypeWellKnownGroup},
    {"S-1-2-1", NULL, "CONSOLE LOGON", "", SidTypeWellKnownGroup},
    {"S-1-3-0", "CO", "CREATOR OWNER", "", SidTypeWellKnownGroup},
    {"S-1-3-1", "CG", "CREATOR GROUP", "", SidTypeWellKnownGroup},
    {"S-1-3-2", NULL, "CREATOR OWNER SERVER", "", SidTypeWellKnownGroup},
    {"S-1-3-3", NULL, "CREATOR GROUP SERVER", "", SidTypeWellKnownGroup},
    {"S-1-3-4", "OW", "OWNER RIGHTS", "", SidTypeWellKnownGroup},
    {"S-1-5", NULL, "NT AUTHORITY", "NT AUTHORITY", SidTypeDomain},
    {"S-1-5-1", NULL, "DIALUP", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-2", "NU", "NETWORK", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-3", NULL, "BATCH", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-4", "IU", "INTERACTIVE", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-6", "SU", "SERVICE", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-7", "AN", "ANONYMOUS LOGON", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-8", NULL, "PROXY", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-9", "ED", "ENTERPRISE DOMAIN CONTROLLERS", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-10", "PS", "SELF", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-11", "AU", "Authenticated Users", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-12", "RC", "RESTRICTED", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-13", NULL, "TERMINAL SERVER USER", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-14", NULL, "REMOTE INTERACTIVE LOGON", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-15", NULL, "This Organization", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-17", NULL, "IUSR", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-18", "SY", "SYSTEM", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-19", "LS", "LOCAL SERVICE", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-20", "NS", "NETWORK SERVICE", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-33", "WR", "WRITE RESTRICTED", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-113", NULL, "Local account", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-114", NULL, "Local account and member of Administrators group", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-1000", NULL, "Other Organization", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-32", NULL, "BUILTIN", "BUILTIN", SidTypeDomain},
    {"S-1-5-32-544", "BA", "Administrators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-545", "BU", "Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-546", "BG", "Guests", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-547", "PU", "Power Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-548", "AO", "Account Operators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-549", "SO", "Server Operators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-550", "PO", "Print Operators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-551", "BO", "Backup Operators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-552", "RE", "Replicator", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-554", "RU", "Pre-Windows 2000 Compatible Access", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-555", "RD", "Remote Desktop Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-556", "NO", "Network Configuration Operators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-557", NULL, "Incoming Forest Trust Builders", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-558", "MU", "Performance Monitor Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-559", "LU", "Performance Log Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-560", NULL, "Windows Authorization Access Group", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-561", NULL, "Terminal Server License Servers", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-562", NULL, "Distributed COM Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-568", "IS", "IIS_IUSRS", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-569", "CY", "Cryptographic Operators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-573", "ER", "Event Log Readers", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-574", "CD", "Certificate Service DCOM Access", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-575", "RA", "RDS Remote Access Servers", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-576", "ES", "RDS Endpoint Servers", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-577", "MS", "RDS Management Servers", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-578", "HA", "Hyper-V Administrators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-579", "AA", "Access Control Assistance Operators", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-580", "RM", "Remote Management Users", "BUILTIN", SidTypeAlias},
    {"S-1-5-32-582", NULL, "Storage Replica Administrators", "BUILTIN", SidTypeAlias},
    {"S-1-5-64-10", NULL, "NTLM Authentication", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-64-14", NULL, "SChannel Authentication", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-64-21", NULL, "Digest Authentication", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-65-1", NULL, "This Organization Certificate", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-5-84-0-0-0-0-0", "UD", "USER MODE DRIVERS", "NT AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-15-2-1", "AC", "ALL APPLICATION PACKAGES", "APPLICATION PACKAGE AUTHORITY", SidTypeWellKnownGroup},
    {"S-1-16-0", NULL, "Untrusted Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-16-4096", "LW", "Low Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-16-8192", "ME", "Medium Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-16-8448", "MP", "Medium Plus Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-16-12288", "HI", "High Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-16-16384", "SI", "System Mandatory Level", "Mandatory Label", SidTypeLabel},
    {"S-1-18-1", NULL, "Authentication authority asserted identity", "", SidTypeWellKnownGroup},
    {"S-1-18-2", NULL, "Service asserted identity", "", SidTypeWellKnownGroup},
};

#define COUNT (sizeof table / sizeof table[0])

void fs_wellknown_sid(const struct fs_wellknown *wk, struct fs_sid *out) { fs_sid_parse_known(wk->sid, out); }

const struct fs_wellknown *fs_wellknown_by_sid(const struct fs_sid *sid)
{
    for (size_t i = 0; i < COUNT; i++) {
        struct fs_sid s;
        fs_wellknown_sid(&table[i], &s);
        if (fs_sid_equal(&s, sid))
            return &table[i];
    }
    return NULL;
}

/* fs_wellknown_by_name runs for every account a domain file names (100,000 in a big one): the entries chained
 * by the folded first letter of their name, built once, leave a handful to compare instead of the table. */
static int16_t first_with_letter[256], next_with_letter[COUNT];
static pthread_once_t letters_once = PTHREAD_ONCE_INIT;

static unsigned char folded_first(const char *name) { return (unsigned char)(name[0] | (name[0] ? 0x20 : 0)); }

static void chain_letters(void)
{
    for (size_t c = 0; c < 256; c++)
        first_with_letter[c] = -1;
    for (size_t i = COUNT; i-- > 0;) { /* in reverse, so that each chain keeps the table's order */
        unsigned char c = folded_first(table[i].name);
        next_with_letter[i] = first_with_letter[c];
        first_with_letter[c] = (int16_t)i;
    }
}

const struct fs_wellknown *fs_wellknown_by_name(const char *name)
{
    pthread_once(&letters_once, chain_letters);
    const char *slash = strchr(name, '\\');
    for (int i = first_with_letter[folded_first(slash ? slash + 1 : name)]; i >= 0; i = next_with_letter[i]) {
        const struct fs_wellknown *wk = &table[i];
        if (slash) {
            size_t dlen = (size_t)(slash - name);
            if (strlen(wk->domain) != dlen)
                continue;
            char domain[64];
            if (dlen >= sizeof domain)
                continue;
            memcpy(domain, name, dlen);
            domain[dlen] = '\0';
            if (fs_ascii_casecmp(domain, wk->domain) || fs_ascii_casecmp(slash + 1, wk->name))
                continue;
            return wk;
        }
        if (!fs_ascii_casecmp(name, wk->name))
            return wk;
    }
    return NULL;
}

const struct fs_wellknown *fs_wellknown_by_alias(const char *alias)
{
    for (size_t i = 0; i < COUNT; i++)
        if (table[i].alias && !fs_ascii_casecmp(table[i].alias, alias))
            return &table[i];
    return NULL;
}

/* CreateWellKnownSid's table, indexed by WELL_KNOWN_SID_TYPE: a fixed SID, or a RID relative to an
 * account domain (sid NULL, rid set). Types with neither are not made (WinLogonIdsSid needs a session). */
static const struct {
    const char *sid;
    uint32_t rid;
} by_type[] = {
    [WinNullSid] = {"S-1-0-0", 0}, [WinWorldSid] = {"S-1-1-0", 0}, [WinLocalSid] = {"S-1-2-0", 0},
    [WinCreatorOwnerSid] = {"S-1-3-0", 0}, [WinCreatorGroupSid] = {"S-1-3-1", 0},
    [WinCreatorOwnerServerSid] = {"S-1-3-2", 0}, [WinCreatorGroupServerSid] = {"S-1-3-3", 0},
    [WinNtAuthoritySid] = {"S-1-5", 0}, [WinDialupSid] = {"S-1-5-1", 0}, [WinNetworkSid] = {"S-1-5-2", 0},
    [WinBatchSid] = {"S-1-5-3", 0}, [WinInteractiveSid] = {"S-1-5-4", 0}, [WinServiceSid] = {"S-1-5-6", 0},
    [WinAnonymousSid] = {"S-1-5-7", 0}, [WinProxySid] = {"S-1-5-8", 0},
    [WinEnterpriseControllersSid] = {"S-1-5-9", 0}, [WinSelfSid] = {"S-1-5-10", 0},
    [WinAuthenticatedUserSid] = {"S-1-5-11", 0}, [WinRestrictedCodeSid] = {"S-1-5-12", 0},
    [WinTerminalServerSid] = {"S-1-5-13", 0}, [WinRemoteLogonIdSid] = {"S-1-5-14", 0},
    [WinLocalSystemSid] = {"S-1-5-18", 0}, [WinLocalServiceSid] = {"S-1-5-19", 0},
    [WinNetworkServiceSid] = {"S-1-5-20", 0}, [WinBuiltinDomainSid] = {"S-1-5-32", 0},
    [WinBuiltinAdministratorsSid] = {"S-1-5-32-544", 0}, [WinBuiltinUsersSid] = {"S-1-5-32-545", 0},
    [WinBuiltinGuestsSid] = {"S-1-5-32-546", 0}, [WinBuiltinPowerUsersSid] = {"S-1-5-32-547", 0},
    [WinBuiltinAccountOperatorsSid] = {"S-1-5-32-548", 0}, [WinBuiltinSystemOperatorsSid] = {"S-1-5-32-549", 0},
    [WinBuiltinPrintOperatorsSid] = {"S-1-5-32-550", 0}, [WinBuiltinBackupOperatorsSid] = {"S-1-5-32-551", 0},
    [WinBuiltinReplicatorSid] = {"S-1-5-32-552", 0},
    [WinBuiltinPreWindows2000CompatibleAccessSid] = {"S-1-5-32-554", 0},
    [WinBuiltinRemoteDesktopUsersSid] = {"S-1-5-32-555", 0},
    [WinBuiltinNetworkConfigurationOperatorsSid] = {"S-1-5-32-556", 0},
    [WinAccountAdministratorSid] = {NULL, 500}, [WinAccountGuestSid] = {NULL, 501},
    [WinAccountKrbtgtSid] = {NULL, 502}, [WinAccountDomainAdminsSid] = {NULL, 512},
    [WinAccountDomainUsersSid] = {NULL, 513}, [WinAccountDomainGuestsSid] = {NULL, 514},
    [WinAccountComputersSid] = {NULL, 515}, [WinAccountControllersSid] = {NULL, 516},
    [WinAccountCertAdminsSid] = {NULL, 517}, [WinAccountSchemaAdminsSid] = {NULL, 518},
    [WinAccountEnterpriseAdminsSid] = {NULL, 519}, [WinAccountPolicyAdminsSid] = {NULL, 520},
    [WinAccountRasAndIasServersSid] = {NULL, 553}, [WinNTLMAuthenticationSid] = {"S-1-5-64-10", 0},
    [WinDigestAuthenticationSid] = {"S-1-5-64-21", 0}, [WinSChannelAuthenticationSid] = {"S-1-5-64-14", 0},
    [WinThisOrganizationSid] = {"S-1-5-15", 0}, [WinOtherOrganizationSid] = {"S-1-5-1000", 0},
    [WinBuiltinIncomingForestTrustBuildersSid] = {"S-1-5-32-557", 0},
    [WinBuiltinPerfMonitoringUsersSid] = {"S-1-5-32-558", 0}, [WinBuiltinPerfLoggingUsersSid] = {"S-1-5-32-559", 0},
    [WinBuiltinAuthorizationAccessSid] = {"S-1-5-32-560", 0},
    [WinBuiltinTerminalServerLicenseServersSid] = {"S-1-5-32-561", 0},
    [WinBuiltinDCOMUsersSid] = {"S-1-5-32-562", 0}, [WinBuiltinIUsersSid] = {"S-1-5-32-568", 0},
    [WinIUserSid] = {"S-1-5-17", 0}, [WinBuiltinCryptoOperatorsSid] = {"S-1-5-32-569", 0},
    [WinUntrustedLabelSid] = {"S-1-16-0", 0}, [WinLowLabelSid] = {"S-1-16-4096", 0},
    [WinMediumLabelSid] = {"S-1-16-8192", 0}, [WinHighLabelSid] = {"S-1-16-12288", 0},
    [WinSystemLabelSid] = {"S-1-16-16384", 0}, [WinWriteRestrictedCodeSid] = {"S-1-5-33", 0},
    [WinCreatorOwnerRightsSid] = {"S-1-3-4", 0}, [WinCacheablePrincipalsGroupSid] = {NULL, 571},
    [WinNonCacheablePrincipalsGroupSid] = {NULL, 572}, [WinEnterpriseReadonlyControllersSid] = {"S-1-5-22", 0},
    [WinAccountReadonlyControllersSid] = {NULL, 521}, [WinBuiltinEventLogReadersGroup] = {"S-1-5-32-573", 0},
    [WinNewEnterpriseReadonlyControllersSid] = {NULL, 498},
    [WinBuiltinCertSvcDComAccessGroup] = {"S-1-5-32-574", 0}, [WinMediumPlusLabelSid] = {"S-1-16-8448", 0},
    [WinLocalLogonSid] = {"S-1-2-0", 0}, [WinConsoleLogonSid] = {"S-1-2-1", 0},
    [WinThisOrganizationCertificateSid] = {"S-1-5-65-1", 0}, [WinApplicationPackageAuthoritySid] = {"S-1-15-2", 0},
    [WinBuiltinAnyPackageSid] = {"S-1-15-2-1", 0}, [WinCapabilityInternetClientSid] = {"S-1-15-3-1", 0},
    [WinCapabilityInternetClientServerSid] = {"S-1-15-3-2", 0},
    [WinCapabilityPrivateNetworkClientServerSid] = {"S-1-15-3-3", 0},
    [WinCapabilityPicturesLibrarySid] = {"S-1-15-3-4", 0}, [WinCapabilityVideosLibrarySid] = {"S-1-15-3-5", 0},
    [WinCapabilityMusicLibrarySid] = {"S-1-15-3-6", 0}, [WinCapabilityDocumentsLibrarySid] = {"S-1-15-3-7", 0},
    [WinCapabilitySharedUserCertificatesSid] = {"S-1-15-3-9", 0},
    [WinCapabilityEnterpriseAuthenticationSid] = {"S-1-15-3-8", 0},
    [WinCapabilityRemovableStorageSid] = {"S-1-15-3-10", 0},
    [WinBuiltinRDSRemoteAccessServersSid] = {"S-1-5-32-575", 0},
    [WinBuiltinRDSEndpointServersSid] = {"S-1-5-32-576", 0},
    [WinBuiltinRDSManagementServersSid] = {"S-1-5-32-577", 0}, [WinUserModeDriversSid] = {"S-1-5-84-0-0-0-0-0", 0},
    [WinBuiltinHyperVAdminsSid] = {"S-1-5-32-578", 0}, [WinAccountCloneableControllersSid] = {NULL, 522},
    [WinBuiltinAccessControlAssistanceOperatorsSid] = {"S-1-5-32-579", 0},
    [WinBuiltinRemoteManagementUsersSid] = {"S-1-5-32-580", 0},
    [WinAuthenticationAuthorityAssertedSid] = {"S-1-18-1", 0},
    [WinAuthenticationServiceAssertedSid] = {"S-1-18-2", 0}, [WinLocalAccountSid] = {"S-1-5-113", 0},
    [WinLocalAccountAndAdministratorSid] = {"S-1-5-114", 0}, [WinAccountProtectedUsersSid] = {NULL, 525},
    [WinCapabilityAppointmentsSid] = {"S-1-15-3-11", 0}, [WinCapabilityContactsSid] = {"S-1-15-3-12", 0},
    [WinAccountDefaultSystemManagedSid] = {NULL, 503},
    [WinBuiltinDefaultSystemManagedGroupSid] = {"S-1-5-32-581", 0},
    [WinBuiltinStorageReplicaAdminsSid] = {"S-1-5-32-582", 0}, [WinAccountKeyAdminsSid] = {NULL, 526},
    [WinAccountEnterpriseKeyAdminsSid] = {NULL, 527}, [WinAuthenticationKeyTrustSid] = {"S-1-18-4", 0},
    [WinAuthenticationKeyPropertyMFASid] = {"S-1-18-5", 0},
    [WinAuthenticationKeyPropertyAttestationSid] = {"S-1-18-6", 0},
    [WinAuthenticationFreshKeyAuthSid] = {"S-1-18-3", 0}, [WinBuiltinDeviceOwnersSid] = {"S-1-5-32-583", 0},
};

int fs_wellknown_of_type(int type, struct fs_sid *fixed, uint32_t *rid)
{
    if (type < 0 || (size_t)type >= sizeof by_type / sizeof *by_type)
        return 0;
    if (by_type[type].sid) {
        fs_sid_parse_known(by_type[type].sid, fixed);
        return 1;
    }
    if (!by_type[type].rid)
        return 0;
    *rid = by_type[type].rid;
    return 2;
}
