/* Windows code that loads the security provider at run time, as much of it does: the DLL by name
 * (security.dll on old systems, secur32.dll on newer), InitSecurityInterface through GetProcAddress,
 * the packages listed through the table; the Windows version in its log line, built with wsprintf and
 * the lstr functions. Builds unchanged with MSVC or MinGW-w64 and, against libfakesspi, with gcc and g++. */
#define SECURITY_WIN32
#include <windows.h>
#include <security.h>
#include <stdio.h>

static HMODULE provider;

static PSecurityFunctionTableA load_provider(void)
{
    INIT_SECURITY_INTERFACE_A init;
    OSVERSIONINFOA version;
    char log[256];

    ZeroMemory(&version, sizeof version);
    version.dwOSVersionInfoSize = sizeof version;
    if (!GetVersionExA(&version))
        return NULL;
    provider = LoadLibraryA(version.dwPlatformId == VER_PLATFORM_WIN32_NT && version.dwMajorVersion < 5
                                ? "security.dll" : "secur32.dll");
    if (provider == NULL) {
        printf("LoadLibrary failed: %lu\n", (unsigned long)GetLastError());
        return NULL;
    }
    init = (INIT_SECURITY_INTERFACE_A)GetProcAddress(provider, SECURITY_ENTRYPOINT_ANSIA);
    if (init == NULL) {
        printf("GetProcAddress failed: %lu\n", (unsigned long)GetLastError());
        return NULL;
    }
    wsprintfA(log, "Windows %lu.%lu (build %lu), provider loaded", version.dwMajorVersion,
              version.dwMinorVersion, version.dwBuildNumber);
    printf("%s\n", log);
    return init();
}

int main(void)
{
    PSecurityFunctionTableA sspi = load_provider();
    ULONG count = 0, i;
    PSecPkgInfoA packages = NULL;
    char names[512] = "";
    FARPROC missing;

    if (sspi == NULL)
        return 1;
    if (sspi->EnumerateSecurityPackagesA(&count, &packages) != SEC_E_OK)
        return 1;
    for (i = 0; i < count; i++) {
        if (lstrlenA(names) + lstrlenA(packages[i].Name) + 2 >= (int)sizeof names)
            break;
        if (i)
            lstrcatA(names, " ");
        lstrcatA(names, packages[i].Name);
    }
    printf("packages: %s\n", names);
    sspi->FreeContextBuffer(packages);

    missing = GetProcAddress(provider, "NoSuchSecurityFunction");
    printf("missing function: %s, error %lu\n", missing ? "found" : "NULL", (unsigned long)GetLastError());
    if (GetModuleHandleA("no_such_module.dll") == NULL)
        printf("missing module: error %lu\n", (unsigned long)GetLastError());
    FreeLibrary(provider);
    return 0;
}
