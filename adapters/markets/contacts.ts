/**
 * Contact handles vendors post, found in free text.
 *
 *   telegram  `t.me/<name>`, `telegram.me/<name>`, or a `Telegram`/`TG` label then `@name`
 *             (5–32 letters, digits, `_`); reported as `@name`
 *   wickr     a `Wickr`/`Wickr Me`/`Wickr ID` label then the id (3–32 of letters, digits, `_.-`)
 *   session   a Session ID: `05` + 64 hex digits, labelled or not; reported lower-case
 *   jabber    an `xmpp:` URI, or a `Jabber`/`XMPP`/`OTR` label then `user@host`
 *   email     any other `user@host.tld` (or `mailto:`); reported lower-case
 *
 * A label may be followed by `:`, `-`, `=`, `→` or spaces. Each handle is reported once per kind,
 * in text order of its first occurrence.
 */
import type { Contact } from '../../src/model/index.js';

/** A contact found in text, with its UTF-16 offsets. */
export interface FoundContact extends Contact {
  readonly start: number;
  readonly end: number;
}

const SEP = String.raw`\s*(?:[:=\-→]|is)?\s*`;
const TELEGRAM = new RegExp(String.raw`(?:\b(?:https?:\/\/)?(?:t|telegram)\.me\/@?([A-Za-z][A-Za-z0-9_]{4,31})\b)|(?:\b(?:telegram|tg)\b${SEP}@?([A-Za-z][A-Za-z0-9_]{4,31})\b)`, 'gi');
const WICKR = new RegExp(String.raw`\bwickr(?:\s*me)?(?:\s*id)?\b${SEP}@?([A-Za-z0-9][A-Za-z0-9_.-]{2,31})\b`, 'gi');
const SESSION = /(?<![0-9a-f])05[0-9a-f]{64}(?![0-9a-f])/gi;
const JID = String.raw`[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}`;
const JABBER = new RegExp(String.raw`(?:\bxmpp:(${JID}))|(?:\b(?:jabber|xmpp|otr)(?:\s*id)?\b${SEP}(${JID}))`, 'gi');
const EMAIL = new RegExp(String.raw`(?<![A-Za-z0-9._%+-])(${JID})`, 'g');

/** Finds contacts in `text` (see the file comment). */
export function extractContacts(text: string): FoundContact[] {
  const found: FoundContact[] = [];
  const seen = new Set<string>();
  const jids = new Set<string>();
  const add = (kind: Contact['kind'], value: string, start: number, end: number): void => {
    const key = `${kind}:${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ kind, value, start, end });
  };
  for (const m of text.matchAll(TELEGRAM)) add('telegram', `@${m[1] ?? m[2]}`, m.index, m.index + m[0].length);
  for (const m of text.matchAll(WICKR)) add('wickr', m[1], m.index, m.index + m[0].length);
  for (const m of text.matchAll(SESSION)) add('session', m[0].toLowerCase(), m.index, m.index + m[0].length);
  for (const m of text.matchAll(JABBER)) {
    const jid = (m[1] ?? m[2]).toLowerCase();
    jids.add(jid);
    add('jabber', jid, m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(EMAIL)) {
    const addr = m[1].toLowerCase();
    if (!jids.has(addr)) add('email', addr, m.index, m.index + m[0].length);
  }
  return found.sort((a, b) => a.start - b.start);
}
