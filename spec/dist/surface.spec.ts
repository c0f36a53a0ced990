/**
 * The public surface, pinned: the runtime names each entry of the built package exports, imported by the package's
 * own name under plain Node (so through its `exports` map), must be exactly these lists. A name added to an entry
 * by accident (an `export *`, a helper re-exported) fails here; so does one removed. Deep imports of internals
 * (`mx-statements-rx/dist/…`, `…/lib/…`) are refused by the `exports` map.
 *
 * To change the surface on purpose: edit the entry file (explicit named exports only) and the list below.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** Every runtime export of every entry, sorted. Types are not listed (they may be more numerous). */
const SURFACE: Readonly<Record<string, ReadonlyArray<string>>> = {
  'mx-statements-rx': [
    // the client
    'createMxClient', 'MxConfigError', 'MX_ENVIRONMENTS', 'MX_API_VERSIONS', 'DEFAULT_API_VERSION', 'createRateLimiter',
    // MX's objects
    'supportsStatements', 'classifyConnectionStatus', 'KNOWN_CHALLENGE_TYPES', 'KNOWN_CONNECTION_STATUSES', 'KNOWN_SUPPORTED_PRODUCTS',
    // errors, and Left ⇄ error
    'describeError', 'isMxError', 'isRetryable', 'rightOrThrow', 'errorToLeft', 'LeftError', 'isLeftError',
    // the workflow, the batch, the sink
    'fetchStatements$', 'MX_POLLING', 'SANDBOX_POLLING', 'WEBHOOK_FAILSAFE_POLLING',
    'fetchStatementsForMany$', 'needsUserAction', 'isTransientFailure', 'createMemorySink',
  ],
  'mx-statements-rx/node': [
    'writeStatements', 'isFileSystemError', 'readManifest', 'nodeSha256', 'nodeFetch',
    'decodeWebhook', 'parseWebhook', 'webhookWakeup', 'webhookDeliveryKey', 'createWebhookReceiver', 'listenForWebhooks',
    'MissingQueuePeersError', 'createRedisRateLimiter', 'enqueueMembers', 'startSyncWorker', 'watchSyncRun',
  ],
  'mx-statements-rx/sandbox': [
    'startSandbox', 'SANDBOX_DEFAULTS', 'createManualClock', 'MX_BANK_PASSWORDS', 'CORRECT_ANSWER', 'ONE_TIME_CODE',
    'FOLLOW_UP_ANSWER', 'INSTITUTIONS', 'MX_BANK_CODE', 'MX_BANK_OAUTH_CODE', 'seedUserId',
  ],
  'mx-statements-rx/angular': ['provideMxClient', 'injectMxClient', 'injectMxDownloadProgress', 'MX_CLIENT', 'MX_REQUEST', 'httpClientFetch'],
  'mx-statements-rx/testing': ['fakeMxClient', 'sandboxClient', 'mxBankInput', 'expectMxRequest', 'createMemorySink'],
};

/** The source of each entry (package.json `exports` → `dist/x/index.d.ts` → `lib/x/index.ts`). */
const entrySources = (): Record<string, string> => {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string | { types?: string }> };
  const out: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const m = typeof target === 'object' ? /^\.\/dist\/(.+)\.d\.ts$/.exec(target.types ?? '') : null;
    if (m) out[subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`] = resolve(root, 'lib', `${m[1]}.ts`);
  }
  return out;
};

/** Imports `specifier` in a fresh Node (from the repository, so by the package's own name) and returns its export names. */
const exportsOf = async (specifier: string): Promise<string[]> => {
  // The Angular entry needs the JIT compiler in plain Node (an app's build links it ahead of time).
  const prelude = specifier.endsWith('/angular') ? "await import('@angular/compiler');" : '';
  const script = `${prelude} const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m)));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root, timeout: 60_000 });
  return (JSON.parse(stdout.trim()) as string[]).sort();
};

/** The error code Node gives importing `specifier` from the repository (by the package's own name). */
const importError = async (specifier: string): Promise<string> => {
  const script = `try { await import(${JSON.stringify(specifier)}); console.log('imported'); } catch (e) { console.log(e.code ?? e.message); }`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root, timeout: 60_000 });
  return stdout.trim();
};

describe('the public surface (runtime exports of each entry, by package name)', function () {
  this.timeout(120_000);

  before(function () {
    if (!existsSync(resolve(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  });

  it('has one pinned list per entry of package.json "exports", and each entry exists', () => {
    expect(Object.keys(entrySources()).sort()).to.deep.equal(Object.keys(SURFACE).sort());
    for (const [name, file] of Object.entries(entrySources())) expect(existsSync(file), `${name} → ${file}`).to.equal(true);
  });

  for (const [entry, names] of Object.entries(SURFACE)) {
    it(`${entry} exports exactly its ${names.length} runtime names`, async () => {
      const actual = await exportsOf(entry);
      const expected = [...names].sort();
      const extra = actual.filter((n) => !expected.includes(n));
      const missing = expected.filter((n) => !actual.includes(n));
      expect({ extra, missing }, `${entry}: exported but not pinned / pinned but not exported`).to.deep.equal({ extra: [], missing: [] });
    });
  }

  it('curates every entry by explicit names: no `export *` in an entry file', () => {
    for (const [name, file] of Object.entries(entrySources())) {
      const source = readFileSync(file, 'utf8');
      expect(source, `${name} (${file})`).not.to.match(/^\s*export\s+\*/m);
    }
  });

  it('keeps internals out of reach: deep imports are refused by the "exports" map', async () => {
    for (const deep of ['mx-statements-rx/dist/http/path.js', 'mx-statements-rx/dist/workflow/index.js', 'mx-statements-rx/lib/index.ts', 'mx-statements-rx/dist/codecs/user.js']) {
      expect(await importError(deep), deep).to.equal('ERR_PACKAGE_PATH_NOT_EXPORTED');
    }
    // …while the entries themselves resolve (the same mechanism, so the refusal above is not a broken package)
    expect(await importError('mx-statements-rx/testing')).to.equal('imported');
  });
});
