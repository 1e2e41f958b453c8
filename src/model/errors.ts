/**
 * The error every wildtrace failure is: a `code` a caller can switch on and a message that says
 * what was wrong and what to do.
 */
export class WildtraceError extends Error {
  /** stable, machine-readable reason, e.g. `STORE_LOCKED` */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Input that cannot be parsed or does not validate (a truncated block, a malformed TagPack …). */
export class InvalidInputError extends WildtraceError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'INVALID_INPUT', message, options);
  }
}

/** A failure of the case store: locked, wrong schema, not a wildtrace store, closed. */
export class StoreError extends WildtraceError {}

/** A failure talking to an outside source (RPC, REST, Tor proxy). */
export class SourceError extends WildtraceError {}
