/**
 * The one summary after a `fetch`: the totals on one line, then each folder with its files (name, size,
 * status). Built from the events, so it is the same whatever the output mode, and narrow enough for an
 * 80-column terminal: the folder is printed once, not on every row.
 *
 * @module
 */
import * as path from 'node:path';
import type { StatementEvent } from '../../workflow/events.js';
import { displayPath, formatBytes, formatDuration } from './format.js';
import { plural, shortGuid, terminalSafe, wrapLine } from './text.js';

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
  /** Kept without a `content_hash` to check it against (`--allow-unverified`). */
  readonly unverified?: boolean;
}

/**
 * Collects {@link SummaryRow}s from workflow events, in listing order.
 *
 * @example
 * ```ts
 * import { createSummaryCollector, renderSummary } from './summary.js';
 * import type { StatementEvent } from 'mx-statements-rx';
 * declare const events: StatementEvent[];
 *
 * const rows = createSummaryCollector();
 * events.forEach(rows.add);
 * console.log(renderSummary(rows.rows(), { cwd: process.cwd() }));
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
          ...(ev.unverified === true ? { unverified: true } : {}),
        });
      }
    },
    rows: (): SummaryRow[] => [...byKey.values()],
  };
};

/** Options of {@link renderSummary}. */
export interface SummaryOptions {
  /** Paths are shown relative to it when that is shorter. */
  readonly cwd: string;
  /** The terminal's columns, when the summary goes to one: lines are wrapped to fit. Default: no wrapping. */
  readonly columns?: number;
  /** How long the run took, for the totals line. */
  readonly elapsedMs?: number;
}

const fitted = (lines: ReadonlyArray<string>, columns: number | undefined) =>
  lines.flatMap((l) => wrapLine(l, columns !== undefined && columns > 0 ? columns - 1 : 0, { indent: '    ' }));

/**
 * The summary as text (no trailing newline). Server text (guids) is escaped.
 *
 * @example
 * ```ts
 * import { renderSummary } from './summary.js';
 *
 * renderSummary([{ member: 'MBR-1', statement: 'STA-1', account: 'ACT-1', bytes: 2048, location: '/tmp/s/MBR-1/STA-1.pdf', status: 'saved' }], { cwd: '/tmp' });
 * // Done: 1 statement, 2.0 KB (1 saved, 0 already saved)
 * // s/MBR-1/
 * //   STA-1.pdf  2.0 KB  saved
 * ```
 */
export const renderSummary = (rows: ReadonlyArray<SummaryRow>, options: SummaryOptions): string => {
  const took = options.elapsedMs !== undefined ? ` in ${formatDuration(options.elapsedMs)}` : '';
  if (rows.length === 0) return fitted([`Done${took}: no statements.`], options.columns).join('\n');
  const stored = rows.filter((r) => r.location !== null);
  const listed = rows.filter((r) => r.location === null);
  const saved = rows.filter((r) => r.status === 'saved').length;
  const kept = rows.filter((r) => r.status === 'already saved').length;
  const bytes = stored.reduce((n, r) => n + (r.bytes ?? 0), 0);
  const unverified = stored.filter((r) => r.unverified === true).length;
  const lines = [
    stored.length > 0
      ? `Done${took}: ${plural(rows.length, 'statement')}, ${formatBytes(bytes)} (${saved} saved, ${kept} already saved${listed.length ? `, ${listed.length} not downloaded` : ''})`
      : `Done${took}: ${plural(rows.length, 'statement')} listed, not downloaded`,
  ];
  if (unverified > 0) lines.push(`Unverified: ${plural(unverified, 'PDF')} kept without a content_hash from MX (--allow-unverified): not checked against MX's hash`);
  const folders = new Map<string, SummaryRow[]>();
  for (const r of stored) {
    const dir = path.dirname(r.location ?? '');
    folders.set(dir, [...(folders.get(dir) ?? []), r]);
  }
  for (const [dir, files] of folders) {
    const shown = displayPath(dir, options.cwd);
    lines.push(`${terminalSafe(shown)}${shown.endsWith(path.sep) ? '' : path.sep}`);
    const names = files.map((r) => terminalSafe(path.basename(r.location ?? '')));
    const nameWidth = Math.max(...names.map((n) => n.length));
    const sizes = files.map((r) => formatBytes(r.bytes ?? 0));
    const sizeWidth = Math.max(...sizes.map((s) => s.length));
    files.forEach((r, i) => lines.push(`  ${(names[i] ?? '').padEnd(nameWidth)}  ${(sizes[i] ?? '').padStart(sizeWidth)}  ${r.status}${r.unverified ? ', unverified' : ''}`));
  }
  if (listed.length > 0) {
    lines.push(stored.length > 0 ? 'Not downloaded:' : 'Statements:');
    for (const r of listed) lines.push(`  ${terminalSafe(r.statement)}${r.account ? `  account ${terminalSafe(shortGuid(r.account))}` : ''}`);
  }
  return fitted(lines, options.columns).join('\n');
};
