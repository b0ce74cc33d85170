#!/usr/bin/env node
'use strict';
// Times mqtt-packet on the corpus mqtk-bench wrote, measured the way mqtk-bench measures: the same
// groups, a pass count calibrated so each run lasts at least --min-time, the best of --runs runs,
// after a JIT warm-up. Decode: one parser per protocol version, fed each group's packets as one
// stream per version (as a socket would). Encode: mqtt.generate() of the packet objects that parser
// produced, with the same protocolVersion. Every group is timed in a fresh child process. Exit codes: 0 figures printed, 1 mqtt-packet failed on the
// corpus, 2 usage or setup error.

const { readCorpus, groupCorpus } = require('./corpus');

const USAGE = `usage: mqtt_packet_bench.js --corpus FILE [--json] [--runs N] [--min-time MS] [--warmup MS]
                              [--group NAME]

Decode and encode the mqtk-bench corpus (mqtk-bench --write-corpus FILE) with mqtt-packet and print
ns/packet and MB/s (10^6 bytes/s) per packet type, per version and overall. mqtt-packet is loaded
with require(), so put its node_modules on NODE_PATH (scripts/bench.sh does).

  --corpus FILE   the corpus to time (required)
  --json          one JSON object on stdout instead of the table
  --runs N        timed runs per figure, the best counts (default 15)
  --min-time MS   each run lasts at least MS milliseconds (default 20)
  --warmup MS     JIT warm-up per group and operation before timing (default 1000)
  --group NAME    time only this group ("PUBLISH", "all 5.0", "all", "headline", ...) in this
                  process and print its figures as one JSON object (without it, each group is
                  timed this way in a child process of its own, so no group inherits another's
                  JIT state)
  --help          this text

exit status: 0 figures printed, 1 mqtt-packet failed on the corpus, 2 usage or setup error
`;

function parseArgs (argv) {
  const args = { json: false, runs: 15, minTimeMs: 20, warmupMs: 1000, corpus: null, group: null };
  const positive = (v) => /^[1-9][0-9]*$/.test(v || '') ? Number(v) : null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (arg === '--json') {
      args.json = true;
    } else if (arg === '--corpus' && value) {
      args.corpus = value; i++;
    } else if (arg === '--group' && value) {
      args.group = value; i++;
    } else if (arg === '--runs' && positive(value)) {
      args.runs = positive(value); i++;
    } else if (arg === '--min-time' && positive(value)) {
      args.minTimeMs = positive(value); i++;
    } else if (arg === '--warmup' && positive(value)) {
      args.warmupMs = positive(value); i++;
    } else {
      process.stderr.write(`mqtt_packet_bench.js: bad argument '${arg}'\n${USAGE}`);
      process.exit(2);
    }
  }
  if (!args.corpus) {
    process.stderr.write(`mqtt_packet_bench.js: --corpus FILE is required\n${USAGE}`);
    process.exit(2);
  }
  return args;
}

function loadMqttPacket () {
  try {
    return { mqtt: require('mqtt-packet'), version: require('mqtt-packet/package.json').version };
  } catch (e) {
    process.stderr.write(`mqtt_packet_bench.js: cannot load mqtt-packet (${e.message}); set NODE_PATH\n`);
    process.exit(2);
  }
}

// One parser per protocol version, reused across passes like a connection's parser. The counter
// is what a pass returns: packets decoded plus their lengths, checked against the corpus.
function makeDecoder (mqtt) {
  const state = { decoded: 0, lengths: 0, errors: [], collected: null };
  const parsers = {};
  for (const protocolVersion of [3, 4, 5]) {
    const parser = mqtt.parser({ protocolVersion });
    parser.on('packet', (packet) => {
      state.decoded++;
      state.lengths += packet.length;
      if (state.collected) state.collected.push(packet);
    });
    parser.on('error', (err) => state.errors.push(err.message));
    parsers[protocolVersion] = parser;
  }
  const pass = (group) => {
    state.decoded = 0;
    state.lengths = 0;
    for (const part of group.parts) parsers[part.protocolVersion].parse(part.stream);
    return state.decoded * 1e9 + state.lengths;
  };
  return { state, pass };
}

