/* ACLs, ACEs, security descriptors and SDDL: Windows' layouts to the byte and Windows' last errors. */
#include "testutil.h"
#include "sddl.h"

/* "O:BAG:SYD:(A;;GA;;;WD)" self-relative, derived by hand from MS-DTYP 2.4.6 / 2.4.5 / 2.4.4.2: the header,
 * then the DACL, the owner and the group, as Windows lays them out (SACL first when there is one). */
static const BYTE ba_sy_everyone_ga[] = {
    0x01, 0x00, 0x04, 0x80, 0x30, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x14, 0x00, 0x00, 0x00,
    /* DACL: revision 2, size 0x1c, one ACE */
    0x02, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x00,
    /* ACCESS_ALLOWED, no flags, size 0x14, GENERIC_ALL, S-1-1-0 */
    0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x10, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00,
    /* owner S-1-5-32-544 */
    0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x20, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00,
    /* group S-1-5-18 */
    0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x12, 0x00, 0x00, 0x00,
};

START_TEST(sddl_parses_to_the_windows_self_relative_bytes)
{
    PSECURITY_DESCRIPTOR sd = (PSECURITY_DESCRIPTOR)0xdeadbeef;
    ULONG size = 0xdeadbeef;
    ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorA("O:BAG:SYD:(A;;GA;;;WD)", SDDL_REVISION_1, &sd,
                                                                    &size));
    ck_assert_uint_eq(size, sizeof ba_sy_everyone_ga);
    ck_assert(!memcmp(sd, ba_sy_everyone_ga, sizeof ba_sy_everyone_ga));
    ck_assert_uint_eq(GetSecurityDescriptorLength(sd), sizeof ba_sy_everyone_ga);
    ck_assert(IsValidSecurityDescriptor(sd));
    LPSTR text = NULL;
    ULONG len = 0xdeadbeef;
    ck_assert(ConvertSecurityDescriptorToStringSecurityDescriptorA(
        sd, SDDL_REVISION_1, OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
        &text, &len));
    ck_assert_str_eq(text, "O:BAG:SYD:(A;;GA;;;WD)");
    ck_assert_uint_eq(len, strlen(text) + 1);
    LocalFree(text);
    ck_assert(ConvertSecurityDescriptorToStringSecurityDescriptorA(sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION,
                                                                    &text, NULL));
    ck_assert_str_eq(text, "D:(A;;GA;;;WD)");
    LocalFree(text);
    LocalFree(sd);
}
END_TEST

/* Strings already in the form Windows writes come back unchanged, in both widths. */
START_TEST(sddl_round_trips_in_the_form_windows_writes)
{
    static const char *texts[] = {
        "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(D;;WD;;;WD)(A;OICIIO;GA;;;CO)(A;CIID;KR;;;BU)S:(ML;;NW;;;HI)",
        "D:NO_ACCESS_CONTROL",
        "O:DAG:DUD:(A;;0x1200a9;;;AU)(A;;RCWDWO;;;S-1-5-21-1-2-3-1104)",
        "D:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)(A;;FR;;;IU)",
        "D:P",
        "G:S-1-5-21-1000000001-2000000002-3000000003-1104S:(AU;SAFA;GW;;;WD)",
    };
    const SECURITY_INFORMATION all = OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION |
                                     DACL_SECURITY_INFORMATION | SACL_SECURITY_INFORMATION;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        PSECURITY_DESCRIPTOR sd;
        ck_assert_msg(ConvertStringSecurityDescriptorToSecurityDescriptorA(texts[i], SDDL_REVISION_1, &sd, NULL),
                      "%s: error %u", texts[i], GetLastError());
        LPSTR a;
        ck_assert(ConvertSecurityDescriptorToStringSecurityDescriptorA(sd, SDDL_REVISION_1, all, &a, NULL));
        ck_assert_str_eq(a, texts[i]);
        LPWSTR w;
        ULONG wlen;
        ck_assert(ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, SDDL_REVISION_1, all, &w, &wlen));
        ck_assert_uint_eq(wlen, strlen(texts[i]) + 1);
        PSECURITY_DESCRIPTOR again;
        ULONG size;
        ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorW(w, SDDL_REVISION_1, &again, &size));
        ck_assert_uint_eq(size, GetSecurityDescriptorLength(sd));
        ck_assert(!memcmp(sd, again, size));
        LocalFree(a);
        LocalFree(w);
        LocalFree(sd);
        LocalFree(again);
    }
}
END_TEST

