/**
 * Fuzz target of PGP key parsing (src/market/pgp.ts parsePgpKeys, findPgpKeys): the fixture
 * vendors' real OpenPGP keys (Ed25519/Cv25519, made by the generator of test/fixtures/market),
 *
 *   armour   the armoured text mutated (base64 characters, headers, CRC line, BEGIN/END lines,
 *            whitespace, several blocks with text between them);
 *   packets  the decoded key packets mutated (mutate.ts byte plans: bit flips, truncation,
 *            absurd lengths, splices of two keys) and armoured again with a correct CRC-24, so
 *            the mutations reach openpgp's packet parser;
 *   random   random armour bodies.
 *
 * Rejections are `PGP_*` errors; accepted keys have full upper-case fingerprints and offsets
 * inside the text.
 */
import fc from 'fast-check';
import { FIXTURE_PGP_KEYS } from '../../adapters/markets/fixtures/index.js';
import { findPgpKeys, parsePgpKeys, type PgpKeyInfo } from '../../src/market/index.js';
import type { FuzzTarget } from './harness.js';
import { applyByteOps, applyTextOps, byteOps, textOps, type ByteDoc, type ByteOp, type TextOp } from './mutate.js';

const BEGIN = '-----BEGIN PGP PUBLIC KEY BLOCK-----';
const END = '-----END PGP PUBLIC KEY BLOCK-----';
const ARMOUR_TOKENS = [BEGIN, END, '-----BEGIN PGP PRIVATE KEY BLOCK-----', '-----END PGP PRIVATE KEY BLOCK-----', '\n', '\r\n', ' ', '\t', '<br>', 'Version: GnuPG v2\n', 'Comment: x\n', '=', '==', '=AAAA\n', 'A', '/', '+', 'xjMEZ', '\n\n'];

/** CRC-24 of OpenPGP armour (RFC 9580 §6.1). */
function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const b of data) {
    crc ^= b << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

function armour(packets: Uint8Array): string {
  const b64 = Buffer.from(packets).toString('base64');
  const crc = Buffer.from([crc24(packets) >> 16, (crc24(packets) >> 8) & 0xff, crc24(packets) & 0xff]).toString('base64');
  return `${BEGIN}\n\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n=${crc}\n${END}\n`;
}

/** The key packets of an armoured key, with the offsets of its packet headers as boundaries. */
function packetsOf(armoured: string): ByteDoc {
  const body = armoured.slice(armoured.indexOf('\n\n') + 2, armoured.indexOf('\n=')).replace(/\s+/g, '');
  const bytes = new Uint8Array(Buffer.from(body, 'base64'));
  const boundaries: number[] = [];
  const varints: number[] = []; // here: the length fields of new-format packet headers
  for (let p = 0; p < bytes.length; ) {
    boundaries.push(p);
    const tag = bytes[p];
    if ((tag & 0xc0) !== 0xc0) break; // only new-format packets are walked
    varints.push(p + 1);
    const l0 = bytes[p + 1];
    const [len, head] = l0 < 192 ? [l0, 2] : l0 < 224 ? [((l0 - 192) << 8) + bytes[p + 2] + 192, 3] : [(bytes[p + 2] << 24) | (bytes[p + 3] << 16) | (bytes[p + 4] << 8) | bytes[p + 5], 6];
    boundaries.push(p + head);
    p += head + len;
  }
  boundaries.push(bytes.length);
  return { bytes, boundaries, varints };
}

let keys: { armoured: string; packets: ByteDoc }[] | undefined;
const loadKeys = () => (keys ??= FIXTURE_PGP_KEYS.map((k) => ({ armoured: k.armored, packets: packetsOf(k.armored) })));

type PgpCase =
  | { readonly kind: 'armour'; readonly key: number; readonly ops: TextOp[]; readonly around: string[]; readonly lenient: boolean }
  | { readonly kind: 'packets'; readonly key: number; readonly ops: ByteOp[]; readonly lenient: boolean }
  | { readonly kind: 'random'; readonly body: string; readonly lenient: boolean };

function check(found: readonly PgpKeyInfo[], text: string): void {
  for (const k of found) {
    if (!/^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(k.fingerprint)) throw new Error(`fingerprint ${k.fingerprint}`);
    if (!(k.start >= 0 && k.start < k.end && k.end <= text.length)) throw new Error(`block offsets ${k.start}..${k.end} outside the text`);
    if (!['valid', 'expired', 'revoked', 'invalid'].includes(k.status)) throw new Error(`status ${k.status}`);
  }
}

/** PGP key blocks. */
export const pgp: FuzzTarget<PgpCase> = {
  name: 'pgp',
  description: 'parsePgpKeys / findPgpKeys: the fixture vendors\' real keys mutated as armour and as packets (re-armoured with a valid CRC), random bodies',
  runs: { test: 300, full: 3000 },
  boundMs: 5000,
  codes: /^PGP_/,
  setup: () => void loadKeys(),
  arbitrary: () => {
    const lenient = fc.boolean();
    return fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('armour' as const), key: fc.nat(), ops: textOps(ARMOUR_TOKENS, { maxOps: 4, maxRepeat: 100 }), around: fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }), lenient }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('packets' as const), key: fc.nat(), ops: byteOps(3), lenient }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), body: fc.oneof(fc.string({ maxLength: 500 }), fc.base64String({ maxLength: 800 })), lenient }) },
    );
  },
  async run(c) {
    const all = loadKeys();
    let text: string;
    if (c.kind === 'armour') {
      const k = all[c.key % all.length];
      const block = applyTextOps(k.armoured, c.ops, all.map((o) => o.armoured));
      text = c.around.length ? c.around.join(`\n${block}\n`) : block;
    } else if (c.kind === 'packets') {
      const k = all[c.key % all.length];
      text = armour(applyByteOps(k.packets, c.ops, all.map((o) => o.packets)));
    } else text = `${BEGIN}\n\n${c.body}\n${END}`;
    if (c.lenient) {
      const { keys: found, skipped } = await findPgpKeys(text);
      check(found, text);
      for (const s of skipped) if (!(s.start >= 0 && s.start <= s.end && s.end <= text.length) || !s.reason) throw new Error(`skipped block ${JSON.stringify(s)}`);
    } else check(await parsePgpKeys(text), text);
  },
};
