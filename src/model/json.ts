/**
 * Stable JSON for model objects: every `bigint` as a decimal string, object keys sorted,
 * `undefined` fields left out. The same object always gives the same text.
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = toJsonValue(v);
    }
    return out;
  }
  return value;
}