// Decode every group once, keep the packet objects for the encode passes, and check that mqtt-packet
// decoded each packet and regenerates the same bytes (a difference is reported, not fatal: the timed
// work is the same either way).
function prepare (mqtt, decoder, groups) {
  const problems = [];
  for (const group of groups) {
    group.encodeItems = [];
    group.expectedDecode = 0;
    group.expectedEncode = 0;
    group.encodeMismatches = 0;
    for (const part of group.parts) {
      decoder.state.collected = [];
      decoder.state.errors.length = 0;
      decoder.pass({ parts: [part] });
      const packets = decoder.state.collected;
      decoder.state.collected = null;
      if (decoder.state.errors.length || packets.length !== part.entries.length) {
        problems.push(`${group.name} (protocol ${part.protocolVersion}): mqtt-packet decoded ${packets.length} of ` +
          `${part.entries.length} packets${decoder.state.errors.length ? ': ' + decoder.state.errors[0] : ''}`);
        continue;
      }
      packets.forEach((packet, i) => {
        const opts = { protocolVersion: part.protocolVersion };
        const bytes = mqtt.generate(packet, opts);
        if (!bytes.equals(part.entries[i].bytes)) group.encodeMismatches++;
        group.encodeItems.push({ packet, opts });
        group.expectedEncode += bytes.length;
        group.expectedDecode += packet.length;
      });
    }
    group.expectedDecode += group.packets * 1e9;
  }
  return problems;
}

function encodePass (mqtt, group) {
  let total = 0;
  for (const item of group.encodeItems) total += mqtt.generate(item.packet, item.opts).length;
  return total;
}

function runPasses (pass, passes) {
  const start = process.hrtime.bigint();
  let result = pass();
  for (let i = 1; i < passes; i++) {
    if (pass() !== result) result = NaN;
  }
  return { ns: Number(process.hrtime.bigint() - start), result };
}

function measure (pass, packets, bytes, args, expected) {
  const warmupEnd = process.hrtime.bigint() + BigInt(args.warmupMs) * 1000000n;
  while (process.hrtime.bigint() < warmupEnd) pass();
  const minNs = args.minTimeMs * 1e6;
  let passes = 1;
  let run = runPasses(pass, passes);
  while (run.ns < minNs) {
    const scale = run.ns > 0 ? Math.floor(minNs * 1.25 / run.ns) + 1 : 16;
    passes *= Math.min(64, Math.max(2, scale));
    run = runPasses(pass, passes);
  }
  let best = run.ns;
  let ok = run.result === expected;
  for (let i = 0; i < args.runs; i++) {
    run = runPasses(pass, passes);
    ok = ok && run.result === expected;
    best = Math.min(best, run.ns);
  }
  return {
    figure: {
      ns_per_packet: best / (packets * passes),
      mb_per_s: bytes * passes * 1e3 / best,
      passes_per_run: passes
    },
    ok
  };
}

function textReport (report) {
  const out = [];
  const h = report.headline;
  out.push(`mqtt-packet ${report.mqtt_packet_version} on Node.js ${report.node}, load average ${report.load_average}`);
  out.push(`corpus: ${report.corpus.packets} packets, ${report.corpus.bytes} bytes; best of ${report.runs} runs ` +
    `of >= ${report.min_run_ms} ms after ${report.warmup_ms} ms warm-up`);
  out.push('');
  out.push(`headline: decode of the ${h.bytes}-byte 5.0 PUBLISH: ${h.decode.ns_per_packet.toFixed(1)} ns; ` +
    `encode ${h.encode.ns_per_packet.toFixed(1)} ns`);
  out.push('');
  const row = (cells) => cells[0].padEnd(12) + ' ' + cells.slice(1, 3).map((c) => c.padStart(8)).join(' ') +
    ' | ' + cells.slice(3, 5).map((c) => c.padStart(12)).join(' ') +
    ' | ' + cells.slice(5, 7).map((c) => c.padStart(12)).join(' ');
  out.push(row(['', '', '', 'decode', '', 'encode', '']));
  out.push(row(['group', 'packets', 'bytes', 'ns/packet', 'MB/s', 'ns/packet', 'MB/s']));
  for (const g of report.groups) {
    if (g.name === 'headline') continue;
    if (g.name === 'all 3.1') out.push('-'.repeat(79));
    out.push(row([g.name, String(g.packets), String(g.bytes), g.decode.ns_per_packet.toFixed(1),
      g.decode.mb_per_s.toFixed(1), g.encode.ns_per_packet.toFixed(1), g.encode.mb_per_s.toFixed(1)]));
  }
  const all = report.groups.find((g) => g.name === 'all');
  if (all.encode_mismatches) {
    out.push('');
    out.push(`note: mqtt-packet regenerated ${all.encode_mismatches} of ${all.packets} packets with other bytes ` +
      'than the corpus (same fields, other encoding choices)');
  }
  return out.join('\n') + '\n';
}

