/* The command table: one row per command, in the order `mqtk --help` lists them. */
#include "commands.h"

const mqtk_command mqtk_commands[] = {
    {"decode", "decode and validate a byte stream of MQTT packets (text or JSON Lines)", mqtk_cmd_decode},
    {"encode", "encode JSON Lines (the decode --json schema) into packet bytes", mqtk_cmd_encode},
    {"pcap", "decode the MQTT in a capture file (pcap/pcapng): reassembled, validated, per packet", mqtk_cmd_pcap},
    {"replay", "replay the client sessions of a capture against a live broker and report divergences",
     mqtk_cmd_replay},
    {"fuzz", "fuzz a live broker with stateful multi-client sessions; findings replay as scripts", mqtk_cmd_fuzz},
    {"probe", "print the capabilities a broker announces in its MQTT 5.0 CONNACK, as a profile", mqtk_cmd_probe},
    {"run", "run the conformance suite against a broker (or an embedded mosquitto) and certify it", mqtk_cmd_run},
};

const size_t mqtk_command_count = sizeof mqtk_commands / sizeof mqtk_commands[0];
