/** Renders the results as plain-text tables for the terminal. */
import { isFailure, type BenchResults } from './results.js';

type Cell = string | number | boolean;

/** A table with a header row, columns padded to their widest cell. */
export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string => {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: ReadonlyArray<string>) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
};

const keyValues = (o: object): string =>
  table(['key', 'value'], Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)]));

/** Everything a run produced, one section per key, then the targets. */
export const renderResults = (r: BenchResults): string => {
  const parts: string[] = [`mx-statements-rx bench (${r.meta.mode}) — node ${r.meta.node}, ${r.meta.cpus} × ${r.meta.cpuModel}, load ${r.meta.loadAverage.map((l) => l.toFixed(2)).join(' ')}`];
  const section = (name: string, body: string) => parts.push(`\n[${name}]\n${body}`);
  if (r.overhead) section('overhead', isFailure(r.overhead) ? `FAILED: ${r.overhead.error}` : keyValues(r.overhead));
  if (r.polling) {
    section('polling', isFailure(r.polling) ? `FAILED: ${r.polling.error}` : table(
      ['jobSeconds', 'policy', 'statusRequests', 'detectionLagSeconds', 'maxRequests', 'maxLagSeconds', 'capSeconds', 'withinDefaultDeadline'],
      r.polling.map((p) => [p.jobSeconds, p.policy, p.statusRequests, p.detectionLagSeconds, p.maxStatusRequests, p.maxDetectionLagSeconds, p.pollCapSeconds, p.withinDefaultDeadline]),
    ));
  }
  if (r.batch) section('batch', isFailure(r.batch) ? `FAILED: ${r.batch.error}` : keyValues(r.batch));
  if (r.bigPdf) section('bigPdf', isFailure(r.bigPdf) ? `FAILED: ${r.bigPdf.error}` : keyValues(r.bigPdf));
  if (r.longJobs) section('longJobs', isFailure(r.longJobs) ? `FAILED: ${r.longJobs.error}` : keyValues(r.longJobs));
  if (r.rerun) section('rerun', isFailure(r.rerun) ? `FAILED: ${r.rerun.error}` : keyValues(r.rerun));
  if (r.batchWebhooks) section('batchWebhooks', isFailure(r.batchWebhooks) ? `FAILED: ${r.batchWebhooks.error}` : keyValues(r.batchWebhooks));
  if (r.fleet) section('fleet', isFailure(r.fleet) ? `FAILED: ${r.fleet.error}` : keyValues(r.fleet));
  section('targets', table(['key', 'target', 'actual', 'met'], r.targets.map((t) => [t.key, t.target, t.actual, t.met ? 'yes' : 'NO'])));
  return parts.join('\n');
};
