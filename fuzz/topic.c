/* mqtk fuzz target "topic": UTF-8 checking, topic name / filter validation and matching, each held
 * against a small reference written here from the standard's rules (differential), plus the
 * consistency properties matching must have.
 * Input: [mode][filter bytes][0xFF][name bytes] (0xFF never occurs in UTF-8, so it is a safe
 * separator; without one, the same bytes serve as filter and name). mode bit 0: 3.1.1 or 5.0.
 * The references' branches are the standard's rules, so their coverage steers the fuzzer too.
 * MQTK_FUZZ_MAX_LEN: 1024
 * MQTK_FUZZ_TRACE_HARNESS: yes */
#include <string.h>

#include "fuzz_support.h"
#include "fuzz_target.h"

/* Reference UTF-8 check (Unicode Table 3-7 plus the MQTT ban on U+0000); *start is where the first
 * bad sequence begins. */
static mqtt_err ref_utf8(const uint8_t *s, uint32_t len, uint32_t *start)
{
    uint32_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        *start = i;
        if (c == 0)
            return MQTT_ERR_UTF8_NULL;
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t n;
        uint8_t lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) n = 1;
        else if (c == 0xE0) { n = 2; lo = 0xA0; }
        else if (c >= 0xE1 && c <= 0xEF) { n = 2; if (c == 0xED) hi = 0x9F; }
        else if (c == 0xF0) { n = 3; lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) n = 3;
        else if (c == 0xF4) { n = 3; hi = 0x8F; }
        else return MQTT_ERR_UTF8_INVALID;
        if (len - i - 1 < n || s[i + 1] < lo || s[i + 1] > hi)
            return MQTT_ERR_UTF8_INVALID;
        for (uint32_t k = 2; k <= n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return MQTT_ERR_UTF8_INVALID;
        i += n + 1;
    }
    return MQTT_OK;
}

static bool has_byte(const uint8_t *s, uint32_t len, uint8_t c)
{
    return len > 0 && memchr(s, c, len) != NULL;
}

static bool ref_name_ok(mqtt_bytes n)
{
    uint32_t at;
    return n.len > 0 && ref_utf8(n.data, n.len, &at) == MQTT_OK && !has_byte(n.data, n.len, '+') &&
           !has_byte(n.data, n.len, '#');
}

/* Wildcard placement only: '#' alone in the last level, '+' alone in its level. */
static bool ref_levels_ok(const uint8_t *s, uint32_t len)
{
    uint32_t start = 0;
    for (uint32_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '/')
            continue;
        uint32_t l = i - start;
        const uint8_t *lv = s + start;
        if (has_byte(lv, l, '#') && !(l == 1 && i == len))
            return false;
        if (has_byte(lv, l, '+') && l != 1)
            return false;
        start = i + 1;
    }
    return true;
}

static bool is_shared(mqtt_bytes f, mqtt_version v)
{
    return v == MQTT_V5 && f.len >= 7 && memcmp(f.data, "$share/", 7) == 0;
}

static bool ref_filter_ok(mqtt_bytes f, mqtt_version v)
{
    uint32_t at;
    if (f.len == 0 || ref_utf8(f.data, f.len, &at) != MQTT_OK)
        return false;
    if (!is_shared(f, v))
        return ref_levels_ok(f.data, f.len);
    const uint8_t *rest = f.data + 7, *slash = memchr(rest, '/', f.len - 7);
    if (!slash || slash == rest || has_byte(rest, (uint32_t)(slash - rest), '+') ||
        has_byte(rest, (uint32_t)(slash - rest), '#'))
        return false;
    uint32_t inner = (uint32_t)(f.data + f.len - slash - 1);
    return inner > 0 && ref_levels_ok(slash + 1, inner);
}

/* Level-by-level matching; '#' also matches the parent level, '$' names escape leading wildcards. */
static bool ref_matches(mqtt_bytes f, mqtt_bytes n)
{
    if (n.len > 0 && n.data[0] == '$' && f.len > 0 && (f.data[0] == '+' || f.data[0] == '#'))
        return false;
    uint32_t fi = 0, ni = 0;
    for (;;) {
        uint32_t fe = fi, ne = ni;
        while (fe < f.len && f.data[fe] != '/')
            fe++;
        if (fe - fi == 1 && f.data[fi] == '#')
            return true;
        while (ne < n.len && n.data[ne] != '/')
            ne++;
        bool plus = fe - fi == 1 && f.data[fi] == '+';
        if (!plus && (fe - fi != ne - ni || memcmp(f.data + fi, n.data + ni, fe - fi) != 0))
            return false;
        bool f_end = fe >= f.len, n_end = ne >= n.len;
        if (f_end && n_end)
            return true;
        if (f_end)
            return false;
        fi = fe + 1;
        ni = ne + 1;
        if (n_end) {
            /* name has no more levels; "a/#" matches "a" */
            return f.len - fi == 1 && f.data[fi] == '#';
        }
    }
}

