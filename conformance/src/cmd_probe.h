/* `mqtk probe`: what a broker announces about itself in its 5.0 CONNACK, as a profile. */
#ifndef CF_CMD_PROBE_H
#define CF_CMD_PROBE_H

int mqtk_cmd_probe(int argc, char **argv);

#endif
