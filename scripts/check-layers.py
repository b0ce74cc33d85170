#!/usr/bin/env python3
"""Check the layer rules of docs/architecture.md over the source tree; exit 1 naming each breach.

- Every quoted #include under lib/ and cli/ resolves to a file, and the library it lands in is the
  includer's own or one the includer's library may depend on (LAYERS below: down the list only).
- Nothing under lib/ knows the CLI: no cli/ header, no exit-code names, no usage text, no argv.
- One name prefix per library (PREFIX below): every function, type, tag, global, macro and enumerator
  a library's public headers declare starts with it (in capitals for macros and enumerators). Public
  headers: L/include/ where the library has one, else every header of the library. The codec owns
  `mqtt_` / `MQTT_`: no header outside lib/codec/ declares a name with it.
- Every x.h has its x.c beside it (umbrella and table-only headers are listed in NO_SOURCE, with why).

usage: scripts/check-layers.py [ROOT]   (default: the checkout this script is in)
"""
import os
import re
import sys

# library -> (folder, the libraries it may include from). Order is the layering, lowest first.
LAYERS = {
    "codec": ("lib/codec", set()),
    "ws": ("lib/ws", set()),
    "base": ("lib/base", set()),
    "format": ("lib/format", {"codec", "base"}),
    "net": ("lib/net", {"base", "ws", "codec"}),
    "capture": ("lib/capture", {"codec", "ws", "base", "format"}),
    "replay": ("lib/replay", {"capture", "net", "format", "base", "codec", "ws"}),
    "script": ("lib/conformance/script", {"base", "codec", "format"}),
    "run": ("lib/conformance/run", {"script", "net", "format", "base", "codec", "ws"}),
    "report": ("lib/conformance/report", {"run", "script", "net", "format", "base", "codec"}),
    "brokerfuzz": ("lib/brokerfuzz", {"run", "script", "capture", "format", "net", "base", "codec", "ws"}),
    "cli": ("cli", None),  # the executable: anything below
}
# library -> the prefix of every name its public headers declare (docs/architecture.md, "Names").
PREFIX = {
    "codec": "mqtt_", "ws": "ws_", "base": "base_", "format": "fmt_", "net": "net_", "capture": "cap_",
    "replay": "replay_", "script": "cs_", "run": "cr_", "report": "rp_", "brokerfuzz": "bf_",
}
# Where `#include "x/y.h"` is looked up, after the includer's own folder (CMake's include paths).
INCLUDE_ROOTS = ["lib", "lib/codec/include", "lib/ws/include", "lib/net/include"]
# Headers with no .c of their own, and why.
NO_SOURCE = {
    "lib/codec/include/mqtt/codec.h": "umbrella header of the codec's API",
    "lib/codec/include/mqtt/packet.h": "the packet structs, filled by decode_*.c and read by encode_*.c",
    "lib/codec/include/mqtt/reason_codes.h": "constants; their table is reason_table.c",
    "lib/codec/src/decode_internal.h": "declarations shared by the decode_*.c files",
    "lib/codec/src/encode_body.h": "declarations shared by the encode_*.c files",
    "lib/codec/src/props_quick.h": "static inline property scans",
    "lib/codec/src/publish_quick.h": "static inline PUBLISH quick decode",
    "lib/codec/src/text_scan.h": "static inline UTF-8 scan",
    "lib/codec/src/topic_internal.h": "declarations shared by topic.c and the decoders",
    "lib/codec/src/wire.h": "static inline wire reads",
    "lib/codec/src/wire_write.h": "static inline wire writes",
    "lib/ws/include/ws/ws.h": "umbrella header of lib/ws",
    "lib/net/include/net/transport.h": "the transport interface; conn.c, tcp.c, tls.c, ws.c and layers.c implement it",
    "lib/net/src/net_internal.h": "declarations shared by the lib/net sources",
    "lib/conformance/script/model.h": "the types a script parses into; script.c builds them",
}
CLI_WORDS = [
    (re.compile(r"\bMQTK_EXIT_\w+"), "an exit-code name"),
    (re.compile(r'"usage:'), "usage text"),
    (re.compile(r"\bint\s+argc\b"), "argv parsing"),
    (re.compile(r"\bexit\s*\("), "a call to exit()"),
]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# File-scope declarations (column 0: struct members are indented) and tags, macros, enumerators.
MQTT_DEF = re.compile(r"^(?![\s#])[^;()=]*?\b(mqtt_\w+)\s*(?:\(|=|;|\[)", re.M)
# Any file-scope name, for the prefix rule: matched on the text with brace and parenthesis bodies blanked.
DECL = re.compile(r"^(?![\s#}])[^;()=]*?\b([A-Za-z_]\w*)\s*(?:\(|=|;|\[)", re.M)
DECL_FNPTR = re.compile(r"^typedef[^;{}]*?\(\s*\*\s*([A-Za-z_]\w*)\s*\)", re.M)
DECL_CLOSE = re.compile(r"^\}\s*([A-Za-z_]\w*)\s*;", re.M)
DECL_TAG = re.compile(r"\b(?:struct|enum|union)\s+([A-Za-z_]\w*)\s*\{")
DECL_MACRO = re.compile(r"^#\s*define\s+([A-Za-z_]\w*)", re.M)
DECL_ENUM = re.compile(r"\benum\b[^{;]*\{([^}]*)\}")
NOT_NAMES = {"void", "int", "char", "bool", "long", "short", "unsigned", "signed", "float", "double", "const",
             "static", "inline", "extern", "struct", "enum", "union", "typedef", "volatile", "restrict",
             "_Noreturn", "__attribute__", "size_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int64_t",
             "int32_t"}
