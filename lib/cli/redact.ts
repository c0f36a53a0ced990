/**
 * The last-line guard against leaking secrets: every byte the CLI writes to stdout or stderr passes through a
 * {@link Redactor} that replaces each known secret (API key, its Basic `Authorization` form, passwords, MFA
 * answers) with `[redacted]`. Secrets are registered as soon as they are known — from flags, the environment,
 * prompts — so even a message the library or a dependency builds from them cannot reach the terminal.
 *
 * @module
 */
import { redactForms } from '../core/errors.js';
import { redactableForms } from '../core/secret-forms.js';

/** Collects secrets and scrubs them from text. */
export interface Redactor {
  /** Registers secrets (empty and very short values are ignored: see `redactSecrets`). */
  add(...secrets: ReadonlyArray<string | undefined>): void;
  /** Registers the client id + API key pair, with the Basic `Authorization` forms built from them. */
  addBasicAuth(clientId: string | undefined, apiKey: string | undefined): void;
  /**
   * Values that are public, never secrets (MX Bank's documented test passwords with the embedded sandbox):
   * removed now and ignored from now on.
   */
  exempt(values: Iterable<string>): void;
  /** `text` with every registered secret replaced by `[redacted]`. */
  scrub(text: string): string;
}

/**
 * Creates an empty {@link Redactor}.
 *
 * @example
 * ```ts
 * import { createRedactor } from './redact.js';
 *
 * const r = createRedactor();
 * r.add('hunter2');
 * r.scrub('password hunter2'); // 'password [redacted]'
 * ```
 */
export const createRedactor = (): Redactor => {
  const secrets = new Set<string>();
  const exempted = new Set<string>();
  // Every form of every secret, worked out once per change (not per write), longest first, so a secret
  // containing another is replaced whole.
  let forms: string[] = [];
  const reorder = () => {
    forms = redactableForms(secrets);
  };
  const add = (...values: ReadonlyArray<string | undefined>): void => {
    for (const v of values) {
      if (typeof v === 'string' && v.length >= 3 && !exempted.has(v)) secrets.add(v);
    }
    reorder();
  };
  return {
    add,
    exempt: (values) => {
      for (const v of values) {
        exempted.add(v);
        secrets.delete(v);
      }
      reorder();
    },
    addBasicAuth: (clientId, apiKey) => {
      if (!apiKey) return;
      const pair = `${clientId ?? ''}:${apiKey}`;
      const b64 = Buffer.from(pair, 'utf8').toString('base64');
      add(apiKey, b64, b64.replace(/=+$/, ''), encodeURIComponent(apiKey));
    },
    scrub: (text) => (forms.length === 0 ? text : redactForms(text, forms)),
  };
};

/** A stream whose `write` the guard wraps. */
export interface WritableLike {
  write: (...args: never[]) => boolean;
}

/**
 * Wraps `write` of each stream so that text and byte chunks pass through `redactor.scrub` first. Returns a
 * function that puts the original `write`s back.
 *
 * @example
 * ```ts
 * import { createRedactor, guardStreams } from './redact.js';
 *
 * const redactor = createRedactor();
 * const restore = guardStreams([process.stdout, process.stderr], redactor);
 * // … run the command …
 * restore();
 * ```
 */
export const guardStreams = (streams: ReadonlyArray<NodeJS.WriteStream | WritableLike>, redactor: Redactor): (() => void) => {
  const restores = streams.map((stream) => {
    const s = stream as unknown as { write: (chunk: unknown, ...rest: unknown[]) => boolean };
    const original = s.write;
    s.write = function guardedWrite(this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
      let out = chunk;
      if (typeof chunk === 'string') out = redactor.scrub(chunk);
      else if (chunk instanceof Uint8Array) {
        const text = Buffer.from(chunk).toString('utf8');
        const scrubbed = redactor.scrub(text);
        if (scrubbed !== text) out = scrubbed;
      }
      return original.call(this, out, ...rest);
    };
    return () => {
      s.write = original;
    };
  });
  return () => {
    for (const r of restores) r();
  };
};
