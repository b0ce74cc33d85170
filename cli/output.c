#include "output.h"

#include <errno.h>
#include <stdio.h>

static int first_errno;

int mqtk_flush_stdout(void)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    if (!first_errno && errno)
        first_errno = errno;
    return -1;
}

int mqtk_stdout_errno(void)
{
    return first_errno;
}