START_TEST(sddl_mnemonics_read_as_their_masks)
{
    static const struct {
        const char *text;
        DWORD mask;
    } cases[] = {
        {"D:(A;;FA;;;WD)", 0x1f01ff}, {"D:(A;;FR;;;WD)", 0x120089}, {"D:(A;;FW;;;WD)", 0x120116},
        {"D:(A;;FX;;;WD)", 0x1200a0}, {"D:(A;;KA;;;WD)", 0xf003f},  {"D:(A;;KR;;;WD)", 0x20019},
        {"D:(A;;KW;;;WD)", 0x20006},  {"D:(A;;KX;;;WD)", 0x20019},  {"D:(A;;GRGWGX;;;WD)", 0xe0000000},
        {"D:(A;;SDRCWDWO;;;WD)", 0xf0000}, {"D:(A;;0x1F;;;WD)", 0x1f},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        PSECURITY_DESCRIPTOR sd;
        ck_assert(ConvertStringSecurityDescriptorToSecurityDescriptorA(cases[i].text, SDDL_REVISION_1, &sd, NULL));
        BOOL present = FALSE, defaulted = TRUE;
        PACL dacl = NULL;
        ck_assert(GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted));
        ck_assert(present && !defaulted);
        ACCESS_ALLOWED_ACE *ace;
        ck_assert(GetAce(dacl, 0, (LPVOID *)&ace));
        ck_assert_msg(ace->Mask == cases[i].mask, "%s: %#x", cases[i].text, ace->Mask);
        LocalFree(sd);
    }
}
END_TEST

