/** Child processes for the browser specs: each bounded by a timeout, its output kept for the failure message. */
import { execFile } from 'node:child_process';

export interface RunOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `command args…`; rejects with the tail of its output when it fails or outlives `timeoutMs`. */
export const run = (command: string, args: ReadonlyArray<string>, options: RunOptions): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(command, [...args], {
      cwd: options.cwd,
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
      const why = err.killed ? `killed after ${options.timeoutMs} ms` : `exit ${String(err.code)}`;
      reject(new Error(`${command} ${args.join(' ')} (in ${options.cwd}) failed: ${why}\n${output}`));
    });
  });
