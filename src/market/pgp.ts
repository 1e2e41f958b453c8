/**
 * PGP public keys posted by vendors, parsed with openpgp.js.
 *
 * Format: ASCII armour (RFC 9580 §6.2): `-----BEGIN PGP PUBLIC KEY BLOCK-----`, optional
 * `Key: value` header lines, a blank line, base64 of the key packets, an optional CRC-24 line
 * `=XXXX`, `-----END PGP PUBLIC KEY BLOCK-----`. A text may hold several blocks.
 *
 * Identity is the key's full fingerprint — 40 hex digits for v4 keys, 64 for v6 keys — never the
 * 8- or 16-digit key id, which collides on purpose (the 2016 "Evil 32" set). Fingerprints are
 * upper-case hex, as gpg prints them.
 *
 * Pages often mangle the armour (lines joined by spaces, `<br>` turned into nothing, lines
 * indented). When openpgp rejects a block as written, it is re-wrapped once — headers dropped,
 * whitespace removed from the body, the checksum line split off, lines of 64 — and parsed again.
 */
import { readKeys, type Key } from 'openpgp';
import { InvalidInputError } from '../model/errors.js';

/** What a parsed key says. */
export interface PgpKeyInfo {
  /** full fingerprint of the primary key, upper-case hex (40 digits for v4, 64 for v6) */
  readonly fingerprint: string;
  /** OpenPGP key version (4 or 6) */
  readonly keyVersion: number;
  /** user ids as written, e.g. `vendor <vendor@example.org>` */
  readonly userIds: readonly string[];
  /** creation time of the primary key, ISO 8601 */
  readonly created: string;
  /** public-key algorithm of the primary key, e.g. `eddsaLegacy`, `rsaEncryptSign` */
  readonly algorithm: string;
  /** RSA modulus size or ECC curve, when known */
  readonly bits?: number;
  readonly curve?: string;
  /** full fingerprints of the subkeys, upper-case hex */
  readonly subkeyFingerprints: readonly string[];
  /**
   * what openpgp's check of the primary key's self-signatures says today: `valid`, `expired`,
   * `revoked`, or `invalid` (no verifiable self-signature: a corrupted or doctored block — its
   * fingerprint is then not evidence of anything)
   */
  readonly status: 'valid' | 'expired' | 'revoked' | 'invalid';
  /** true when the block was a private key (a vendor posting it is an opsec failure worth noting) */
  readonly isPrivate: boolean;
  /** UTF-16 offsets of the armour block in the input text */
  readonly start: number;
  readonly end: number;
}

/** A block that could not be parsed, as counted by {@link findPgpKeys}. */
export interface SkippedPgpBlock {
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

/** Largest input accepted (4 MiB of text); real key blocks are a few KiB. */
export const MAX_PGP_INPUT = 4 * 1024 * 1024;

const BEGIN = /-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK-----/g;

/** Key blocks of `text`: each BEGIN line with its matching END line (linear time, no backtracking). */
function* keyBlocks(
  text: string,
): Generator<{ start: number; end: number; kind: 'PUBLIC' | 'PRIVATE'; body: string | undefined }> {
  const re = new RegExp(BEGIN.source, 'g');
  const noEnd = new Set<string>(); // kinds whose END line no longer occurs (keeps this linear)
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const kind = m[1] as 'PUBLIC' | 'PRIVATE';
    if (noEnd.has(kind)) continue;
    const endMarker = `-----END PGP ${kind} KEY BLOCK-----`;
    const endAt = text.indexOf(endMarker, re.lastIndex);
    if (endAt < 0) {
      noEnd.add(kind);
      yield { start: m.index, end: text.length, kind, body: undefined };
      continue;
    }
    yield { start: m.index, end: endAt + endMarker.length, kind, body: text.slice(re.lastIndex, endAt) };
    re.lastIndex = endAt + endMarker.length;
  }
}

/**
 * Parses every PGP key block in `text` (which may hold other text around them).
 *
 * @throws InvalidInputError `PGP_NO_KEY_BLOCK` when the text holds no key block,
 *   `PGP_INVALID_KEY` when a block is not a valid key even after re-wrapping (the message names
 *   which block and why), `PGP_TOO_LARGE` above {@link MAX_PGP_INPUT}.
 */
