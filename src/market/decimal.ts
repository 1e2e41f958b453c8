/**
 * Exact decimal arithmetic for listing prices and exchange rates, which the model keeps as
 * decimal strings (`"1250.00"`, `"0.0425"`): never JavaScript floats.
 *
 *   value = units / 10^scale     (units: bigint, scale: digits after the point, 0..36)
 *
 * Accepted text: optional `-`, digits, optionally `.` and digits (`12`, `12.5`, `.5`, `0.0425`);
 * no exponent, no thousands separator. Comparison, sum, product and the median are exact; only
 * {@link roundDecimal} rounds (half away from zero).
 */

/** A decimal number: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^(-)?(\d*)(?:\.(\d*))?$/;
const MAX_SCALE = 36;

/** Parses a decimal string; `undefined` when it is not one (see the file comment). */
export function readDecimal(text: string): Decimal | undefined {
  if (typeof text !== 'string') return undefined;
  const m = DECIMAL.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  if (frac.length > MAX_SCALE || m[2].length + frac.length > 80) return undefined;
  const units = BigInt(`${m[2] || '0'}${frac}`);
  return { units: m[1] ? -units : units, scale: frac.length };
}

const POW10: bigint[] = [];
const pow10 = (n: number): bigint => (POW10[n] ??= 10n ** BigInt(n));

function rescale(d: Decimal, scale: number): bigint {
  return d.units * pow10(scale - d.scale);
}

/** Compares two decimals: negative, zero or positive. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const s = Math.max(a.scale, b.scale);
  const x = rescale(a, s);
  const y = rescale(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The exact product of two decimals. */
export function multiplyDecimal(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** Rounds to `scale` digits after the point, half away from zero. */
export function roundDecimal(d: Decimal, scale: number): Decimal {
  if (d.scale <= scale) return { units: rescale(d, scale), scale };
  const div = pow10(d.scale - scale);
  const neg = d.units < 0n;
  const abs = neg ? -d.units : d.units;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return { units: neg ? -q : q, scale };
}

/** The decimal as text, with exactly `scale` digits after the point (`"0.50"`, `"12"`). */
export function formatDecimal(d: Decimal): string {
  const neg = d.units < 0n;
  const digits = (neg ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const int = digits.slice(0, digits.length - d.scale);
  const frac = digits.slice(digits.length - d.scale);
  return `${neg ? '-' : ''}${int}${d.scale > 0 ? `.${frac}` : ''}`;
}

/**
 * The exact median of `values`: the middle value, or the mean of the two middle values (which
 * may need one more digit: the median of `10.00` and `10.01` is `10.005`). `undefined` when empty.
 */
export function medianDecimal(values: readonly Decimal[]): Decimal | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort(compareDecimal);
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid];
  const a = sorted[mid - 1];
  const b = sorted[mid];
  const s = Math.max(a.scale, b.scale);
  const sum = rescale(a, s) + rescale(b, s);
  // sum / 2 is exact with one more digit: (sum × 5) / 10^(s+1)
  if (sum % 2n === 0n) return { units: sum / 2n, scale: s };
  return { units: sum * 5n, scale: s + 1 };
}