START_TEST(bad_sddl_fails_with_windows_errors_and_leaves_the_output_alone)
{
    static const struct {
        const char *text;
        DWORD error;
    } cases[] = {
        {"D:(A;;ROB;;;WD)", ERROR_INVALID_ACL}, {"D:(Q;;GA;;;WD)", ERROR_INVALID_ACL},
        {"D:(A;XX;GA;;;WD)", ERROR_INVALID_ACL}, {"D:(A;;GA;;WD)", ERROR_INVALID_ACL},
        {"O:ZZ", ERROR_INVALID_SID}, {"D:(A;;GA;;;S-1-5-)", ERROR_INVALID_SID},
        {"X:BA", ERROR_INVALID_PARAMETER}, {"D:(A;;GA;;;WD", ERROR_INVALID_PARAMETER},
        {"D:Q(A;;GA;;;WD)", ERROR_INVALID_PARAMETER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        PSECURITY_DESCRIPTOR sd = (PSECURITY_DESCRIPTOR)0xdeadbeef;
        ULONG size = 0xdeadbeef;
        SetLastError(0xdeadbeef);
        ck_assert(!ConvertStringSecurityDescriptorToSecurityDescriptorA(cases[i].text, SDDL_REVISION_1, &sd, &size));
        ck_assert_msg(GetLastError() == cases[i].error, "%s: %u", cases[i].text, GetLastError());
        ck_assert_ptr_eq(sd, (PSECURITY_DESCRIPTOR)0xdeadbeef);
        ck_assert_uint_eq(size, 0xdeadbeef);
    }
    PSECURITY_DESCRIPTOR sd;
    ck_assert(!ConvertStringSecurityDescriptorToSecurityDescriptorA("D:", 2, &sd, NULL));
    ck_assert_last_error(ERROR_UNKNOWN_REVISION);
    ck_assert(!ConvertStringSecurityDescriptorToSecurityDescriptorA(NULL, SDDL_REVISION_1, &sd, NULL));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(initialize_acl_checks_size_and_revision)
{
    BYTE buf[64];
    PACL acl = (PACL)buf;
    ck_assert(!InitializeAcl(acl, sizeof(ACL) - 1, ACL_REVISION));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert(!InitializeAcl(acl, sizeof buf, 5));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(!InitializeAcl(acl, 0x10000, ACL_REVISION));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(InitializeAcl(acl, sizeof buf, ACL_REVISION));
    ck_assert_uint_eq(acl->AclRevision, ACL_REVISION);
    ck_assert_uint_eq(acl->AclSize, sizeof buf);
    ck_assert_uint_eq(acl->AceCount, 0);
    ck_assert(IsValidAcl(acl));
    ACL_SIZE_INFORMATION info = {0xdeadbeef, 0xdeadbeef, 0xdeadbeef};
    ck_assert(GetAclInformation(acl, &info, sizeof info, AclSizeInformation));
    ck_assert_uint_eq(info.AceCount, 0);
    ck_assert_uint_eq(info.AclBytesInUse, sizeof(ACL));
    ck_assert_uint_eq(info.AclBytesFree, sizeof buf - sizeof(ACL));
    ck_assert(!GetAclInformation(acl, &info, sizeof info - 1, AclSizeInformation));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ACL_REVISION_INFORMATION rev;
    ck_assert(GetAclInformation(acl, &rev, sizeof rev, AclRevisionInformation));
    ck_assert_uint_eq(rev.AclRevision, ACL_REVISION);
    ck_assert(!GetAclInformation(acl, &rev, sizeof rev, (ACL_INFORMATION_CLASS)3));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
}
END_TEST

START_TEST(aces_are_added_found_and_deleted_in_place)
{
    PSID everyone, admins;
    ck_assert(ConvertStringSidToSidA("WD", &everyone));
    ck_assert(ConvertStringSidToSidA("BA", &admins));
    BYTE buf[8 + 20 + 24];
    PACL acl = (PACL)buf;
    ck_assert(InitializeAcl(acl, sizeof buf, ACL_REVISION));
    ck_assert(AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_READ, everyone));
    ck_assert(AddAccessDeniedAceEx(acl, ACL_REVISION, CONTAINER_INHERIT_ACE, WRITE_DAC, admins));
    SetLastError(0xdeadbeef);
    ck_assert(!AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_ALL, everyone));
    ck_assert_last_error(ERROR_ALLOTTED_SPACE_EXCEEDED);
    ck_assert_uint_eq(acl->AceCount, 2);
    LPVOID free_ace = (LPVOID)0xdeadbeef;
    ck_assert(FindFirstFreeAce(acl, &free_ace));
    ck_assert_ptr_null(free_ace); /* full: TRUE and NULL */
    ACCESS_DENIED_ACE *ace;
    ck_assert(GetAce(acl, 1, (LPVOID *)&ace));
    ck_assert_uint_eq(ace->Header.AceType, ACCESS_DENIED_ACE_TYPE);
    ck_assert_uint_eq(ace->Header.AceFlags, CONTAINER_INHERIT_ACE);
    ck_assert_uint_eq(ace->Header.AceSize, 24);
    ck_assert_uint_eq(ace->Mask, WRITE_DAC);
    ck_assert(EqualSid(&ace->SidStart, admins));
    LPVOID none = (LPVOID)0xdeadbeef;
    ck_assert(!GetAce(acl, 2, &none));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert_ptr_eq(none, (LPVOID)0xdeadbeef);
    ck_assert(DeleteAce(acl, 0));
    ck_assert_uint_eq(acl->AceCount, 1);
    ck_assert(GetAce(acl, 0, (LPVOID *)&ace));
    ck_assert_uint_eq(ace->Header.AceType, ACCESS_DENIED_ACE_TYPE);
    ck_assert(!DeleteAce(acl, 1));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(FindFirstFreeAce(acl, &free_ace));
    ck_assert_ptr_eq(free_ace, buf + 8 + 24);
    /* AddAce puts a copy of the allowed ACE back in front. */
    BYTE copy[20] = {ACCESS_ALLOWED_ACE_TYPE, 0, 20, 0, 0, 0, 0, 0x80};
    memcpy(copy + 8, everyone, 12);
    ck_assert(AddAce(acl, ACL_REVISION, 0, copy, sizeof copy));
    ck_assert(GetAce(acl, 0, (LPVOID *)&ace));
    ck_assert_uint_eq(ace->Header.AceType, ACCESS_ALLOWED_ACE_TYPE);
    ck_assert_uint_eq(ace->Mask, GENERIC_READ);
    ck_assert(!AddAce(acl, ACL_REVISION, 0xFFFFFFFF, copy, sizeof copy));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert(!AddAccessAllowedAceEx(acl, ACL_REVISION, 0x20, GENERIC_READ, everyone));
    ck_assert_last_error(ERROR_INVALID_FLAGS);
    BYTE bad_sid[8] = {2, 0};
    ck_assert(!AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_READ, bad_sid));
    ck_assert_last_error(ERROR_INVALID_SID);
    acl->AclRevision = 9;
    ck_assert(!IsValidAcl(acl));
    ck_assert(!AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_READ, everyone));
    ck_assert_last_error(ERROR_INVALID_ACL);
    LocalFree(everyone);
    LocalFree(admins);
}
END_TEST