MQTT_TYPE = re.compile(r"^\}\s*(mqtt_\w+)\s*;|\b(?:struct|enum|union)\s+(mqtt_\w+)\s*\{|"
                       r"^#\s*define\s+(MQTT_\w+)|^\s+(MQTT_[A-Z0-9_]+)\s*(?:=[^=]|,)", re.M)


def library_of(rel):
    best = None
    for name, (folder, _) in LAYERS.items():
        if rel == folder or rel.startswith(folder + "/"):
            if best is None or len(folder) > len(LAYERS[best][0]):
                best = name
    return best


def resolve(root, rel, inc):
    here = os.path.normpath(os.path.join(os.path.dirname(rel), inc))
    if os.path.isfile(os.path.join(root, here)):
        return here
    for base in INCLUDE_ROOTS:
        cand = os.path.normpath(os.path.join(base, inc))
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def has_source(root, rel):
    """x.h's x.c: beside it, or for a public header (L/include/NS/x.h) in L/src/ as x.c, NS_x.c,
    x_*.c or NS_x_*.c (lib/ws/include/ws/frame.h is ws_frame_decode.c and ws_frame_encode.c)."""
    stem = os.path.basename(rel)[:-2]
    if os.path.isfile(os.path.join(root, rel[:-2] + ".c")):
        return True
    parts = rel.split("/")
    if "include" not in parts:
        return False
    i = parts.index("include")
    src = os.path.join(root, *parts[:i], "src")
    ns = parts[i + 1] if i + 2 < len(parts) else ""
    names = os.listdir(src) if os.path.isdir(src) else []
    wanted = {stem, f"{ns}_{stem}"}
    return any(n.endswith(".c") and (n[:-2] in wanted or any(n.startswith(w + "_") for w in wanted)) for n in names)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def blank_nested(code):
    """Blank the insides of braces and parentheses (newlines kept): what is left is file scope."""
    out, depth = [], 0
    for c in code:
        if c in "({":
            out.append(c if depth == 0 else " ")
            depth += 1
        elif c in ")}":
            depth = max(0, depth - 1)
            out.append(c if depth == 0 else " ")
        else:
            out.append(c if depth == 0 or c == "\n" else " ")
    return "".join(out)