export async function parsePgpKeys(text: string): Promise<PgpKeyInfo[]> {
  const { keys, skipped } = await findPgpKeys(text);
  if (skipped.length > 0) {
    const s = skipped[0];
    throw new InvalidInputError(
      `PGP key block at offset ${s.start} is not a valid OpenPGP key: ${s.reason}. ` +
        'Check that the whole block was copied, from BEGIN to END line.',
      { code: 'PGP_INVALID_KEY' },
    );
  }
  if (keys.length === 0) {
    throw new InvalidInputError(
      'no PGP key block found: expected "-----BEGIN PGP PUBLIC KEY BLOCK-----" … "-----END PGP PUBLIC KEY BLOCK-----"',
      { code: 'PGP_NO_KEY_BLOCK' },
    );
  }
  return keys;
}

/**
 * Like {@link parsePgpKeys}, but lenient for scraped pages: blocks that do not parse are
 * skipped and listed in `skipped` instead of throwing. A text without blocks gives empty lists.
 *
 * @throws InvalidInputError `PGP_TOO_LARGE` above {@link MAX_PGP_INPUT}.
 */
export async function findPgpKeys(text: string): Promise<{ keys: PgpKeyInfo[]; skipped: SkippedPgpBlock[] }> {
  if (typeof text !== 'string') throw new InvalidInputError('PGP input must be a string', { code: 'PGP_NO_KEY_BLOCK' });
  if (text.length > MAX_PGP_INPUT) {
    throw new InvalidInputError(
      `PGP input of ${text.length} characters is larger than ${MAX_PGP_INPUT}; pass the key block alone`,
      { code: 'PGP_TOO_LARGE' },
    );
  }
  const keys: PgpKeyInfo[] = [];
  const skipped: SkippedPgpBlock[] = [];
  for (const { start, end, kind, body } of keyBlocks(text)) {
    if (body === undefined) {
      skipped.push({ start, end, reason: `truncated: no "-----END PGP ${kind} KEY BLOCK-----" line` });
      continue;
    }
    try {
      for (const key of await readBlock(text.slice(start, end), kind, body)) {
        keys.push(describe(key, await statusOf(key), start, end));
      }
    } catch (err) {
      skipped.push({ start, end, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { keys, skipped };
}

async function readBlock(block: string, kind: 'PUBLIC' | 'PRIVATE', body: string): Promise<Key[]> {
  try {
    return await readKeys({ armoredKeys: block });
  } catch (first) {
    const rewrapped = rewrap(kind, body);
    if (rewrapped === undefined) throw first;
    return await readKeys({ armoredKeys: rewrapped });
  }
}

/** Rebuilds a clean armour from a mangled body (see the file comment), or `undefined`. */
function rewrap(kind: string, body: string): string | undefined {
  // Drop armour headers ("Version: …", "Comment: …") wherever whitespace put them.
  const noHeaders = body.replace(/(?:^|\s)(?:Version|Comment|Hash|Charset|MessageID):[^\n]*?(?=\s[A-Za-z0-9+/]{40,}|\n|$)/g, ' ');
  let b64 = noHeaders.replace(/\s+/g, '');
  let crc = '';
  // '=' only ends base64 data, so a trailing '=' + 4 characters is the CRC-24 line.
  const crcMatch = /=([A-Za-z0-9+/]{4})$/.exec(b64);
  if (crcMatch) {
    crc = `=${crcMatch[1]}`;
    b64 = b64.slice(0, -5);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PGP ${kind} KEY BLOCK-----\n\n${lines.join('\n')}\n${crc ? `${crc}\n` : ''}-----END PGP ${kind} KEY BLOCK-----\n`;
}

async function statusOf(key: Key): Promise<PgpKeyInfo['status']> {
  try {
    await key.verifyPrimaryKey();
    return 'valid';
  } catch (err) {
    const msg = err instanceof Error ? err.message : '';
    if (/expired/i.test(msg)) return 'expired';
    if (/revoked/i.test(msg)) return 'revoked';
    return 'invalid';
  }
}

function describe(key: Key, status: PgpKeyInfo['status'], start: number, end: number): PgpKeyInfo {
  const info = key.getAlgorithmInfo();
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    keyVersion: key.keyPacket.version,
    userIds: key.getUserIDs(),
    created: key.getCreationTime().toISOString(),
    algorithm: String(info.algorithm),
    ...(info.bits ? { bits: info.bits } : {}),
    ...(info.curve ? { curve: String(info.curve) } : {}),
    subkeyFingerprints: key.getSubkeys().map((s) => s.getFingerprint().toUpperCase()),
    status,
    isPrivate: key.isPrivate(),
    start,
    end,
  };
}
