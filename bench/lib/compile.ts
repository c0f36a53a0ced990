/**
 * Compiles the bench and the library to plain JavaScript (`bench/.build`, incremental) so the phases run
 * without tsx: tsx's loader thread alone adds about 38 MB of RSS, which would be counted against the library.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compiledBenchFile, exited } from './child.js';

const TSCONFIG = fileURLToPath(new URL('../tsconfig.json', import.meta.url));

/**
 * Runs `tsc -p bench/tsconfig.json`. Type errors elsewhere in the tree do not stop it (tsc still emits); it
 * fails only if the phase scripts were not produced. Returns the number of seconds it took.
 */
export const compileBench = async (phases: ReadonlyArray<string>): Promise<number> => {
  const t0 = performance.now();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const child = spawn(process.execPath, [tsc, '-p', TSCONFIG], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const code = await exited(child);
  const missing = [...phases.map((p) => `phases/${p}`), 'sandbox-process', ...(phases.includes('fleet') ? ['fleet-worker'] : [])]
    .filter((f) => !existsSync(compiledBenchFile(f)));
  if (missing.length > 0) throw new Error(`tsc did not produce ${missing.join(', ')}:\n${output.slice(0, 4000)}`);
  if (code !== 0) {
    const errors = output.split('\n').filter((l) => /error TS/.test(l));
    const ours = errors.filter((l) => l.startsWith('bench/'));
    process.stderr.write(`  compile: ${errors.length} type error(s) in the tree (${ours.length} in bench/); emitted anyway\n`);
    for (const l of ours) process.stderr.write(`    ${l}\n`);
  }
  return (performance.now() - t0) / 1000;
};
