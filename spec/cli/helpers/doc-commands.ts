/**
 * The shell commands the README and the docs show, extracted for the docs specs: every line of a ```sh (bash,
 * shell, console) block, and every inline `code` span that starts like a command (`npx mx-statements`,
 * `mx-statements`, `npm `, `node dist/…`, `node --import tsx lib/cli/main.ts`), split into pipeline segments of
 * words with a small POSIX-shell lexer (quotes, `VAR=value` prefixes, `|`, `&&`, `;`, `#` comments).
 *
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers.js';

/** One command as the docs show it. */
export interface DocCommand {
  /** `README.md:46` */
  readonly where: string;
  /** The line as written (comment removed). */
  readonly line: string;
  /** Its segments (split at `|`, `&&`, `||`, `;`), each as environment assignments and words. */
  readonly segments: ReadonlyArray<{ readonly env: Readonly<Record<string, string>>; readonly words: ReadonlyArray<string> }>;
}

/** The Markdown files whose commands must run as written: README.md, docs/ (not the generated API), bench/README.md. */
export const docFiles = (): string[] => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === 'api' ? [] : walk(path.join(dir, e.name))) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []);
  return [path.join(ROOT, 'README.md'), ...walk(path.join(ROOT, 'docs')), path.join(ROOT, 'bench', 'README.md')].filter((f) => {
    try {
      readFileSync(f);
      return true;
    } catch {
      return false;
    }
  });
};

/** Splits a shell line into segments of words; throws on an unterminated quote. */
export const shellSegments = (line: string): DocCommand['segments'] => {
  const segments: Array<{ env: Record<string, string>; words: string[] }> = [];
  let words: string[] = [];
  let word: string | undefined;
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endSegment = () => {
    endWord();
    const env: Record<string, string> = {};
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '')) {
      const [k, ...v] = (words.shift() ?? '').split('=');
      env[k ?? ''] = v.join('=');
    }
    if (words.length > 0) segments.push({ env, words });
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end === -1) throw new Error(`unterminated ${c} in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[i + 1];
      i += 1;
    } else if (/\s/.test(c)) endWord();
    else if (c === '#' && word === undefined) break;
    else if (c === '|' || c === ';' || (c === '&' && line[i + 1] === '&')) {
      if (line[i + 1] === c) i += 1;
      endSegment();
    } else word = (word ?? '') + c;
  }
  endSegment();
  return segments;
};

/** `line` without a trailing `# comment` (a `#` inside quotes or a word is kept). */
export const withoutComment = (line: string): string => {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
};

const COMMAND_START = /^(npx mx-statements(\s|$)|mx-statements\s|npm |node dist\/|node --import tsx lib\/cli\/main\.ts)/;

/** Every command of every doc file. */
export const docCommands = (): DocCommand[] => {
  const out: DocCommand[] = [];
  for (const file of docFiles()) {
    const rel = path.relative(ROOT, file);
    const lines = readFileSync(file, 'utf8').split('\n');
    let fence: string | undefined;
    let pending = '';
    lines.forEach((raw, i) => {
      const open = /^\s*```(\S*)/.exec(raw);
      if (open) {
        fence = fence === undefined ? open[1] ?? '' : undefined;
        return;
      }
      if (fence !== undefined) {
        if (!/^(sh|bash|shell|console)$/.test(fence)) return;
        const text = raw.replace(/^\$ /, '');
        if (text.trim() === '' || text.trim().startsWith('#')) return;
        if (text.endsWith('\\')) {
          pending += `${text.slice(0, -1)} `;
          return;
        }
        const line = withoutComment(`${pending}${text}`.trim());
        pending = '';
        out.push({ where: `${rel}:${i + 1}`, line, segments: shellSegments(line) });
        return;
      }
      for (const m of raw.matchAll(/`([^`]+)`/g)) {
        const code = m[1] ?? '';
        if (COMMAND_START.test(code)) out.push({ where: `${rel}:${i + 1}`, line: code, segments: shellSegments(code) });
      }
    });
  }
  return out;
};

/** The CLI's own words of a segment (after `npx mx-statements`, `node dist/cli/main.js`, …), or `undefined` when it is not the CLI. */
export const cliWords = (words: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
  if (words[0] === 'npx' && words[1] === 'mx-statements') return words.slice(2);
  if (words[0] === 'mx-statements') return words.slice(1);
  if (words[0] === 'node' && words[1] === 'dist/cli/main.js') return words.slice(2);
  if (words[0] === 'node' && words[1] === '--import' && words[2] === 'tsx' && words[3] === 'lib/cli/main.ts') return words.slice(4);
  return undefined;
};
