/** Looking for secrets everywhere a run leaves a trace: values, captured output, files. */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { listFiles } from './resources.js';

/**
 * The forms a secret may take on the way out: as is, Base64 inside a Basic token, URL-encoded, JSON-escaped (once
 * and twice, then also URL-encoded), and the Base64 of its JSON-escaped form at each alignment (the characters
 * that encode only the secret). Forms shorter than 6 characters are left out (they would match anything).
 */
export const secretForms = (secrets: Readonly<Record<string, string>>, basic: string): Record<string, string> => {
  const out: Record<string, string> = { basicToken: basic };
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  const base64Core = (s: string, shift: number) => {
    const bytes = Buffer.concat([Buffer.alloc(shift), Buffer.from(s), Buffer.alloc(2)]);
    return bytes.toString('base64').slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + Buffer.byteLength(s))) / 6));
  };
  for (const [name, value] of Object.entries(secrets)) {
    const forms: Record<string, string> = {
      '': value,
      ' (url-encoded)': encodeURIComponent(value),
      ' (base64)': Buffer.from(value).toString('base64'),
      ' (json-escaped)': json(value),
      ' (json-escaped twice)': json(json(value)),
      ' (json-escaped, url-encoded)': encodeURIComponent(json(value)),
    };
    for (const shift of [0, 1, 2]) forms[` (json-escaped, base64 at ${shift})`] = base64Core(json(value), shift);
    for (const [suffix, form] of Object.entries(forms)) if (form.length >= 6) out[`${name}${suffix}`] = form;
  }
  return out;
};

/** Names of the secret forms found in `text`, with where. */
export const findSecrets = (where: string, text: string, forms: Readonly<Record<string, string>>): string[] =>
  Object.entries(forms).filter(([, v]) => v.length > 0 && text.includes(v)).map(([name]) => `${name} in ${where}`);

/** JSON of any value (including errors' own properties); never throws. */
export const textOf = (v: unknown): string => {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (x instanceof Error ? { ...x, name: x.name, message: x.message, stack: x.stack } : x)) ?? String(v);
  } catch {
    return String(v);
  }
};

/** Scans every file under `dir` (as bytes read as latin1, so any encoding of ASCII secrets is found). */
export const scanFiles = async (dir: string, forms: Readonly<Record<string, string>>): Promise<{ files: number; hits: string[] }> => {
  const files = await listFiles(dir);
  const hits: string[] = [];
  for (const f of files) hits.push(...findSecrets(f, (await readFile(path.join(dir, f))).toString('latin1'), forms));
  return { files: files.length, hits };
};

/**
 * Captures everything written to stdout/stderr and through `console` while `body` runs (the library must log
 * nothing secret; ideally nothing at all), then restores them.
 */
export const captureOutput = async <A>(body: () => Promise<A>): Promise<{ result: A; output: string }> => {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((m) => console[m]);
  const record = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('latin1'));
    return true;
  };
  process.stdout.write = record as typeof process.stdout.write;
  process.stderr.write = record as typeof process.stderr.write;
  for (const m of methods) console[m] = (...args: unknown[]) => void chunks.push(args.map(textOf).join(' '));
  try {
    const result = await body();
    return { result, output: chunks.join('\n') };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    methods.forEach((m, i) => {
      console[m] = saved[i] ?? console[m];
    });
  }
};
