'use strict';
// Reads the corpus `mqtk-bench --write-corpus` writes and groups it the way mqtk-bench does, so both
// tools time the same packets in the same groups.

const fs = require('fs');

const PROTOCOL_VERSION = { '3.1': 3, '3.1.1': 4, '5.0': 5 };
const TYPE_ORDER = ['CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE',
  'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];
const VERSION_ORDER = ['3.1', '3.1.1', '5.0'];

function readCorpus (path) {
  const entries = [];
  const lines = fs.readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line === '' || line.startsWith('#')) return;
    const [version, type, direction, tag, hex] = line.split(' ');
    if (!(version in PROTOCOL_VERSION) || !TYPE_ORDER.includes(type) || !hex || hex.length % 2) {
      throw new Error(`${path}:${i + 1}: not a corpus line`);
    }
    entries.push({
      version,
      protocolVersion: PROTOCOL_VERSION[version],
      type,
      direction,
      headline: tag === 'headline',
      bytes: Buffer.from(hex, 'hex')
    });
  });
  return entries;
}

// Groups in mqtk-bench's order: headline, one per packet type present, one per version, all.
// Each group keeps its packets per protocol version, in corpus order, both as a list and as one
// concatenated stream (what a socket would hand to the parser).
function groupCorpus (entries) {
  const groups = [];
  const add = (name, keep) => {
    const members = entries.filter(keep);
    if (members.length === 0) return;
    const parts = [];
    for (const version of VERSION_ORDER) {
      const mine = members.filter((e) => e.version === version);
      if (mine.length === 0) continue;
      parts.push({
        protocolVersion: PROTOCOL_VERSION[version],
        entries: mine,
        stream: Buffer.concat(mine.map((e) => e.bytes))
      });
    }
    groups.push({
      name,
      packets: members.length,
      bytes: members.reduce((n, e) => n + e.bytes.length, 0),
      parts
    });
  };
  add('headline', (e) => e.headline);
  for (const type of TYPE_ORDER) add(type, (e) => e.type === type);
  for (const version of VERSION_ORDER) add(`all ${version}`, (e) => e.version === version);
  add('all', () => true);
  return groups;
}

module.exports = { readCorpus, groupCorpus };
