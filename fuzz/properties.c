/* mqtk fuzz target "properties": raw v5 property lists.
 * Input: [place][direction][base offset][list bytes]; place = byte % 17 (0 is no packet type,
 * 1..15 a packet type, 16 the Will Properties), direction = byte % 3.
 * Any list: mqtt_props_validate returns a real error inside the list, and the iterator, count and
 * find terminate inside the bytes however malformed they are (defensive reading).
 * A valid list: iterates to its exact end, no forbidden repeat, values in range, find agrees with
 * the iterator, and the builder rebuilds exactly the same bytes from the iterated properties.
 * MQTK_FUZZ_MAX_LEN: 1024 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "fuzz_target.h"

static void check_any_list(mqtt_props props)
{
    mqtt_prop_iter it;
    mqtt_property p;
    uint32_t n = 0;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &p)) {
        FUZZ_REQUIRE(++n <= props.len, "iterator over invalid bytes does not terminate");
        FUZZ_REQUIRE(p.offset < props.len, "property offset %u past the list", (unsigned)p.offset);
        FUZZ_REQUIRE(fuzz_view_inside(p.data.data, p.data.len, props.data, props.data + props.len) &&
                         fuzz_view_inside(p.data2.data, p.data2.len, props.data, props.data + props.len),
                     "iterator yields a view outside the list");
    }
    FUZZ_REQUIRE(mqtt_props_count(props) <= props.len, "count %u for %u bytes", (unsigned)mqtt_props_count(props),
                 (unsigned)props.len);
    unsigned id = props.len ? props.data[0] : 0u; /* the likeliest id to be found, even in bad bytes */
    if (mqtt_props_find(props, id, &p))
        FUZZ_REQUIRE(p.id == id && p.offset < props.len, "find(0x%02x) returns 0x%02x at %u", id, (unsigned)p.id,
                     (unsigned)p.offset);
}

static void check_values(const mqtt_property *p, unsigned place, const bool *seen)
{
    unsigned id = p->id;
    FUZZ_REQUIRE(!seen[id] || mqtt_prop_may_repeat(id, place), "property 0x%02x repeated in place %u", id, place);
    if (p->type == MQTT_PTYPE_BYTE)
        FUZZ_REQUIRE(p->value <= 1u, "byte property 0x%02x = %u accepted", id, (unsigned)p->value);
    if (id == MQTT_PROP_RECEIVE_MAXIMUM || id == MQTT_PROP_MAXIMUM_PACKET_SIZE || id == MQTT_PROP_TOPIC_ALIAS ||
        id == MQTT_PROP_SUBSCRIPTION_IDENTIFIER)
        FUZZ_REQUIRE(p->value != 0, "property 0x%02x = 0 accepted", id);
    if (id == MQTT_PROP_RESPONSE_TOPIC)
        FUZZ_REQUIRE(mqtt_topic_name_check(p->data, NULL) == MQTT_OK, "Response Topic accepted but not a topic name");
    if (p->type == MQTT_PTYPE_VARINT)
        FUZZ_REQUIRE(p->value <= MQTT_MAX_REMAINING_LENGTH, "varint property value %u", (unsigned)p->value);
}

/* Rebuild the list with the builder from what the iterator read; it must be the same bytes. */
static void check_rebuild(mqtt_props props)
{
    uint8_t *space = malloc(props.len + 1u);
    if (!space)
        return;
    mqtt_props_builder b;
    mqtt_props_builder_init(&b, space, props.len);
    mqtt_prop_iter it;
    mqtt_property p;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &p)) {
        if (p.type == MQTT_PTYPE_STRING_PAIR)
            mqtt_props_add_pair(&b, p.id, p.data, p.data2);
        else if (p.type == MQTT_PTYPE_STRING || p.type == MQTT_PTYPE_BINARY)
            mqtt_props_add_bytes(&b, p.id, p.data);
        else
            mqtt_props_add_int(&b, p.id, p.value);
    }
    mqtt_props out;
    mqtt_err rc = mqtt_props_finish(&b, &out);
    FUZZ_REQUIRE(rc == MQTT_OK, "builder refuses a valid list: %s", mqtt_err_name(rc));
    FUZZ_REQUIRE(out.len == props.len && (props.len == 0 || memcmp(out.data, props.data, props.len) == 0),
                 "builder writes %u bytes that differ from the %u-byte list", (unsigned)out.len, (unsigned)props.len);
    free(space);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A header cut short reads as zeros with an empty list, instead of ending the run: this harness
     * has no coverage counters (harness.ignorelist), so an input that returned before the codec
     * would show libFuzzer nothing, and its first input from an empty corpus is one byte. */
    size_t head = size < 3 ? size : 3;
    if (size - head > MQTT_MAX_REMAINING_LENGTH)
        return 0;
    unsigned place = head > 0 ? data[0] % 17u : 0u;
    mqtt_direction dir = (mqtt_direction)(head > 1 ? data[1] % 3u : 0u);
    uint32_t base = head > 2 ? data[2] : 0u;
    const uint8_t *buf = data + head; /* read in place: the input buffer is exactly size bytes */
    uint32_t len = (uint32_t)(size - head);
    mqtt_props props = {buf, len};

    mqtt_error err = {MQTT_OK, 0, NULL};
    mqtt_err rc = mqtt_props_validate(props, place, dir, base, &err);
    check_any_list(props);
    if (rc != MQTT_OK) {
        FUZZ_REQUIRE(rc < MQTT_ERR_COUNT && err.code == rc, "validate returns %s, error says %s", mqtt_err_name(rc),
                     mqtt_err_name(err.code));
        FUZZ_REQUIRE(err.offset >= base && err.offset <= base + len, "error %s at %u outside the list [%u, %u]",
                     mqtt_err_name(rc), (unsigned)err.offset, (unsigned)base, (unsigned)(base + len));
        return 0;
    }
    if (place >= MQTT_CONNECT && place <= MQTT_PROPS_IN_WILL)
        fuzz_check_props(props, place, MQTT_V5, dir, buf, buf + len, "property list");
    bool seen[MQTT_PROP_ID_MAX + 1] = {false};
    mqtt_prop_iter it;
    mqtt_property p, found;
    bool method = mqtt_props_find(props, MQTT_PROP_AUTHENTICATION_METHOD, &p);
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &p)) {
        FUZZ_REQUIRE(p.id >= 1 && p.id <= MQTT_PROP_ID_MAX, "valid list yields id 0x%x", (unsigned)p.id);
        check_values(&p, place, seen);
        FUZZ_REQUIRE(p.id != MQTT_PROP_AUTHENTICATION_DATA || method, "Authentication Data without Method accepted");
        if (!seen[p.id])
            FUZZ_REQUIRE(mqtt_props_find(props, p.id, &found) && found.offset == p.offset,
                         "find(0x%02x) misses its first occurrence at %u", (unsigned)p.id, (unsigned)p.offset);
        seen[p.id] = true;
    }
    unsigned absent = 1u + base % MQTT_PROP_ID_MAX; /* a fuzzer-chosen id: found exactly when present */
    FUZZ_REQUIRE(mqtt_props_find(props, absent, &found) == seen[absent], "find(0x%02x) disagrees with the iterator",
                 absent);
    check_rebuild(props);
    return 0;
}
