/* THE reason code table: every code with its name in each packet type that carries it, per
 * version (5.0 Table 2-6 and the per-packet tables; 3.1 / 3.1.1 CONNACK return codes and SUBACK
 * codes), and which sender may use it where a table restricts that (5.0 Tables 3-10 and 3-11). */
#include "reason_table.h"

#define T(t) (1u << MQTT_##t)

enum { V31, V311, V5, VERSION_COLUMNS };

typedef struct reason_row {
    uint8_t code;
    const char *name;
    uint16_t types[VERSION_COLUMNS]; /* packet types carrying the code under this name, per version */
    uint16_t client_only;            /* types where only a client may send it */
    uint16_t server_only;            /* types where only a server may send it */
} reason_row;

/* The packet types carrying a code under a name, per version column: (3.1, 3.1.1, 5.0). */
#define V5_ONLY(types_) (0, 0, (types_))
#define ALL_VERSIONS(types_) ((types_), (types_), (types_))
#define V3X_ONLY(types_) ((types_), (types_), 0)
#define VERSIONS(v31_, v311_, v5_) ((v31_), (v311_), (v5_))
#define VCOL0(a, b, c) (a)
#define VCOL1(a, b, c) (b)
#define VCOL2(a, b, c) (c)
#define VCOL(col, versions_) ((col) == V31 ? VCOL0 versions_ : (col) == V311 ? VCOL1 versions_ : VCOL2 versions_)

/* THE table, sorted by code: X(arg, code, name, types per version, types where only a client may
 * send it, types where only a server may). Expanded into the rows below (names) and into the bit
 * sets mqtt_reason_allowed reads. */
