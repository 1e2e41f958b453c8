// PGP keys: fingerprints from openpgp.js checked against GnuPG (an independent implementation) on
// keys GnuPG generates in a throw-away home; mangled armour, several blocks, private keys,
// garbage, truncation and fuzzing give typed errors or counted skips.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/model/errors.js';
import { findPgpKeys, parsePgpKeys, MAX_PGP_INPUT } from '../../src/market/index.js';

let home = '';
const gpg = (...args: string[]) =>
  execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const keys: { uid: string; fingerprint: string; armored: string; secret: string }[] = [];
let expired = '';
let revoked = { fingerprint: '', armored: '' };

beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'wildtrace-gpg-'));
  for (const [uid, algo] of [
    ['pangolin vendor <pv@example.invalid>', 'ed25519'],
    ['Ivory Trader (market) <ivory@example.invalid>', 'rsa2048'],
  ]) {
    gpg('--quick-gen-key', uid, algo, 'sign', 'never');
    const colons = gpg('--with-colons', '--fingerprint', uid);
    const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)![1];
    keys.push({ uid, fingerprint, armored: gpg('--armor', '--export', fingerprint), secret: gpg('--armor', '--export-secret-keys', fingerprint) });
  }
  // a key made "in 2020" that expired after one day
  gpg('--faked-system-time', '20200101T000000', '--quick-gen-key', 'expired vendor <old@example.invalid>', 'ed25519', 'sign', '1d');
  expired = gpg('--armor', '--export', 'old@example.invalid');
  // a key revoked with the revocation certificate gpg made for it
  gpg('--quick-gen-key', 'revoked vendor <rev@example.invalid>', 'ed25519', 'sign', 'never');
  const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(gpg('--with-colons', '--fingerprint', 'rev@example.invalid'))![1];
  const cert = readFileSync(path.join(home, 'openpgp-revocs.d', `${fpr}.rev`), 'utf8').replace(/^:-----BEGIN/m, '-----BEGIN');
  writeFileSync(path.join(home, 'rev.asc'), cert);
  gpg('--import', path.join(home, 'rev.asc'));
  revoked = { fingerprint: fpr, armored: gpg('--armor', '--export', fpr) };
}, 120_000);

afterAll(() => {
  try {
    execFileSync('gpgconf', ['--homedir', home, '--kill', 'all'], { stdio: 'ignore' });
  } catch {
    /* no agent running */
  }
  rmSync(home, { recursive: true, force: true });
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidInputError);
  expect((err as InvalidInputError).code).toBe(code);
}

describe('parsePgpKeys', () => {
  it('gives the full 40-hex fingerprint and user id that GnuPG reports', async () => {
    for (const k of keys) {
      const [info] = await parsePgpKeys(k.armored);
      expect(info.fingerprint).toBe(k.fingerprint);
      expect(info.fingerprint).toMatch(/^[0-9A-F]{40}$/);
      expect(info.userIds).toEqual([k.uid]);
      expect(info.keyVersion).toBe(4);
      expect(info.isPrivate).toBe(false);
      expect(info.status).toBe('valid');
    }
  });

  it('finds several blocks inside page text, with their offsets', async () => {
    const text = `Vendor profile\n${keys[0].armored}\nbackup key:\n${keys[1].armored}\nthanks`;
    const found = await parsePgpKeys(text);
    expect(found.map((k) => k.fingerprint)).toEqual(keys.map((k) => k.fingerprint));
    for (const f of found) expect(text.slice(f.start, f.end)).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*-----END PGP PUBLIC KEY BLOCK-----$/);
  });

  it('reads armour that a page mangled: lines joined by spaces, indented, CRLF', async () => {
    const k = keys[1];
    for (const mangled of [k.armored.replace(/\n/g, ' '), k.armored.replace(/\n/g, '\n    '), k.armored.replace(/\n/g, '\r\n')]) {
      expect((await parsePgpKeys(mangled))[0].fingerprint).toBe(k.fingerprint);
    }
  });

  it('reports expired and revoked keys as such (GnuPG made them), with their fingerprints', async () => {
    const [e] = await parsePgpKeys(expired);
    expect(e.status).toBe('expired');
    expect(e.created.startsWith('2020-01-01')).toBe(true);
    const [r] = await parsePgpKeys(revoked.armored);
    expect(r.fingerprint).toBe(revoked.fingerprint);
    expect(r.status).toBe('revoked');
  });

  it('flags a posted private key', async () => {
    const [info] = await parsePgpKeys(keys[0].secret);
    expect(info.isPrivate).toBe(true);
    expect(info.fingerprint).toBe(keys[0].fingerprint);
  });

  it('gives typed errors on garbage, truncation, corruption and oversize', async () => {
    await expectCode(parsePgpKeys('no key here'), 'PGP_NO_KEY_BLOCK');
    await expectCode(parsePgpKeys(''), 'PGP_NO_KEY_BLOCK');
    await expectCode(parsePgpKeys('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64 !!!\n-----END PGP PUBLIC KEY BLOCK-----'), 'PGP_INVALID_KEY');
    await expectCode(parsePgpKeys(keys[0].armored.slice(0, 200)), 'PGP_INVALID_KEY');
    await expectCode(parsePgpKeys('x'.repeat(MAX_PGP_INPUT + 1)), 'PGP_TOO_LARGE');
  });

  it('a block altered by one character is refused or reported with status "invalid", never as valid', async () => {
    const lines = keys[0].armored.split('\n');
    let altered = 0;
    for (let line = 2; line < lines.length - 3; line++) {
      for (let i = 0; i < lines[line].length; i += 9) {
        const copy = [...lines];
        const c = copy[line][i];
        copy[line] = copy[line].slice(0, i) + (c === 'A' ? 'B' : 'A') + copy[line].slice(i + 1);
        const result = await findPgpKeys(copy.join('\n'));
        for (const k of result.keys) {
          if (k.fingerprint === keys[0].fingerprint && k.userIds[0] === keys[0].uid) continue; // byte outside signed data
          expect(k.status, `line ${line} char ${i}`).toBe('invalid');
        }
        altered++;
      }
    }
    expect(altered).toBeGreaterThan(20);
  });

  it('findPgpKeys counts bad blocks instead of throwing, and keeps the good ones', async () => {
    const text = `${keys[0].armored}\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n${keys[1].armored}\n-----BEGIN PGP PUBLIC KEY BLOCK-----\ncut off`;
    const { keys: found, skipped } = await findPgpKeys(text);
    expect(found.map((k) => k.fingerprint)).toEqual(keys.map((k) => k.fingerprint));
    expect(skipped.length).toBe(2);
    expect(skipped[1].reason).toMatch(/truncated/);
  });

  it('a text of 10 000 BEGIN lines without END is handled in linear time', async () => {
    const text = '-----BEGIN PGP PUBLIC KEY BLOCK-----\nAAAA\n'.repeat(10_000);
    const t = performance.now();
    const { keys: found, skipped } = await findPgpKeys(text);
    expect(found).toEqual([]);
    expect(skipped.length).toBe(1);
    expect(performance.now() - t).toBeLessThan(2_000);
  });

});
