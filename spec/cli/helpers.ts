/**
 * Shared helpers of the CLI specs: a text stream that records, sample events, and running the built CLI.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StatementEvent } from '../../lib/workflow/index.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI (`npm run build` first; `npm test` does it). */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A writable text stream that keeps what was written. */
export const recorder = (isTTY = false, columns = 100) => {
  const chunks: string[] = [];
  return {
    isTTY,
    columns,
    write(chunk: string): boolean {
      chunks.push(chunk);
      return true;
    },
    // cli-progress moves the cursor through these (readline calls them on TTY streams).
    cursorTo(_x: number, _y?: number, cb?: () => void): boolean {
      cb?.();
      return true;
    },
    moveCursor(_dx: number, _dy: number, cb?: () => void): boolean {
      cb?.();
      return true;
    },
    clearLine(_dir: number, cb?: () => void): boolean {
      cb?.();
      return true;
    },
    clearScreenDown(cb?: () => void): boolean {
      cb?.();
      return true;
    },
    text: () => chunks.join(''),
  };
};

/** A short run's events, as the workflow emits them. */
export const SAMPLE_EVENTS: StatementEvent[] = [
  { type: 'user-ready', userGuid: 'USR-1', userId: 'demo', created: true },
  { type: 'institution-found', code: 'mxbank', name: 'MX Bank' },
  {
    type: 'credentials-required',
    institutionCode: 'mxbank',
    fields: [
      { guid: 'CRD-1', fieldName: 'LOGIN', label: 'Username', type: 'LOGIN', displayOrder: 1 },
      { guid: 'CRD-2', fieldName: 'PASSWORD', label: 'Password', type: 'PASSWORD', displayOrder: 2 },
    ],
  },
  { type: 'member-ready', userGuid: 'USR-1', memberGuid: 'MBR-1', institutionCode: 'mxbank', reused: false },
  { type: 'statements-job-started', userGuid: 'USR-1', memberGuid: 'MBR-1', joined: false, waitedForOtherJobs: 0 },
  { type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CHALLENGED', isBeingAggregated: true, attempt: 1, nextDelayMs: null },
  { type: 'challenged', memberGuid: 'MBR-1', round: 1, challenges: [{ guid: 'CRD-9', type: 'TEXT', label: 'Pet name?' }] },
  { type: 'challenge-answered', memberGuid: 'MBR-1', round: 1, challengeGuids: ['CRD-9'] },
  { type: 'status', memberGuid: 'MBR-1', connectionStatus: 'CONNECTED', isBeingAggregated: false, attempt: 2, nextDelayMs: null },
  { type: 'connected', memberGuid: 'MBR-1', polls: 2, mfaRounds: 1 },
  { type: 'statement-listed', memberGuid: 'MBR-1', statement: { guid: 'STA-1', account_guid: 'ACT-1' } },
  { type: 'statement-listed', memberGuid: 'MBR-1', statement: { guid: 'STA-2', account_guid: 'ACT-2' } },
  { type: 'statement-progress', memberGuid: 'MBR-1', statementGuid: 'STA-1', received: 1024, contentLength: 2048 },
  { type: 'statement-downloaded', memberGuid: 'MBR-1', statementGuid: 'STA-1', bytes: 2048, sha256: 'ab'.repeat(32), location: '/out/MBR-1/STA-1.pdf' },
  { type: 'statement-skipped', memberGuid: 'MBR-1', statementGuid: 'STA-2', bytes: 4096, sha256: 'cd'.repeat(32), location: '/out/MBR-1/STA-2.pdf' },
  {
    type: 'done',
    summary: { userGuid: 'USR-1', memberGuid: 'MBR-1', statements: 2, downloaded: 1, skipped: 1, bytes: 2048, polls: 2, mfaRounds: 1, downloadEnabled: true },
  },
];

/** What a finished child process left. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI with `args`; stdin is closed (not a TTY). */
export const runCli = (args: ReadonlyArray<string>, options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, ...options.env };
    for (const k of ['MX_CLIENT_ID', 'MX_API_KEY', 'MX_MEMBER_PASSWORD']) if (!options.env?.[k]) delete env[k];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
