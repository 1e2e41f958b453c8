/**
 * Attribute typing shared by the exports. Each attribute name gets one declared type from the
 * values it holds across all nodes (or all edges): `boolean` if every value is a boolean,
 * `double` if every value is a finite or infinite number, else `string` (other values are
 * written with `String`, objects as JSON). Reading a file back restores booleans and numbers
 * from the declared type, so a graph with scalar attributes comes back identical.
 */
import { InvalidInputError } from '../../model/errors.js';

/** The declared type of an attribute column. */
export type AttributeType = 'boolean' | 'double' | 'string';

/** One declared attribute: its name and type, in first-seen order. */
export interface AttributeColumn {
  name: string;
  type: AttributeType;
}

/** Declares the attributes found in `records` (first-seen order, `skip` names left out). */
export function attributeColumns(records: Iterable<Record<string, unknown>>, skip: ReadonlySet<string> = new Set()): AttributeColumn[] {
  const types = new Map<string, AttributeType>();
  for (const attributes of records) {
    for (const name in attributes) {
      if (skip.has(name)) continue;
      const v = attributes[name];
      if (v === undefined) continue;
      const t: AttributeType = typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'double' : 'string';
      const seen = types.get(name);
      if (seen === undefined) types.set(name, t);
      else if (seen !== t) types.set(name, 'string');
    }
  }
  return [...types].map(([name, type]) => ({ name, type }));
}

/** Writes a value as text for a column of type `type`. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** Reads text written by {@link formatValue} back into a value of type `type`. */
export function parseValue(text: string, type: AttributeType, where: string): string | number | boolean {
  if (type === 'string') return text;
  if (type === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw new InvalidInputError(`${where}: expected true or false, got ${JSON.stringify(text.slice(0, 40))}`, { code: 'GRAPH_IMPORT' });
  }
  const n = Number(text);
  if (text.trim() === '' || (Number.isNaN(n) && text !== 'NaN')) throw new InvalidInputError(`${where}: expected a number, got ${JSON.stringify(text.slice(0, 40))}`, { code: 'GRAPH_IMPORT' });
  return n;
}

/** Maps a type name of GEXF or GraphML to an {@link AttributeType}. */
export function typeFromXml(name: string | undefined): AttributeType {
  switch ((name ?? 'string').toLowerCase()) {
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return 'double';
    default:
      return 'string';
  }
}
