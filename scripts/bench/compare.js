#!/usr/bin/env node
'use strict';
// Puts the JSON reports of mqtk-bench and mqtt_packet_bench.js side by side: ns/packet of each and
// the ratio (mqtt-packet time / mqtk time, so 25.0x means mqtk is 25 times faster) per group, for
// decode and encode, then checks the targets. Exit codes: 0 printed, 2 usage or unreadable reports.

const fs = require('fs');

const USAGE = `usage: compare.js [--json] MQTK_JSON MQTT_PACKET_JSON

Prints mqtk-bench and mqtt-packet figures side by side with their ratio, and whether the targets
hold: headline decode < 30 ns, whole corpus >= 20x faster than mqtt-packet, zero allocations.
  --json   one JSON object with both reports' figures and the ratios
exit status: 0 printed, 2 usage error or unreadable report
`;

const CORPUS_RATIO_TARGET = 20;

function fail (message) {
  process.stderr.write(`compare.js: ${message}\n`);
  process.exit(2);
}

function load (path, tool) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`${path}: ${e.message}`);
  }
  if (report.tool !== tool || !Array.isArray(report.groups)) fail(`${path}: not a ${tool} report`);
  return report;
}

// The best of several rounds: each figure's lowest ns/packet (and its MB/s), runs added up.
function mergeRounds (reports) {
  const merged = JSON.parse(JSON.stringify(reports[0]));
  const best = (a, b) => (b && b.ns_per_packet < a.ns_per_packet ? { ...b } : a);
  for (const r of reports.slice(1)) {
    for (const key of Object.keys(merged.headline)) {
      if (merged.headline[key] && merged.headline[key].ns_per_packet !== undefined) {
        merged.headline[key] = best(merged.headline[key], r.headline[key]);
      }
    }
    for (const g of merged.groups) {
      const o = r.groups.find((x) => x.name === g.name);
      if (!o) fail(`group ${g.name} is missing from one round`);
      g.decode = best(g.decode, o.decode);
      g.encode = best(g.encode, o.encode);
    }
    merged.runs += r.runs;
    merged.load_average = Math.max(merged.load_average, r.load_average);
  }
  merged.rounds = reports.length;
  if (merged.headline.target_ns !== undefined) {
    merged.headline.met = merged.headline.decode.ns_per_packet <= merged.headline.target_ns;
  }
  return merged;
}

function compare (mqtk, peer) {
  const rows = [];
  for (const g of mqtk.groups) {
    const p = peer.groups.find((x) => x.name === g.name);
    if (!p) fail(`group ${g.name} is missing from the mqtt-packet report`);
    if (p.packets !== g.packets || p.bytes !== g.bytes) fail(`group ${g.name} differs between the two reports`);
    rows.push({
      name: g.name,
      packets: g.packets,
      bytes: g.bytes,
      decode: {
        mqtk_ns: g.decode.ns_per_packet,
        mqtt_packet_ns: p.decode.ns_per_packet,
        ratio: p.decode.ns_per_packet / g.decode.ns_per_packet
      },
      encode: {
        mqtk_ns: g.encode.ns_per_packet,
        mqtt_packet_ns: p.encode.ns_per_packet,
        ratio: p.encode.ns_per_packet / g.encode.ns_per_packet
      }
    });
  }
  const all = rows.find((r) => r.name === 'all');
  const headline = mqtk.headline;
  const alloc = mqtk.allocations;
  const targets = {
    headline_decode_ns: { value: headline.decode.ns_per_packet, target: `<= ${headline.target_ns}`, met: headline.met },
    headline_decode_props_ns: {
      value: headline.decode_props.ns_per_packet,
      target: `<= ${headline.props_target_ns}`,
      met: headline.decode_props.ns_per_packet <= headline.props_target_ns
    },
    headline_encode_ns: {
      value: headline.encode.ns_per_packet,
      target: `<= ${headline.encode_target_ns}`,
      met: headline.encode.ns_per_packet <= headline.encode_target_ns
    },
    corpus_decode_ratio: { value: all.decode.ratio, target: `>= ${CORPUS_RATIO_TARGET}`, met: all.decode.ratio >= CORPUS_RATIO_TARGET },
    corpus_encode_ratio: { value: all.encode.ratio, target: `>= ${CORPUS_RATIO_TARGET}`, met: all.encode.ratio >= CORPUS_RATIO_TARGET },
    allocations: {
      value: alloc.measured ? alloc.decode + alloc.encode : null,
      target: '0',
      met: alloc.measured ? alloc.decode + alloc.encode === 0 : null
    }
  };
  return { rows, targets };
}

