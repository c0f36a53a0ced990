/**
 * Spawning the bench's helper processes (`node --import tsx script.ts …`) and reading what they report on
 * stdout: the sandbox's first line, a phase's result line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The line prefix a phase puts before its JSON result, so its other output cannot be mistaken for it. */
export const RESULT_PREFIX = '@@bench-result ';

/** Whether this code runs compiled (`bench/.build/…/*.js`, plain node) or from source under tsx. */
const COMPILED = import.meta.url.endsWith('.js');

/**
 * The absolute path of a bench script, given as `phases/big-pdf` (no extension): the compiled `.js` beside
 * this file when running compiled, else the `.ts` source.
 */
export const benchFile = (relative: string): string =>
  fileURLToPath(new URL(`../${relative}${COMPILED ? '.js' : '.ts'}`, import.meta.url));

/** The compiled form of a bench script (`bench/.build/bench/<relative>.js`, see `bench/tsconfig.json`). */
export const compiledBenchFile = (relative: string): string =>
  fileURLToPath(new URL(`../${COMPILED ? '' : '.build/bench/'}${relative}.js`, import.meta.url));

/**
 * Starts a bench script (see {@link benchFile}) in a new Node process: plain `node` for compiled `.js`,
 * `node --import tsx` for `.ts`. stdin is piped (the child exits when it closes), stderr passed through.
 */
export const spawnTs = (script: string, args: ReadonlyArray<string>): ChildProcess =>
  spawn(process.execPath, [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });

/**
 * Resolves with the first stdout line of `child` that `pick` accepts (parsed as JSON), passing every other line
 * to `onOther`. Rejects if the child exits first.
 */
export const readJsonLine = <A>(
  child: ChildProcess,
  pick: (line: string) => string | undefined,
  onOther: (line: string) => void = () => undefined,
): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    if (!child.stdout) return reject(new Error('child has no stdout'));
    const lines = createInterface({ input: child.stdout });
    let found = false;
    lines.on('line', (line) => {
      const json = found ? undefined : pick(line);
      if (json === undefined) return onOther(line);
      found = true;
      try {
        resolve(JSON.parse(json) as A);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    child.once('exit', (code, signal) => {
      if (!found) reject(new Error(`child exited (${signal ?? `code ${String(code)}`}) before reporting`));
    });
    child.once('error', reject);
  });

/** Resolves once `child` has exited, with its exit code. */
export const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
