/**
 * Type-checks every TSDoc `@example` block of `lib/**\/*.ts`, and every ```` ```ts ```` block of README.md and
 * docs/ (recipes included), so the examples cannot rot.
 *
 * Each fenced ```` ```ts ```` block inside a doc comment becomes its own in-memory module, placed beside the file
 * it documents (so `./open-enum.js` resolves as it would there). The package's own names resolve to the sources
 * their `exports` entry in package.json is built from (`mx-statements-rx` → `lib/index.ts`, `/node` →
 * `lib/node/index.ts`, `/sandbox` → `lib/sandbox/index.ts`). All blocks go into ONE TypeScript program with the
 * options of tsconfig.json (strict, NodeNext, ES2022; types `node` only), and each diagnostic is reported as
 * `lib/<file>.ts:<line>` (the line in the source file) with the compiler's text and the line of the block's fence.
 *
 * Writing an example that compiles: import what it uses (from the package name for public API, relatively for
 * internals), and declare its inputs rather than build them, e.g. `declare const client: MxClient;`. Each block is
 * a module of its own: top-level `await` works, and names don't clash between blocks. Every `@example` needs a
 * ```` ```ts ```` block (an example in another fence, or in none, fails the first test).
 *
 * A Markdown block may instead be a copy of a file built elsewhere (```` ```ts file=examples/angular/src/app/x.ts ````,
 * the Angular example app, which the Angular CLI compiles in npm test): such a block must equal that file, and is
 * not compiled here (its imports resolve in its own project).
 *
 * The one escape hatch is an explicit fence info string, ```` ```ts no-check ````, for a block meant to be partial
 * (a fragment of an object literal, a signature shown for reading). Use it sparingly: the third test's title lists
 * every such block, so none goes unnoticed.
 */
import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const lib = resolve(root, 'lib');

/** The fence info string that opts a block out of the check. */
const NO_CHECK = 'no-check';

/**
 * The package's public names → the sources they are built from: each `exports` entry's `types` under `./dist/`
 * (tsconfig.build.json: rootDir `lib`, outDir `dist`), read back as `lib/….ts`.
 */
const packageEntries: Readonly<Record<string, string>> = (() => {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { types?: string }>;
  };
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const types = typeof target === 'string' ? undefined : target.types;
    const m = types && /^\.\/dist\/(.+)\.d\.ts$/.exec(types);
    if (m) entries[subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`] = resolve(lib, `${m[1]}.ts`);
  }
  return entries;
})();

interface Example {
  /** Absolute path of the documented file. */
  readonly source: string;
  /** 1-based line, in `source`, of the block's first code line (the one after the opening fence). */
  readonly line: number;
  readonly code: string;
  readonly checked: boolean;
  /** `file=<path>` in the fence: the block is a copy of that file (relative to the repository). */
  readonly file?: string;
}

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
    .sort();

/** A place in a source file, as `lib/…/file.ts:line` (1-based). */
const at = (source: string, line: number): string => `${relative(root, source)}:${line}`;

/**
 * Collects ```ts blocks from lines fed one at a time (comment prefixes already stripped): `feed` returns
 * `'opened'` for an opening ```ts fence, `'inside'` for a line it took (a block's body or its closing fence),
 * and `'outside'` for any other line.
 */
const fenceReader = (source: string, out: Example[]) => {
  let open: { line: number; checked: boolean; file: string | undefined; body: string[] } | undefined;
  return {
    get open() {
      return open;
    },
    /** `text` is line `i` (0-based) of `source`. */
    feed(text: string, i: number): 'opened' | 'inside' | 'outside' {
      const fence = /^```(\S*)\s*(.*)$/.exec(text.trim());
      if (open) {
        if (fence && fence[1] === '') {
          const { line, checked, file } = open;
          out.push({ source, line, code: open.body.join('\n') + '\n', checked, ...(file !== undefined ? { file } : {}) });
          open = undefined;
        } else open.body.push(text);
        return 'inside';
      }
      if (fence && /^(ts|typescript)$/.test(fence[1]!)) {
        const info = fence[2]!.split(/\s+/);
        const file = info.find((w) => w.startsWith('file='))?.slice('file='.length);
        open = { line: i + 2, checked: !info.includes(NO_CHECK), file, body: [] };
        return 'opened';
      }
      return 'outside';
    },
  };
};