def declared_names(code):
    """(name, offset) of every file-scope name a header declares; code without comments."""
    code = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', code)
    code = re.sub(r"'(?:\\.|[^'\\\n])+'", "''", code)  # a '{' in an inline function is no brace
    flat = blank_nested(code)
    found = [(m.group(1), m.start(1)) for rx in (DECL, DECL_CLOSE, DECL_TAG) for m in rx.finditer(flat)]
    found += [(m.group(1), m.start(1)) for rx in (DECL_FNPTR, DECL_MACRO) for m in rx.finditer(code)]
    for m in DECL_ENUM.finditer(code):
        found += [(i.group(1), m.start(1) + i.start(1)) for i in re.finditer(r"(?:^|,)\s*([A-Za-z_]\w*)", m.group(1))]
    return sorted((n, o) for n, o in found if n not in NOT_NAMES)


def is_public(root, rel, lib):
    """A header other libraries may include: under L/include/ when L has one, else any of L's."""
    folder = LAYERS[lib][0]
    return rel.startswith(folder + "/include/") or not os.path.isdir(os.path.join(root, folder, "include"))


def sources(root):
    for top in ("lib", "cli"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for n in sorted(names):
                if n.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(dirpath, n), root)


def check(root):
    problems = []
    for rel in sources(root):
        lib = library_of(rel)
        if lib is None:
            problems.append(f"{rel}: in no library of the layer table (scripts/check-layers.py LAYERS)")
            continue
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            text = f.read()
        allowed = LAYERS[lib][1]
        for m in INCLUDE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            target = resolve(root, rel, m.group(1))
            if target is None:
                problems.append(f"{rel}:{line}: #include \"{m.group(1)}\" names no file of the tree")
                continue
            tlib = library_of(target)
            if tlib is None:
                problems.append(f"{rel}:{line}: #include \"{m.group(1)}\" reaches {target}, outside every library")
            elif tlib != lib and allowed is not None and tlib not in allowed:
                problems.append(f"{rel}:{line}: {lib} may not include {tlib} ({target}); "
                                f"{lib} builds on {', '.join(sorted(allowed)) or 'nothing'}")
        code = strip_comments(text)
        if rel.startswith("lib/"):
            for pattern, what in CLI_WORDS:
                for m in pattern.finditer(code):
                    line = code.count("\n", 0, m.start()) + 1
                    problems.append(f"{rel}:{line}: {what} under lib/ (commands, exit codes and argv live in cli/)")
        if lib != "codec" and rel.endswith(".h"):
            for m in list(MQTT_DEF.finditer(code)) + list(MQTT_TYPE.finditer(code)):
                name = next(g for g in m.groups() if g)
                line = code.count("\n", 0, m.start()) + 1
                problems.append(f"{rel}:{line}: declares {name}: the prefix mqtt_ belongs to the codec")
        if lib in PREFIX and rel.endswith(".h") and is_public(root, rel, lib):
            prefix = PREFIX[lib]
            for name, at in declared_names(code):
                if name.lower().startswith(prefix) or (lib != "codec" and name.lower().startswith("mqtt_")):
                    continue  # a foreign mqtt_ name is reported above
                line = code.count("\n", 0, at) + 1
                problems.append(f"{rel}:{line}: declares {name}: the names of lib {lib} start with {prefix} "
                                f"(or {prefix.upper()})")
        if rel.endswith(".h") and rel not in NO_SOURCE and not has_source(root, rel):
            problems.append(f"{rel}: no {os.path.basename(rel)[:-2]}.c beside it (every x.h has its x.c)")
    return problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    root = os.path.abspath(root)
    if not os.path.isdir(os.path.join(root, "lib")):
        print(f"check-layers: {root} holds no lib/ folder", file=sys.stderr)
        return 2
    problems = check(root)
    for p in problems:
        print(p)
    sys.stdout.flush()
    if problems:
        print(f"check-layers: {len(problems)} breach(es) of the layer rules (docs/architecture.md)", file=sys.stderr)
        return 1
    print("check-layers: every include points down the layers; lib/ knows no CLI; one name prefix "
          "per library (mqtt_ the codec's); "
          "every x.h has its x.c")
    return 0


if __name__ == "__main__":
    sys.exit(main())
