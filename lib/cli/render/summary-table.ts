/**
 * The table printed after a run: one row per statement (statement, account, bytes, path, status), with totals.
 * Built from the events, so it is the same whatever the output mode.
 *
 * @module
 */
import type { StatementEvent } from '../../workflow/events.js';
import { displayPath, formatBytes } from './format.js';

/** One statement in the summary. */
export interface SummaryRow {
  readonly member: string;
  readonly statement: string;
  readonly account: string;
  /** Bytes of the PDF, when it was downloaded or found saved. */
  readonly bytes: number | null;
  /** Where it is, when it was downloaded or found saved. */
  readonly location: string | null;
  readonly status: 'saved' | 'already saved' | 'listed';
}

/**
 * Collects {@link SummaryRow}s from workflow events, in listing order.
 *
 * @example
 * ```ts
 * import { createSummaryCollector, renderSummaryTable } from './summary-table.js';
 * import type { StatementEvent } from 'mx-statements-rx';
 * declare const events: StatementEvent[];
 *
 * const rows = createSummaryCollector();
 * events.forEach(rows.add);
 * console.log(renderSummaryTable(rows.rows(), process.cwd()));
 * ```
 */
export const createSummaryCollector = () => {
  const byKey = new Map<string, SummaryRow>();
  const k = (member: string, statement: string) => `${member}\u0000${statement}`;
  return {
    add: (ev: StatementEvent): void => {
      if (ev.type === 'statement-listed') {
        const key = k(ev.memberGuid, ev.statement.guid);
        if (!byKey.has(key)) {
          byKey.set(key, {
            member: ev.memberGuid,
            statement: ev.statement.guid,
            account: ev.statement.account_guid ?? '',
            bytes: null,
            location: null,
            status: 'listed',
          });
        }
      } else if (ev.type === 'statement-downloaded' || ev.type === 'statement-skipped') {
        const key = k(ev.memberGuid, ev.statementGuid);
        const prev = byKey.get(key);
        byKey.set(key, {
          member: ev.memberGuid,
          statement: ev.statementGuid,
          account: prev?.account ?? '',
          bytes: ev.bytes,
          location: ev.location,
          status: ev.type === 'statement-downloaded' ? 'saved' : 'already saved',
        });
      }
    },
    rows: (): SummaryRow[] => [...byKey.values()],
  };
};

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, right: ReadonlySet<number>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (s: string, i: number) => (right.has(i) ? s.padStart(widths[i] ?? 0) : s.padEnd(widths[i] ?? 0));
  const line = (r: ReadonlyArray<string>) => r.map(cell).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
};

/**
 * The summary table as text (no trailing newline): statement, account, bytes, path, status, then a totals line.
 *
 * @example
 * ```ts
 * import { renderSummaryTable } from './summary-table.js';
 *
 * renderSummaryTable([{ member: 'MBR-1', statement: 'STA-1', account: 'ACT-1', bytes: 2048, location: '/tmp/s/STA-1.pdf', status: 'saved' }], '/tmp');
 * // statement  account  bytes  path          status
 * // ─────────  ───────  ─────  ────────────  ──────
 * // STA-1      ACT-1     2048  s/STA-1.pdf   saved
 * //
 * // 1 statement: 1 saved (2.0 KB), 0 already saved
 * ```
 */
export const renderSummaryTable = (rows: ReadonlyArray<SummaryRow>, cwd: string): string => {
  if (rows.length === 0) return 'No statements.';
  const body = rows.map((r) => [
    r.statement,
    r.account || '—',
    r.bytes !== null ? String(r.bytes) : '—',
    r.location !== null ? displayPath(r.location, cwd) : '—',
    r.status,
  ]);
  const saved = rows.filter((r) => r.status === 'saved');
  const kept = rows.filter((r) => r.status === 'already saved').length;
  const listed = rows.filter((r) => r.status === 'listed').length;
  const bytes = saved.reduce((n, r) => n + (r.bytes ?? 0), 0);
  const total =
    `${rows.length} statement${rows.length === 1 ? '' : 's'}: ${saved.length} saved (${formatBytes(bytes)}), ${kept} already saved` +
    (listed ? `, ${listed} not downloaded` : '');
  return `${table(['statement', 'account', 'bytes', 'path', 'status'], body, new Set([2]))}\n\n${total}`;
};