function text (mqtk, peer, result, instructions) {
  const out = [];
  const f = (x) => x.toFixed(1);
  out.push(`mqtk codec ${mqtk.codec_version} (${mqtk.build}) vs mqtt-packet ${peer.mqtt_packet_version} ` +
    `(Node.js ${peer.node})`);
  out.push(`CPU: ${mqtk.cpu}, ${mqtk.cpus} CPU(s); corpus ${mqtk.corpus.packets} packets, ${mqtk.corpus.bytes} bytes; ` +
    `best of ${mqtk.runs} runs each` + (mqtk.rounds > 1 ? ` (${mqtk.rounds} rounds, the two tools taking turns)` : ''));
  out.push(`load average (1 min, highest seen): mqtk ${mqtk.load_average.toFixed(2)}, ` +
    `mqtt-packet ${peer.load_average.toFixed(2)}`);
  out.push('ns/packet; ratio = mqtt-packet time / mqtk time');
  const busiest = Math.max(mqtk.load_average, peer.load_average);
  if (busiest > mqtk.cpus / 4) {
    out.push(`warning: the machine was busy (load average up to ${busiest.toFixed(2)} on ${mqtk.cpus} CPU(s)); ` +
      'figures are slower and noisier than on an idle machine');
  }
  out.push('');
  const row = (c) => c[0].padEnd(12) + c[1].padStart(8) + ' |' + c.slice(2, 5).map((x) => x.padStart(12)).join('') +
    ' |' + c.slice(5, 8).map((x) => x.padStart(12)).join('');
  out.push(row(['', '', 'decode', '', '', 'encode', '', '']));
  out.push(row(['group', 'packets', 'mqtk', 'mqtt-packet', 'ratio', 'mqtk', 'mqtt-packet', 'ratio']));
  for (const r of result.rows) {
    if (r.name === 'all 3.1') out.push('-'.repeat(12 + 8 + 2 + 36 + 2 + 36));
    out.push(row([r.name, String(r.packets), f(r.decode.mqtk_ns), f(r.decode.mqtt_packet_ns), f(r.decode.ratio) + 'x',
      f(r.encode.mqtk_ns), f(r.encode.mqtt_packet_ns), f(r.encode.ratio) + 'x']));
  }
  out.push('');
  const t = result.targets;
  const verdict = (m) => m === null ? 'not measured' : m ? 'met' : 'MISSED';
  const h = mqtk.headline;
  out.push(`headline (${h.bytes}-byte 5.0 PUBLISH), ns: decode ${f(h.decode.ns_per_packet)}, decode + read every ` +
    `property ${f(h.decode_props.ns_per_packet)}, encode ${f(h.encode.ns_per_packet)} checked / ` +
    `${f(h.encode_unchecked.ns_per_packet)} unchecked; mqtt-packet decode ${f(peer.headline.decode.ns_per_packet)}, ` +
    `encode ${f(peer.headline.encode.ns_per_packet)}`);
  if (instructions) {
    const i = instructions.mqtk;
    out.push(`instructions per packet (valgrind --tool=callgrind, exact on a busy machine): headline decode ` +
      `${i['headline-decode']}, decode + read every property ${i['headline-decode-props']}, encode ` +
      `${i['headline-encode']} checked / ${i['headline-encode-unchecked']} unchecked; whole corpus decode ` +
      `${i['all-decode']}, encode ${i['all-encode']}`);
    out.push(`  mqtt-packet: ${instructions.peer_note}`);
  }
  out.push('');
  out.push(`target: headline decode <= ${h.target_ns} ns: ${f(t.headline_decode_ns.value)} ns, ` +
    `${verdict(t.headline_decode_ns.met)}`);
  out.push(`target: headline decode + read every property <= ${h.props_target_ns} ns: ` +
    `${f(t.headline_decode_props_ns.value)} ns, ${verdict(t.headline_decode_props_ns.met)}`);
  out.push(`target: headline checked encode <= ${h.encode_target_ns} ns: ${f(t.headline_encode_ns.value)} ns, ` +
    `${verdict(t.headline_encode_ns.met)}`);
  out.push(`target: whole corpus decode >= ${CORPUS_RATIO_TARGET}x mqtt-packet: ${f(t.corpus_decode_ratio.value)}x, ` +
    `${verdict(t.corpus_decode_ratio.met)}`);
  out.push(`target: whole corpus encode >= ${CORPUS_RATIO_TARGET}x mqtt-packet: ${f(t.corpus_encode_ratio.value)}x, ` +
    `${verdict(t.corpus_encode_ratio.met)}`);
  out.push(`target: allocations during decode/encode = 0: ${t.allocations.value === null ? 'not counted' : t.allocations.value}, ` +
    `${verdict(t.allocations.met)}`);
  return out.join('\n') + '\n';
}

function main () {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const json = argv.includes('--json');
  let instructions = null;
  const at = argv.indexOf('--instructions');
  if (at >= 0) {
    try {
      instructions = JSON.parse(fs.readFileSync(argv[at + 1], 'utf8'));
    } catch (e) {
      fail(`--instructions: ${e.message}`);
    }
  }
  const files = argv.filter((a, i) => a !== '--json' && i !== at && i !== at + 1);
  if (files.length !== 2 || files.some((a) => a.startsWith('--'))) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const mqtk = mergeRounds(files[0].split(',').map((f) => load(f, 'mqtk-bench')));
  const peer = mergeRounds(files[1].split(',').map((f) => load(f, 'mqtt-packet')));
  const result = compare(mqtk, peer);
  if (json) {
    process.stdout.write(JSON.stringify({ mqtk, mqtt_packet: peer, comparison: result, instructions }) + '\n');
  } else {
    process.stdout.write(text(mqtk, peer, result, instructions));
  }
}

main();