static void check_utf8(mqtt_bytes s)
{
    uint32_t bad = UINT32_MAX, start = 0;
    mqtt_err got = mqtt_utf8_check(s, &bad), want = ref_utf8(s.data, s.len, &start);
    FUZZ_REQUIRE(got == want, "mqtt_utf8_check says %s, reference %s (sequence at %u)", mqtt_err_name(got),
                 mqtt_err_name(want), (unsigned)start);
    if (got == MQTT_ERR_UTF8_NULL)
        FUZZ_REQUIRE(bad < s.len && s.data[bad] == 0, "utf8_null reported at byte %u", (unsigned)bad);
    if (got == MQTT_ERR_UTF8_INVALID)
        FUZZ_REQUIRE(bad >= start && bad <= start + 3 && bad < s.len, "utf8_invalid at %u for a sequence at %u",
                     (unsigned)bad, (unsigned)start);
}

static void check_name(mqtt_bytes n)
{
    uint32_t bad = UINT32_MAX;
    mqtt_err got = mqtt_topic_name_check(n, &bad);
    bool want = ref_name_ok(n);
    FUZZ_REQUIRE((got == MQTT_OK) == want, "topic name check says %s, reference %s", mqtt_err_name(got),
                 want ? "valid" : "invalid");
    FUZZ_REQUIRE(got == MQTT_OK || got == MQTT_ERR_TOPIC_EMPTY || got == MQTT_ERR_TOPIC_WILDCARD ||
                     got == MQTT_ERR_UTF8_INVALID || got == MQTT_ERR_UTF8_NULL,
                 "topic name check returns %s", mqtt_err_name(got));
}

static void check_filter(mqtt_bytes f, mqtt_version v)
{
    uint32_t bad = UINT32_MAX;
    mqtt_err got = mqtt_topic_filter_check(f, v, &bad);
    bool want = ref_filter_ok(f, v);
    FUZZ_REQUIRE((got == MQTT_OK) == want, "topic filter check (%s) says %s, reference %s", mqtt_version_name(v),
                 mqtt_err_name(got), want ? "valid" : "invalid");
    mqtt_bytes share, inner;
    bool split = mqtt_topic_shared_split(f, &share, &inner);
    if (got == MQTT_OK && is_shared(f, v)) {
        FUZZ_REQUIRE(split && share.len > 0 && inner.len > 0 && share.len + inner.len + 8u == f.len &&
                         share.data == f.data + 7 && inner.data == share.data + share.len + 1,
                     "shared split of a valid $share filter is wrong");
        FUZZ_REQUIRE(mqtt_topic_filter_check(inner, MQTT_V311, NULL) == MQTT_OK, "shared inner filter invalid");
    }
    if (split)
        FUZZ_REQUIRE(fuzz_view_inside(share.data, share.len, f.data, f.data + f.len) &&
                         fuzz_view_inside(inner.data, inner.len, f.data, f.data + f.len),
                     "shared split views outside the filter");
}

static void check_matching(mqtt_bytes f, mqtt_bytes n)
{
    if (!ref_name_ok(n))
        return;
    bool dollar = n.data[0] == '$';
    mqtt_bytes hash = mqtt_cstr("#"), plus = mqtt_cstr("+");
    bool share_like = n.len >= 7 && memcmp(n.data, "$share/", 7) == 0; /* matching excludes shared filters */
    FUZZ_REQUIRE(share_like || mqtt_topic_matches(n, n), "a valid name does not match itself as a filter");
    FUZZ_REQUIRE(mqtt_topic_matches(hash, n) == !dollar, "'#' %s a %s name", dollar ? "matches" : "does not match",
                 dollar ? "$" : "non-$");
    bool one_level = !has_byte(n.data, n.len, '/');
    FUZZ_REQUIRE(mqtt_topic_matches(plus, n) == (one_level && !dollar), "'+' gets a one-level name wrong");
    if (ref_filter_ok(f, MQTT_V311) && !(f.len >= 7 && memcmp(f.data, "$share/", 7) == 0)) {
        bool got = mqtt_topic_matches(f, n), want = ref_matches(f, n);
        FUZZ_REQUIRE(got == want, "mqtt_topic_matches says %s, reference %s", got ? "match" : "no match",
                     want ? "match" : "no match");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    mqtt_version v = (data[0] & 1u) ? MQTT_V5 : MQTT_V311;
    const uint8_t *buf = data + 1; /* read in place: the input buffer is exactly size bytes */
    size_t len = size - 1;
    const uint8_t *sep = len ? memchr(buf, 0xFF, len) : NULL;
    mqtt_bytes filter = {buf, (uint32_t)(sep ? (size_t)(sep - buf) : len)};
    mqtt_bytes name = sep ? (mqtt_bytes){sep + 1, (uint32_t)(buf + len - sep - 1)} : filter;

    check_utf8(filter);
    check_utf8(name);
    check_name(name);
    check_filter(filter, v);
    check_matching(filter, name);
    return 0;
}
