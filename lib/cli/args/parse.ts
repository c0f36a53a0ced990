/**
 * The command-line parser: `argv` against a table of commands and flags. Hand-written (Node's `parseArgs` has no
 * `--no-…` negation on Node 20, no choices, and its messages do not say which command a flag belongs to).
 *
 * @module
 */
import { UsageError } from '../usage-error.js';
import { flagKey, flagUsage, type CommandSpec, type FlagSpec, type ParsedFlags } from './spec.js';

/** What the command line asks for. */
export type ParsedCommandLine =
  | { readonly kind: 'help'; readonly command?: CommandSpec }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly command: CommandSpec; readonly flags: ParsedFlags };

const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
};

/**
 * The closest of `candidates` to `word`, when one is close enough to be a typo.
 *
 * @example
 * ```ts
 * import { closest } from './parse.js';
 *
 * closest('pasword', ['password', 'out']); // 'password'
 * ```
 */
export const closest = (word: string, candidates: ReadonlyArray<string>): string | undefined => {
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d <= Math.max(1, Math.floor(c.length / 4)) && (!best || d < best.d)) best = { name: c, d };
  }
  return best?.name;
};

const HELP = new Set(['--help', '-h']);
const VERSION = new Set(['--version', '-V']);

const unknownFlag = (flag: string, command: CommandSpec): UsageError => {
  const guess = closest(flag.replace(/^-+/, ''), command.flags.map((f) => f.name));
  return new UsageError(`unknown flag ${flag}${guess ? ` (did you mean --${guess}?)` : ''}`, flag);
};

/**
 * Parses the flags of one command (the words after its name). Throws a {@link UsageError} naming the flag for
 * an unknown flag, a missing or unexpected value, a value outside the flag's choices, a flag given twice, or a
 * stray argument.
 *
 * @example
 * ```ts
 * import { parseFlags } from './parse.js';
 * import type { CommandSpec } from './spec.js';
 * declare const fetch: CommandSpec;
 *
 * parseFlags(['--out=./pdfs', '--mfa-answer', 'a', '--mfa-answer', 'b', '--json'], fetch);
 * // { out: './pdfs', mfaAnswer: ['a', 'b'], json: true }
 * ```
 */
export const parseFlags = (words: ReadonlyArray<string>, command: CommandSpec): ParsedFlags => {
  const byName = new Map<string, FlagSpec>(command.flags.map((f) => [f.name, f]));
  const values: Record<string, string | string[] | true> = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '--') {
      const rest = words.slice(i + 1);
      if (rest.length > 0) throw new UsageError(`takes no arguments, got ${JSON.stringify(rest[0])}`);
      break;
    }
    if (!word.startsWith('--')) {
      if (word.startsWith('-') && word.length > 1) throw unknownFlag(word, command);
      throw new UsageError(`takes no arguments, got ${JSON.stringify(word)} (flags start with --)`);
    }
    const eq = word.indexOf('=');
    const name = word.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) throw unknownFlag(`--${name}`, command);
    const flag = `--${name}`;
    const key = flagKey(name);
    if (spec.value === undefined) {
      if (eq !== -1) throw new UsageError(`${flag} takes no value, got ${JSON.stringify(word.slice(eq + 1))}`, flag);
      if (values[key] !== undefined) throw new UsageError(`${flag} is given twice`, flag);
      values[key] = true;
      continue;
    }
    let value: string;
    if (eq !== -1) value = word.slice(eq + 1);
    else {
      const next = words[i + 1];
      // A value may start with "-" (a password), but never be one of this command's flags: that is a forgotten value.
      if (next === undefined || (next.startsWith('--') && byName.has(next.slice(2).split('=')[0] ?? ''))) {
        throw new UsageError(`${flag} needs a value (${flagUsage(spec)})`, flag);
      }
      value = next;
      i += 1;
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`${flag} must be ${spec.choices.join(' or ')}, got ${JSON.stringify(value)}`, flag);
    }
    const previous = values[key];
    if (spec.repeatable) values[key] = [...(Array.isArray(previous) ? previous : []), value];
    else if (previous !== undefined) throw new UsageError(`${flag} is given twice`, flag);
    else values[key] = value;
  }
  return values;
};

/**
 * Parses a whole command line (the words after the program name) against the commands: help and version
 * anywhere win over everything else; otherwise the first word names the command.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from './parse.js';
 * import type { CommandSpec } from './spec.js';
 * declare const commands: ReadonlyArray<CommandSpec>;
 *
 * parseCommandLine(['fetch', '--help'], commands).kind; // 'help'
 * ```
 */
export const parseCommandLine = (words: ReadonlyArray<string>, commands: ReadonlyArray<CommandSpec>): ParsedCommandLine => {
  const [first, ...rest] = words;
  if (first === undefined) return { kind: 'help' };
  const beforeDashes = (list: ReadonlyArray<string>) => {
    const end = list.indexOf('--');
    return end === -1 ? list : list.slice(0, end);
  };
  if (HELP.has(first) || first === 'help') {
    const named = commands.find((c) => c.name === rest[0]);
    return named ? { kind: 'help', command: named } : { kind: 'help' };
  }
  if (VERSION.has(first)) return { kind: 'version' };
  const command = commands.find((c) => c.name === first);
  if (!command) {
    if (first.startsWith('-')) throw new UsageError(`${first} is not a flag of mx-statements itself: flags go after the command (${commands.map((c) => c.name).join(', ')})`, first);
    const guess = closest(first, commands.map((c) => c.name));
    throw new UsageError(`unknown command ${JSON.stringify(first)}${guess ? ` (did you mean ${guess}?)` : ''}; the commands are ${commands.map((c) => c.name).join(', ')}`);
  }
  // --help anywhere among the flags (but not as a flag's value, e.g. --password --help is still help: safer).
  if (beforeDashes(rest).some((w) => HELP.has(w))) return { kind: 'help', command };
  return { kind: 'run', command, flags: parseFlags(rest, command) };
};

/**
 * The flags (both `--flag value` and `--flag=value`) whose values are secrets, read from `argv` before any
 * parsing, so that not even a usage error can echo one.
 *
 * @example
 * ```ts
 * import { secretValues } from './parse.js';
 * import type { CommandSpec } from './spec.js';
 * declare const commands: ReadonlyArray<CommandSpec>;
 *
 * secretValues(['fetch', '--password=hunter22'], commands); // ['hunter22']
 * ```
 */
export const secretValues = (words: ReadonlyArray<string>, commands: ReadonlyArray<CommandSpec>): string[] => {
  const secret = new Set(commands.flatMap((c) => c.flags.filter((f) => f.secret).map((f) => `--${f.name}`)));
  const found: string[] = [];
  words.forEach((word, i) => {
    const eq = word.indexOf('=');
    if (eq !== -1 && secret.has(word.slice(0, eq))) found.push(word.slice(eq + 1));
    else if (secret.has(word) && words[i + 1] !== undefined) found.push(words[i + 1] ?? '');
  });
  return found;
};