/**
 * Every ```ts block inside the `/** … *\/` comments of one file, its comment prefixes (` * `) stripped; and every
 * `@example` tag with no ```ts block before the next tag (so an example cannot dodge the check by its fence).
 */
const scan = (source: string): { examples: Example[]; unfenced: string[] } => {
  const lines = readFileSync(source, 'utf8').split(/\r?\n/);
  const examples: Example[] = [];
  const unfenced: string[] = [];
  let inDoc = false;
  let tag: number | undefined; // line of an @example still waiting for its ```ts block
  const blocks = fenceReader(source, examples);
  const endTag = () => {
    if (tag !== undefined) unfenced.push(at(source, tag));
    tag = undefined;
  };
  lines.forEach((text, i) => {
    if (!inDoc) {
      if (/^\s*\/\*\*/.test(text) && !/\*\/\s*$/.test(text)) inDoc = true;
      return;
    }
    if (/\*\/\s*$/.test(text)) {
      if (blocks.open) throw new Error(`${at(source, blocks.open.line - 1)}: a \`\`\`ts block is not closed in its comment`);
      endTag();
      inDoc = false;
      return;
    }
    const content = text.replace(/^\s*\*(?: |$)/, '');
    const took = blocks.feed(content, i);
    if (took === 'opened') tag = undefined;
    else if (took === 'outside' && /^\s*@\w/.test(content)) {
      endTag();
      if (/^\s*@example\b/.test(content)) tag = i + 1;
    }
  });
  return { examples, unfenced };
};

const scanned = walk(lib).map(scan);
const examples = scanned.flatMap((s) => s.examples);
const unfenced = scanned.flatMap((s) => s.unfenced);

/** The Markdown documents whose ```ts blocks are checked the same way. */
const MARKDOWN = ['README.md', ...['docs', 'docs/recipes'].flatMap((d) =>
  readdirSync(resolve(root, d)).filter((f) => f.endsWith('.md')).map((f) => `${d}/${f}`))].map((f) => resolve(root, f));

/** Every ```ts block of a Markdown file (``` no-check in its info string opts it out, as in TSDoc). */
const scanMarkdown = (source: string): Example[] => {
  const out: Example[] = [];
  const blocks = fenceReader(source, out);
  readFileSync(source, 'utf8').split(/\r?\n/).forEach((text, i) => blocks.feed(text, i));
  return out;
};
const docExamples = MARKDOWN.flatMap(scanMarkdown);

let diagnostics: string[] | undefined;
/** The diagnostics of every checked block, TSDoc and Markdown, from one program (built once). */
const allDiagnostics = (): string[] => (diagnostics ??= check([...examples, ...docExamples].filter((e) => e.checked && e.file === undefined)));

/** The in-memory module of an example: beside its source file, so relative imports resolve from there. */
const virtualName = (e: Example): string => e.source.replace(/\.(ts|md)$/, `.example-L${e.line}.ts`);

const compilerOptions = (): ts.CompilerOptions => {
  const file = resolve(root, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, file);
  return {
    ...parsed.options,
    types: ['node'],
    noEmit: true,
    // A block without import/export is still a module of its own, so its top-level names don't clash.
    moduleDetection: ts.ModuleDetectionKind.Force,
  };
};