// Time one group in this process: warm-up, calibration and the best of args.runs runs.
function measureGroup (mqtt, group, args) {
  const decoder = makeDecoder(mqtt);
  const problems = prepare(mqtt, decoder, [group]);
  if (problems.length) return { problems };
  const dec = measure(() => decoder.pass(group), group.packets, group.bytes, args, group.expectedDecode);
  const enc = measure(() => encodePass(mqtt, group), group.packets, group.bytes, args, group.expectedEncode);
  if (!dec.ok || !enc.ok || decoder.state.errors.length) {
    return { problems: [`a timed pass over ${group.name} did not return the checked result`] };
  }
  return {
    problems: [],
    result: {
      name: group.name,
      packets: group.packets,
      bytes: group.bytes,
      decode: dec.figure,
      encode: enc.figure,
      encode_mismatches: group.encodeMismatches
    }
  };
}

// Each group is timed in a child process of its own, so V8 compiles mqtt-packet for that group's
// packets alone: the JIT state one group leaves behind cannot slow down (or speed up) the next.
function measureInChild (args, name) {
  const { spawnSync } = require('child_process');
  const child = spawnSync(process.execPath, [__filename, '--corpus', args.corpus, '--group', name,
    '--runs', String(args.runs), '--min-time', String(args.minTimeMs), '--warmup', String(args.warmupMs)],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status === 0) return JSON.parse(child.stdout);
  process.stderr.write(`mqtt_packet_bench.js: timing ${name} failed (exit ${child.status})\n`);
  process.exit(child.status === 1 ? 1 : 2);
}

function main () {
  const args = parseArgs(process.argv.slice(2));
  const { mqtt, version } = loadMqttPacket();
  let groups;
  try {
    groups = groupCorpus(readCorpus(args.corpus));
  } catch (e) {
    process.stderr.write(`mqtt_packet_bench.js: ${e.message}\n`);
    process.exit(2);
  }
  if (args.group) { // child mode: one group, its figures as JSON
    const group = groups.find((g) => g.name === args.group);
    if (!group) {
      process.stderr.write(`mqtt_packet_bench.js: no group '${args.group}' in the corpus\n`);
      process.exit(2);
    }
    const { problems, result } = measureGroup(mqtt, group, args);
    for (const p of problems) process.stderr.write(`mqtt_packet_bench.js: ${p}\n`);
    if (problems.length) process.exit(1);
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const progress = process.stderr.isTTY && !args.json;
  const results = groups.map((group, i) => {
    if (progress) process.stderr.write(`\rmeasuring ${group.name.padEnd(12)} (${i + 1}/${groups.length})`);
    return measureInChild(args, group.name);
  });
  if (progress) process.stderr.write('\r' + ' '.repeat(40) + '\r');
  const headline = results.find((g) => g.name === 'headline');
  const all = results.find((g) => g.name === 'all');
  const report = {
    tool: 'mqtt-packet',
    mqtt_packet_version: version,
    node: process.version,
    load_average: Number(require('os').loadavg()[0].toFixed(2)),
    runs: args.runs,
    min_run_ms: args.minTimeMs,
    warmup_ms: args.warmupMs,
    corpus: { packets: all.packets, bytes: all.bytes },
    headline: { bytes: headline.bytes, decode: headline.decode, encode: headline.encode },
    groups: results
  };
  process.stdout.write(args.json ? JSON.stringify(report) + '\n' : textReport(report));
}

main();
