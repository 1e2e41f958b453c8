/**
 * PGP armour in free text (RFC 4880 §6.2, RFC 9580 §6.2): a block runs from a
 * `-----BEGIN PGP <kind>-----` line to the matching `-----END PGP <kind>-----`. Its body is
 * base64 of binary packets, so anything that looks like an address inside it is noise.
 *
 * The one exception is `-----BEGIN PGP SIGNED MESSAGE-----`: the text after it is cleartext the
 * signer wrote (vendors sign their payment addresses this way) and is not armour; only its
 * `-----BEGIN PGP SIGNATURE-----` block is. An armour without its END line runs to the end of
 * the text (a truncated key block is still a key block).
 */

/** A half-open range `[start, end)` of UTF-16 offsets. */
export type TextSpan = readonly [start: number, end: number];

const ARMOUR_BEGIN = /-----BEGIN PGP ([A-Z0-9 ,/]{1,40})-----/g;

/** The PGP armour blocks of `text` (not the cleartext of a signed message), in text order. */
export function pgpArmourSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  if (text.indexOf('-----BEGIN PGP ') < 0) return spans;
  const re = new RegExp(ARMOUR_BEGIN.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const kind = m[1];
    if (kind === 'SIGNED MESSAGE') continue; // cleartext follows; its signature block matches next
    const endMarker = `-----END PGP ${kind}-----`;
    const endAt = text.indexOf(endMarker, re.lastIndex);
    const end = endAt < 0 ? text.length : endAt + endMarker.length;
    spans.push([m.index, end]);
    re.lastIndex = end;
  }
  return spans;
}