/** Type-checks the examples as one program; returns one readable line per diagnostic. */
const check = (checked: readonly Example[]): string[] => {
  const options = compilerOptions();
  const byName = new Map(checked.map((e) => [virtualName(e), e]));
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => byName.has(f) || fileExists.call(host, f);
  host.readFile = (f) => byName.get(f)?.code ?? readFile.call(host, f);
  host.getSourceFile = (f, language, onError, create) => {
    const e = byName.get(f);
    return e ? ts.createSourceFile(f, e.code, language, true) : getSourceFile.call(host, f, language, onError, create);
  };
  const cache = ts.createModuleResolutionCache(root, (f) => f, options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirect, opts, containingSourceFile) =>
    literals.map((literal) => {
      const entry = packageEntries[literal.text];
      if (entry) {
        const resolvedModule = { resolvedFileName: entry, extension: ts.Extension.Ts, isExternalLibraryImport: false };
        return { resolvedModule };
      }
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, opts);
      return ts.resolveModuleName(literal.text, containingFile, opts, host, cache, redirect, mode);
    });

  const program = ts.createProgram({ rootNames: [...byName.keys()], options, host });
  const where = (d: ts.Diagnostic): string => {
    const e = d.file && byName.get(d.file.fileName);
    if (!d.file || d.start === undefined) return '(program)';
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return e ? at(e.source, e.line + line) : at(d.file.fileName, line + 1);
  };
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...[...byName.keys()].flatMap((f) => {
      const sf = program.getSourceFile(f)!;
      return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    }),
  ];
  return diagnostics.map((d) => {
    const e = d.file && byName.get(d.file.fileName);
    const fence = e ? `  (the example's fence: ${at(e.source, e.line - 1)})` : '';
    return `${where(d)} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n    ')}${fence}`;
  });
};

describe('docs: the TSDoc @example blocks of lib/', function () {
  this.timeout(60_000);

  const checked = examples.filter((e) => e.checked);
  const unchecked = examples.filter((e) => !e.checked);

  it('finds the examples, each @example with a ```ts block', () => {
    expect(examples.length, 'no ```ts block found under lib/: is the extractor broken?').to.be.greaterThan(100);
    expect(packageEntries['mx-statements-rx'], 'package.json exports "."').to.equal(resolve(lib, 'index.ts'));
    for (const [name, file] of Object.entries(packageEntries)) {
      expect(existsSync(file), `${name} → ${relative(root, file)}`).to.equal(true);
    }
    expect(unfenced, '@example tags without a ```ts block (write the code in a ```ts fence)').to.deep.equal([]);
  });

  it(`type-check, all ${checked.length} of them, as modules of the package`, () => {
    const errors = allDiagnostics().filter((line) => line.startsWith('lib/'));
    // One line per error, each starting with the file:line to open (rather than a diff of two arrays).
    if (errors.length > 0) expect.fail(`${errors.length} type error(s) in @example blocks:\n${errors.join('\n')}\n`);
  });

  const list = unchecked.map((e) => at(e.source, e.line - 1)).join(', ');
  it(`opt out only with an explicit \`\`\`ts ${NO_CHECK} fence (${unchecked.length}${list ? `: ${list}` : ''})`, () => {
    for (const e of unchecked) expect(e.code.trim(), `${at(e.source, e.line - 1)} is empty`).not.to.equal('');
  });
});

describe('docs: the ```ts blocks of README.md and docs/', function () {
  this.timeout(60_000);

  const checked = docExamples.filter((e) => e.checked && e.file === undefined);
  const unchecked = docExamples.filter((e) => !e.checked);
  const copies = docExamples.filter((e) => e.file !== undefined);

  it(`type-check, all ${checked.length} of them, as code using the package`, () => {
    expect(docExamples.length, 'no ```ts block found in the Markdown docs: is the extractor broken?').to.be.greaterThan(5);
    const errors = allDiagnostics().filter((line) => !line.startsWith('lib/'));
    if (errors.length > 0) expect.fail(`${errors.length} type error(s) in Markdown code blocks:\n${errors.join('\n')}\n`);
  });

  it(`equal the files they copy, all ${copies.length} blocks with file=…`, () => {
    for (const e of copies) {
      const file = resolve(root, e.file!);
      expect(existsSync(file), `${at(e.source, e.line - 1)}: ${e.file} does not exist`).to.equal(true);
      expect(e.code.trim(), `${at(e.source, e.line - 1)} differs from ${e.file}`).to.equal(readFileSync(file, 'utf8').trim());
    }
  });

  const list = unchecked.map((e) => at(e.source, e.line - 1)).join(', ');
  it(`opt out only with an explicit \`\`\`ts ${NO_CHECK} fence (${unchecked.length}${list ? `: ${list}` : ''})`, () => {
    for (const e of unchecked) expect(e.code.trim(), `${at(e.source, e.line - 1)} is empty`).not.to.equal('');
  });
});