#define REASON_MATRIX(X, arg) \
    X(arg, 0x00, "accepted", V3X_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x00, "success", V5_ONLY(T(CONNACK) | T(PUBACK) | T(PUBREC) | T(PUBREL) | T(PUBCOMP) | T(UNSUBACK) | T(AUTH)), 0, T(AUTH)) \
    X(arg, 0x00, "normal_disconnection", V5_ONLY(T(DISCONNECT)), 0, 0) \
    X(arg, 0x00, "granted_qos_0", ALL_VERSIONS(T(SUBACK)), 0, 0) \
    X(arg, 0x01, "unacceptable_protocol_version", V3X_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x01, "granted_qos_1", ALL_VERSIONS(T(SUBACK)), 0, 0) \
    X(arg, 0x02, "identifier_rejected", V3X_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x02, "granted_qos_2", ALL_VERSIONS(T(SUBACK)), 0, 0) \
    X(arg, 0x03, "server_unavailable", V3X_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x04, "bad_username_or_password", V3X_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x04, "disconnect_with_will_message", V5_ONLY(T(DISCONNECT)), T(DISCONNECT), 0) \
    X(arg, 0x05, "not_authorized", V3X_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x10, "no_matching_subscribers", V5_ONLY(T(PUBACK) | T(PUBREC)), 0, 0) \
    X(arg, 0x11, "no_subscription_existed", V5_ONLY(T(UNSUBACK)), 0, 0) \
    X(arg, 0x18, "continue_authentication", V5_ONLY(T(AUTH)), 0, 0) \
    X(arg, 0x19, "re_authenticate", V5_ONLY(T(AUTH)), T(AUTH), 0) \
    X(arg, 0x80, "failure", VERSIONS(0, T(SUBACK), 0), 0, 0) \
    X(arg, 0x80, "unspecified_error", V5_ONLY(T(CONNACK) | T(PUBACK) | T(PUBREC) | T(SUBACK) | T(UNSUBACK) | T(DISCONNECT)), 0, 0) \
    X(arg, 0x81, "malformed_packet", V5_ONLY(T(CONNACK) | T(DISCONNECT)), 0, 0) \
    X(arg, 0x82, "protocol_error", V5_ONLY(T(CONNACK) | T(DISCONNECT)), 0, 0) \
    X(arg, 0x83, "implementation_specific_error", V5_ONLY(T(CONNACK) | T(PUBACK) | T(PUBREC) | T(SUBACK) | T(UNSUBACK) | T(DISCONNECT)), 0, 0) \
    X(arg, 0x84, "unsupported_protocol_version", V5_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x85, "client_identifier_not_valid", V5_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x86, "bad_user_name_or_password", V5_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x87, "not_authorized", V5_ONLY(T(CONNACK) | T(PUBACK) | T(PUBREC) | T(SUBACK) | T(UNSUBACK) | T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0x88, "server_unavailable", V5_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x89, "server_busy", V5_ONLY(T(CONNACK) | T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0x8A, "banned", V5_ONLY(T(CONNACK)), 0, 0) \
    X(arg, 0x8B, "server_shutting_down", V5_ONLY(T(DISCONNECT)), 0, T(DISCONNECT)) \
    /* Table 2-6 lists 0x8C for DISCONNECT, Table 3-10 omits it: accepted, from either side. */ \
    X(arg, 0x8C, "bad_authentication_method", V5_ONLY(T(CONNACK) | T(DISCONNECT)), 0, 0) \
    X(arg, 0x8D, "keep_alive_timeout", V5_ONLY(T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0x8E, "session_taken_over", V5_ONLY(T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0x8F, "topic_filter_invalid", V5_ONLY(T(SUBACK) | T(UNSUBACK) | T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0x90, "topic_name_invalid", V5_ONLY(T(CONNACK) | T(PUBACK) | T(PUBREC) | T(DISCONNECT)), 0, 0) \
    X(arg, 0x91, "packet_identifier_in_use", V5_ONLY(T(PUBACK) | T(PUBREC) | T(SUBACK) | T(UNSUBACK)), 0, 0) \
    X(arg, 0x92, "packet_identifier_not_found", V5_ONLY(T(PUBREL) | T(PUBCOMP)), 0, 0) \
    X(arg, 0x93, "receive_maximum_exceeded", V5_ONLY(T(DISCONNECT)), 0, 0) \
    X(arg, 0x94, "topic_alias_invalid", V5_ONLY(T(DISCONNECT)), 0, 0) \
    X(arg, 0x95, "packet_too_large", V5_ONLY(T(CONNACK) | T(DISCONNECT)), 0, 0) \
    X(arg, 0x96, "message_rate_too_high", V5_ONLY(T(DISCONNECT)), 0, 0) \
    X(arg, 0x97, "quota_exceeded", V5_ONLY(T(CONNACK) | T(PUBACK) | T(PUBREC) | T(SUBACK) | T(DISCONNECT)), 0, 0) \
    X(arg, 0x98, "administrative_action", V5_ONLY(T(DISCONNECT)), 0, 0) \
    X(arg, 0x99, "payload_format_invalid", V5_ONLY(T(CONNACK) | T(PUBACK) | T(PUBREC) | T(DISCONNECT)), 0, 0) \
    X(arg, 0x9A, "retain_not_supported", V5_ONLY(T(CONNACK) | T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0x9B, "qos_not_supported", V5_ONLY(T(CONNACK) | T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0x9C, "use_another_server", V5_ONLY(T(CONNACK) | T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0x9D, "server_moved", V5_ONLY(T(CONNACK) | T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0x9E, "shared_subscriptions_not_supported", V5_ONLY(T(SUBACK) | T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0x9F, "connection_rate_exceeded", V5_ONLY(T(CONNACK) | T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0xA0, "maximum_connect_time", V5_ONLY(T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0xA1, "subscription_identifiers_not_supported", V5_ONLY(T(SUBACK) | T(DISCONNECT)), 0, T(DISCONNECT)) \
    X(arg, 0xA2, "wildcard_subscriptions_not_supported", V5_ONLY(T(SUBACK) | T(DISCONNECT)), 0, T(DISCONNECT))

#define ROW(unused, code_, name_, versions_, client_only_, server_only_)                                       \
    {(code_), (name_), {VCOL0 versions_, VCOL1 versions_, VCOL2 versions_}, (client_only_), (server_only_)},
static const reason_row reason_table[] = {REASON_MATRIX(ROW, 0)};

/* Which codes a packet type may carry, as 256-bit sets (4 words) per version column and type, with
 * the codes one sender may not use taken out per direction: [column][direction][type][code / 64].
 * The rows give each (version, type, code) at most one name, so a set bit is that row's answer, and
 * the decoder tests a code with one load instead of a search. */
#define AT_COL(col, type, word, dir) (col)
#define AT_TYPE(col, type, word, dir) (type)
#define AT_WORD(col, type, word, dir) (word)
#define AT_DIR(col, type, word, dir) (dir)
#define REFUSED(dir, client_only_, server_only_)                                                                 \
    ((dir) == MQTT_DIR_TO_CLIENT ? (client_only_) : (dir) == MQTT_DIR_TO_SERVER ? (server_only_) : 0u)
#define ALLOWED_BIT(at, code_, name_, versions_, client_only_, server_only_)                                     \
    | ((code_) >> 6 == AT_WORD at &&                                                                             \
               (VCOL(AT_COL at, versions_) & ~REFUSED(AT_DIR at, client_only_, server_only_) & 1u << AT_TYPE at) \
           ? 1ull << ((code_) & 63)                                                                              \
           : 0)
#define ALLOWED_WORDS(col, dir, type)                                                                             \
    {0 REASON_MATRIX(ALLOWED_BIT, (col, type, 0, dir)), 0 REASON_MATRIX(ALLOWED_BIT, (col, type, 1, dir)),       \
     0 REASON_MATRIX(ALLOWED_BIT, (col, type, 2, dir)), 0 REASON_MATRIX(ALLOWED_BIT, (col, type, 3, dir))}
#define ALLOWED_TYPES(col, dir)                                                                                   \
    {ALLOWED_WORDS(col, dir, 0),  ALLOWED_WORDS(col, dir, 1),  ALLOWED_WORDS(col, dir, 2),                        \
     ALLOWED_WORDS(col, dir, 3),  ALLOWED_WORDS(col, dir, 4),  ALLOWED_WORDS(col, dir, 5),                        \
     ALLOWED_WORDS(col, dir, 6),  ALLOWED_WORDS(col, dir, 7),  ALLOWED_WORDS(col, dir, 8),                        \
     ALLOWED_WORDS(col, dir, 9),  ALLOWED_WORDS(col, dir, 10), ALLOWED_WORDS(col, dir, 11),                       \
     ALLOWED_WORDS(col, dir, 12), ALLOWED_WORDS(col, dir, 13), ALLOWED_WORDS(col, dir, 14),                       \
     ALLOWED_WORDS(col, dir, 15)}
#define ALLOWED_DIRS(col)                                                                                        \
    {ALLOWED_TYPES(col, MQTT_DIR_UNKNOWN), ALLOWED_TYPES(col, MQTT_DIR_TO_SERVER), ALLOWED_TYPES(col, MQTT_DIR_TO_CLIENT)}
static const uint64_t reason_allowed_bits[VERSION_COLUMNS][MQTT_DIR_TO_CLIENT + 1][16][4] = {
    ALLOWED_DIRS(V31), ALLOWED_DIRS(V311), ALLOWED_DIRS(V5)};

#define REASON_ROWS (sizeof reason_table / sizeof reason_table[0])

/* The statement each packet type's code rule carries: [type][0] 3.1 / 3.1.1, [type][1] 5.0. */
static const char *const reason_statements[16][2] = {
    [MQTT_CONNACK] = {NULL, "MQTT-3.2.2-8"},
    [MQTT_PUBACK] = {NULL, "MQTT-3.4.2-1"},
    [MQTT_PUBREC] = {NULL, "MQTT-3.5.2-1"},
    [MQTT_PUBREL] = {NULL, "MQTT-3.6.2-1"},
    [MQTT_PUBCOMP] = {NULL, "MQTT-3.7.2-1"},
    [MQTT_SUBACK] = {"MQTT-3.9.3-2", "MQTT-3.9.3-2"},
    [MQTT_UNSUBACK] = {NULL, "MQTT-3.11.3-2"},
    [MQTT_DISCONNECT] = {NULL, "MQTT-3.14.2-1"},
    [MQTT_AUTH] = {NULL, "MQTT-3.15.2-1"},
};

static int column_of(mqtt_version v)
{
    switch (v) {
    case MQTT_V31:
        return V31;
    case MQTT_V311:
        return V311;
    case MQTT_V5:
        return V5;
    }
    return -1;
}

static const reason_row *find(mqtt_version v, mqtt_packet_type type, uint8_t code)
{
    int col = column_of(v);
    if (col < 0 || (unsigned)type > 15)
        return NULL;
    const uint16_t bit = (uint16_t)(1u << type);
    /* binary search for the code's first row, then its few rows (one per name) */
    size_t lo = 0, hi = REASON_ROWS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (reason_table[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < REASON_ROWS && reason_table[i].code == code; i++)
        if (reason_table[i].types[col] & bit)
            return &reason_table[i];
    return NULL;
}

bool mqtt_reason_allowed(mqtt_version v, mqtt_packet_type type, uint8_t code, mqtt_direction dir)
{
    int col = column_of(v);
    if (col < 0 || (unsigned)type > 15)
        return false;
    const unsigned d = (unsigned)dir <= MQTT_DIR_TO_CLIENT ? (unsigned)dir : MQTT_DIR_UNKNOWN;
    return reason_allowed_bits[col][d][type][code >> 6] >> (code & 63) & 1u;
}

const char *mqtt_reason_name(mqtt_version v, mqtt_packet_type type, uint8_t code)
{
    const reason_row *row = find(v, type, code);
    return row ? row->name : NULL;
}

const char *reason_statement(mqtt_version v, mqtt_packet_type type)
{
    if ((unsigned)type > 15)
        return NULL;
    return reason_statements[type][v == MQTT_V5 ? 1 : 0];
}