START_TEST(mandatory_label_ace_takes_only_the_policy_bits)
{
    PSID high;
    ck_assert(ConvertStringSidToSidA("HI", &high));
    BYTE buf[64];
    PACL acl = (PACL)buf;
    ck_assert(InitializeAcl(acl, sizeof buf, ACL_REVISION));
    ck_assert(!AddMandatoryAce(acl, ACL_REVISION, 0, 0x8, high));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(AddMandatoryAce(acl, ACL_REVISION, 0, SYSTEM_MANDATORY_LABEL_NO_WRITE_UP, high));
    SYSTEM_MANDATORY_LABEL_ACE *ace;
    ck_assert(GetAce(acl, 0, (LPVOID *)&ace));
    ck_assert_uint_eq(ace->Header.AceType, SYSTEM_MANDATORY_LABEL_ACE_TYPE);
    ck_assert_uint_eq(ace->Mask, SYSTEM_MANDATORY_LABEL_NO_WRITE_UP);
    LocalFree(high);
}
END_TEST

/* The same descriptor built by hand and made self-relative is the SDDL parser's bytes. */
START_TEST(make_self_relative_sd_lays_out_what_sddl_does)
{
    PSID everyone, admins, system;
    ck_assert(ConvertStringSidToSidA("WD", &everyone));
    ck_assert(ConvertStringSidToSidA("BA", &admins));
    ck_assert(ConvertStringSidToSidA("SY", &system));
    BYTE aclbuf[0x1c];
    PACL acl = (PACL)aclbuf;
    ck_assert(InitializeAcl(acl, sizeof aclbuf, ACL_REVISION));
    ck_assert(AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_ALL, everyone));
    SECURITY_DESCRIPTOR abs;
    ck_assert(!InitializeSecurityDescriptor(&abs, 2));
    ck_assert_last_error(ERROR_UNKNOWN_REVISION);
    ck_assert(InitializeSecurityDescriptor(&abs, SECURITY_DESCRIPTOR_REVISION));
    ck_assert_uint_eq(GetSecurityDescriptorLength(&abs), 20);
    ck_assert(SetSecurityDescriptorOwner(&abs, admins, FALSE));
    ck_assert(SetSecurityDescriptorGroup(&abs, system, FALSE));
    ck_assert(SetSecurityDescriptorDacl(&abs, TRUE, acl, FALSE));
    ck_assert(IsValidSecurityDescriptor(&abs));
    DWORD len = 0;
    ck_assert(!MakeSelfRelativeSD(&abs, NULL, &len));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(len, sizeof ba_sy_everyone_ga);
    BYTE rel[sizeof ba_sy_everyone_ga];
    ck_assert(MakeSelfRelativeSD(&abs, rel, &len));
    ck_assert(!memcmp(rel, ba_sy_everyone_ga, sizeof rel));
    ck_assert(!MakeSelfRelativeSD(rel, rel, &len));
    ck_assert_last_error(ERROR_BAD_DESCRIPTOR_FORMAT);
    /* Setters refuse the self-relative form. */
    ck_assert(!SetSecurityDescriptorOwner(rel, system, FALSE));
    ck_assert_last_error(ERROR_INVALID_SECURITY_DESCR);
    SECURITY_DESCRIPTOR_CONTROL control;
    DWORD revision;
    ck_assert(GetSecurityDescriptorControl(rel, &control, &revision));
    ck_assert_uint_eq(control, SE_SELF_RELATIVE | SE_DACL_PRESENT);
    ck_assert_uint_eq(revision, SECURITY_DESCRIPTOR_REVISION);
    LocalFree(everyone);
    LocalFree(admins);
    LocalFree(system);
}
END_TEST

