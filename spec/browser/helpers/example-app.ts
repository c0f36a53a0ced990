/**
 * The example Angular app (examples/angular) as a consumer installs it: its own dependencies from its lockfile
 * (npm cache first), this library from the tarball `npm pack` makes of the current build, then `ng build`. Done
 * once per mocha process and shared by every spec that needs it (browser specs, the consumer spec); the
 * dependency install is skipped while node_modules matches the lockfile.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './run.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const appRoot = join(repoRoot, 'examples/angular');
/** Test artefacts of the browser specs (gitignored): screenshots, set-up timings. */
export const ARTIFACTS = join(repoRoot, 'spec/browser/artifacts');

export interface ExampleApp {
  /** The app's folder (examples/angular). */
  readonly root: string;
  /** The built site (`ng build` output: index.html and its bundles). */
  readonly site: string;
  /** esbuild's metafile of the production build (`statsJson`). */
  readonly stats: { readonly inputs: Readonly<Record<string, unknown>> };
  /** The packed library the app installed. */
  readonly tarball: string;
  /** What each step took, for the report. */
  readonly timings: Readonly<Record<'pack' | 'install' | 'tarball' | 'build', number>>;
}

const MINUTE = 60_000;
const npm = 'npm';

const timed = async <A>(f: () => Promise<A>): Promise<[A, number]> => {
  const start = Date.now();
  const a = await f();
  return [a, Date.now() - start];
};

/** The library packed from the current dist/ (npm test builds it first). */
const pack = async (): Promise<string> => {
  if (!existsSync(join(repoRoot, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  const dir = join(repoRoot, '.tmp/pack');
  mkdirSync(dir, { recursive: true });
  const out = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: repoRoot, timeoutMs: 2 * MINUTE });
  const [report] = JSON.parse(out) as Array<{ filename: string }>;
  return join(dir, report!.filename);
};

/** `npm ci` unless node_modules already holds what the lockfile says (a stamp of the lockfile's hash). */
const installDependencies = async (): Promise<void> => {
  const lock = createHash('sha256').update(readFileSync(join(appRoot, 'package-lock.json'))).digest('hex');
  const stamp = join(appRoot, 'node_modules/.install-stamp');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) return;
  await run(npm, ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: appRoot, timeoutMs: 15 * MINUTE });
  writeFileSync(stamp, lock);
};

let app: Promise<ExampleApp> | undefined;

/** Installs and builds the example app once; later calls get the same result. */
export const exampleApp = (): Promise<ExampleApp> =>
  (app ??= (async () => {
    const [tarball, packMs] = await timed(pack);
    const [, installMs] = await timed(installDependencies);
    // --no-save: the tarball changes with every build, so it stays out of the app's package.json and lockfile.
    const [, tarballMs] = await timed(() =>
      run(npm, ['install', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: appRoot, timeoutMs: 5 * MINUTE }));
    const [, buildMs] = await timed(() => run(npm, ['run', 'build'], { cwd: appRoot, timeoutMs: 10 * MINUTE }));
    const stats = JSON.parse(readFileSync(join(appRoot, 'dist/stats.json'), 'utf8')) as ExampleApp['stats'];
    const timings = { pack: packMs, install: installMs, tarball: tarballMs, build: buildMs };
    // Kept with the screenshots: what the set-up cost this run (install is ~0 when node_modules was current).
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'example-app-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    return { root: appRoot, site: join(appRoot, 'dist/browser'), stats, tarball, timings };
  })());
