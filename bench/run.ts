/**
 * `npm run bench` (full) and `npm run bench -- --quick`: compiles the bench, runs each phase in a fresh Node
 * process (so memory peaks are per phase, and the sandbox, in yet another process, is never counted), prints a
 * table and writes `bench/results.json`. See bench/README.md for every key.
 *
 * Flags: `--quick`, `--only overhead,polling,batch,bigPdf,longJobs,batchWebhooks,fleet`, `--out FILE`.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/args.js';
import { RESULT_PREFIX, compiledBenchFile, readJsonLine, spawnTs } from './lib/child.js';
import { compileBench } from './lib/compile.js';
import type { BenchResults, PhaseFailure } from './lib/results.js';
import { renderResults } from './lib/table.js';
import { checkTargets } from './lib/targets.js';

type PhaseKey = 'polling' | 'overhead' | 'bigPdf' | 'batch' | 'longJobs' | 'batchWebhooks' | 'fleet';

/**
 * Phase key → script under `bench/phases/`, in the order they run (cheapest first), and the result keys it
 * writes when it writes more than its own (`longJobs` also measures `rerun`).
 */
const PHASES: ReadonlyArray<readonly [key: PhaseKey, script: string, produces?: ReadonlyArray<string>]> = [
  ['polling', 'polling'],
  ['overhead', 'overhead'],
  ['bigPdf', 'big-pdf'],
  ['batch', 'batch'],
  ['longJobs', 'long-jobs', ['longJobs', 'rerun']],
  ['batchWebhooks', 'webhooks'],
  ['fleet', 'fleet'],
];

const runPhaseProcess = async (script: string, quick: boolean): Promise<unknown> => {
  const child = spawnTs(compiledBenchFile(`phases/${script}`), quick ? ['--quick'] : []);
  child.stdin?.end();
  return readJsonLine<unknown>(
    child,
    (line) => (line.startsWith(RESULT_PREFIX) ? line.slice(RESULT_PREFIX.length) : undefined),
    (line) => process.stderr.write(`  ${line}\n`),
  );
};

const main = async (): Promise<number> => {
  const args = parseArgs(process.argv.slice(2));
  const selected = PHASES.filter(([key]) => args.only === undefined || args.only.includes(key));
  const unknown = (args.only ?? []).filter((k) => !PHASES.some(([key]) => key === k));
  if (unknown.length > 0) throw new Error(`bench: unknown phase(s) ${unknown.join(', ')}; known: ${PHASES.map(([k]) => k).join(', ')}`);
  const startedAt = new Date();
  const t0 = performance.now();
  process.stderr.write(`bench (${args.quick ? 'quick' : 'full'}): compiling…\n`);
  const compileSeconds = await compileBench(selected.map(([, s]) => s));
  process.stderr.write(`  compiled in ${compileSeconds.toFixed(1)} s\n`);

  const results: Record<string, unknown> = {};
  let failed = 0;
  for (const [key, script, produces] of selected) {
    process.stderr.write(`bench: ${key}…\n`);
    const p0 = performance.now();
    try {
      const result = await runPhaseProcess(script, args.quick);
      if (produces === undefined) results[key] = result;
      else for (const k of produces) results[k] = (result as Record<string, unknown>)[k];
    } catch (err) {
      failed += 1;
      for (const k of produces ?? [key]) results[k] = { error: err instanceof Error ? err.message : String(err) } satisfies PhaseFailure;
    }
    process.stderr.write(`  ${key} took ${((performance.now() - p0) / 1000).toFixed(1)} s\n`);
  }

  const cpu = cpus();
  const partial = results as Omit<BenchResults, 'targets' | 'meta'>;
  const out: BenchResults = {
    meta: {
      mode: args.quick ? 'quick' : 'full',
      startedAt: startedAt.toISOString(),
      totalSeconds: Math.round((performance.now() - t0) / 100) / 10,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      loadAverage: loadavg(),
    },
    ...partial,
    targets: checkTargets(partial),
  };
  const file = args.out ?? fileURLToPath(new URL('./results.json', import.meta.url));
  await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${renderResults(out)}\n\nwrote ${file} (${out.meta.totalSeconds} s)\n`);
  return failed > 0 ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
