/**
 * The error of every tag source: an {@link InvalidInputError} that also says where — the file,
 * the 1-based line (and column) and the field — so an analyst can open the file and fix it.
 */
import { InvalidInputError } from '../../src/model/errors.js';

/** Where in a source a problem is. */
export interface TagInputLocation {
  /** the file or pack name, when known */
  readonly source?: string;
  /** 1-based line */
  readonly line?: number;
  /** 1-based column */
  readonly column?: number;
  /** the field (YAML key or CSV column) */
  readonly field?: string;
}

/**
 * A TagPack, CSV or OFAC list that cannot be read. `code` is one of `TAGPACK_YAML`,
 * `TAGPACK_SHAPE`, `TAGPACK_MISSING_FIELD`, `TAGPACK_FIELD_TYPE`, `TAGPACK_UNKNOWN_CONFIDENCE`,
 * `TAGPACK_UNKNOWN_CONCEPT`, `TAGPACK_CURRENCY`, `TAGPACK_ADDRESS`, `TAGPACK_TOO_LARGE`,
 * `CSV_SYNTAX`, `CSV_HEADER`, `CSV_COLUMNS` (and the `TAGPACK_*` field codes for CSV cells).
 */
export class TagInputError extends InvalidInputError {
  readonly location: TagInputLocation;

  constructor(code: string, problem: string, location: TagInputLocation = {}, options?: { cause?: unknown }) {
    super(`${where(location)}${problem}`, { code, ...options });
    this.location = location;
  }
}

function where(l: TagInputLocation): string {
  const parts: string[] = [];
  if (l.source) parts.push(l.source);
  if (l.line !== undefined) parts.push(`line ${l.line}${l.column !== undefined ? `, column ${l.column}` : ''}`);
  if (l.field) parts.push(`field "${l.field}"`);
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}