START_TEST(make_absolute_sd_reports_every_size_then_copies)
{
    DWORD abs_size = 0, dacl_size = 0, sacl_size = 0xdeadbeef, owner_size = 0, group_size = 0;
    SetLastError(0xdeadbeef);
    ck_assert(!MakeAbsoluteSD((PSECURITY_DESCRIPTOR)ba_sy_everyone_ga, NULL, &abs_size, NULL, &dacl_size, NULL,
                              &sacl_size, NULL, &owner_size, NULL, &group_size));
    ck_assert_last_error(ERROR_INSUFFICIENT_BUFFER);
    ck_assert_uint_eq(abs_size, sizeof(SECURITY_DESCRIPTOR));
    ck_assert_uint_eq(dacl_size, 0x1c);
    ck_assert_uint_eq(sacl_size, 0);
    ck_assert_uint_eq(owner_size, 16);
    ck_assert_uint_eq(group_size, 12);
    SECURITY_DESCRIPTOR abs;
    BYTE dacl[0x1c], owner[16], group[12];
    ck_assert(MakeAbsoluteSD((PSECURITY_DESCRIPTOR)ba_sy_everyone_ga, &abs, &abs_size, (PACL)dacl, &dacl_size, NULL,
                             &sacl_size, owner, &owner_size, group, &group_size));
    ck_assert_ptr_eq(abs.Dacl, dacl);
    ck_assert_ptr_eq(abs.Owner, owner);
    ck_assert_ptr_eq(abs.Group, group);
    ck_assert_ptr_null(abs.Sacl);
    ck_assert_uint_eq(abs.Control, SE_DACL_PRESENT);
    ck_assert(!memcmp(dacl, ba_sy_everyone_ga + 0x14, sizeof dacl));
    ck_assert(!MakeAbsoluteSD(&abs, &abs, &abs_size, (PACL)dacl, &dacl_size, NULL, &sacl_size, owner, &owner_size,
                              group, &group_size));
    ck_assert_last_error(ERROR_BAD_DESCRIPTOR_FORMAT);
}
END_TEST

START_TEST(descriptor_getters_and_control_follow_windows)
{
    SECURITY_DESCRIPTOR sd;
    ck_assert(InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION));
    BOOL present = 0xdead, defaulted = 0xdead;
    PACL dacl = (PACL)0xdeadbeef;
    ck_assert(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted));
    ck_assert(!present);
    ck_assert_ptr_eq(dacl, (PACL)0xdeadbeef); /* untouched when absent */
    ck_assert_int_eq(defaulted, 0xdead);
    ck_assert(SetSecurityDescriptorDacl(&sd, TRUE, NULL, TRUE)); /* a NULL DACL: everyone gets everything */
    ck_assert(GetSecurityDescriptorDacl(&sd, &present, &dacl, &defaulted));
    ck_assert(present && defaulted);
    ck_assert_ptr_null(dacl);
    PSID owner = (PSID)0xdeadbeef;
    ck_assert(GetSecurityDescriptorOwner(&sd, &owner, &defaulted));
    ck_assert_ptr_null(owner);
    ck_assert(!defaulted);
    ck_assert(!SetSecurityDescriptorControl(&sd, SE_DACL_PRESENT, SE_DACL_PRESENT));
    ck_assert_last_error(ERROR_INVALID_PARAMETER);
    ck_assert(SetSecurityDescriptorControl(&sd, SE_DACL_PROTECTED, SE_DACL_PROTECTED));
    SECURITY_DESCRIPTOR_CONTROL control;
    DWORD revision;
    ck_assert(GetSecurityDescriptorControl(&sd, &control, &revision));
    ck_assert_uint_eq(control, SE_DACL_PRESENT | SE_DACL_DEFAULTED | SE_DACL_PROTECTED);
    LPSTR text;
    ck_assert(ConvertSecurityDescriptorToStringSecurityDescriptorA(&sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION,
                                                                    &text, NULL));
    ck_assert_str_eq(text, "D:PNO_ACCESS_CONTROL");
    LocalFree(text);
    sd.Revision = 2;
    ck_assert(!GetSecurityDescriptorOwner(&sd, &owner, &defaulted));
    ck_assert_last_error(ERROR_UNKNOWN_REVISION);
    ck_assert(!IsValidSecurityDescriptor(&sd));
    ck_assert_last_error(ERROR_INVALID_SECURITY_DESCR);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api/security");
    TCase *tc = test_case("security descriptors");
    tcase_add_test(tc, sddl_parses_to_the_windows_self_relative_bytes);
    tcase_add_test(tc, sddl_round_trips_in_the_form_windows_writes);
    tcase_add_test(tc, sddl_mnemonics_read_as_their_masks);
    tcase_add_test(tc, bad_sddl_fails_with_windows_errors_and_leaves_the_output_alone);
    tcase_add_test(tc, initialize_acl_checks_size_and_revision);
    tcase_add_test(tc, aces_are_added_found_and_deleted_in_place);
    tcase_add_test(tc, mandatory_label_ace_takes_only_the_policy_bits);
    tcase_add_test(tc, make_self_relative_sd_lays_out_what_sddl_does);
    tcase_add_test(tc, make_absolute_sd_reports_every_size_then_copies);
    tcase_add_test(tc, descriptor_getters_and_control_follow_windows);
    suite_add_tcase(s, tc);
    return test_run(s);
}
