/* `mqtk run`: the conformance runner's command (registered in cli/commands.c). */
#ifndef CF_CMD_RUN_H
#define CF_CMD_RUN_H

int mqtk_cmd_run(int argc, char **argv);

#endif
