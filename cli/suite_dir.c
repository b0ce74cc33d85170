#include "suite_dir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if !defined(MQTK_SUITE_DIR) || !defined(MQTK_SUITE_FROM_BIN)
#error "MQTK_SUITE_DIR (the source tree's suite/) and MQTK_SUITE_FROM_BIN come from cli/CMakeLists.txt"
#endif

/* The installed suite (PREFIX/share/mqtk/suite for PREFIX/bin/mqtk: MQTK_SUITE_FROM_BIN is the path
 * from the executable's folder), when that folder holds statements/. */
static const char *installed_suite(void)
{
    static char dir[PATH_MAX + 32];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char probe[sizeof dir + 16];
    snprintf(dir, sizeof dir, "%s/%s", exe, MQTK_SUITE_FROM_BIN);
    snprintf(probe, sizeof probe, "%s/statements", dir);
    return access(probe, R_OK | X_OK) == 0 ? dir : NULL;
}

const char *mqtk_suite_dir(const char *given)
{
    if (given)
        return given;
    const char *env = getenv("MQTK_SUITE");
    if (env && *env)
        return env;
    const char *installed = installed_suite();
    return installed ? installed : MQTK_SUITE_DIR;
}
