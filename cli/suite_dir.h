/* Where the conformance suite (version folders, statements/, profiles/) is, for run and fuzz. */
#ifndef MQTK_SUITE_DIR_H
#define MQTK_SUITE_DIR_H

/* In order: given (--suite), $MQTK_SUITE, beside the executable as `cmake --install` lays it out
 * (PREFIX/bin/mqtk -> PREFIX/share/mqtk/suite), the source tree mqtk was built from. */
const char *mqtk_suite_dir(const char *given);

#endif
