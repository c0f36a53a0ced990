/**
 * Small text helpers shared by the renderers: sizes, durations, short guids.
 *
 * @module
 */
import * as path from 'node:path';

/**
 * Bytes as a short human size (`812 B`, `45.2 KB`, `3.1 MB`; 1 KB = 1024 B).
 *
 * @example
 * ```ts
 * import { formatBytes } from './format.js';
 *
 * formatBytes(46285); // '45.2 KB'
 * ```
 */
export const formatBytes = (n: number): string => {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(1)} ${units[i] ?? 'TB'}`;
};

/**
 * Milliseconds as `ms` under a second (`40 ms`), seconds with at most one decimal (`1.5 s`, `2 s`), minutes past a
 * minute (`2 min 5 s`, `30 min`), hours past an hour (`1 h 5 min`, `3 h`); `Infinity` is `no limit`.
 *
 * @example
 * ```ts
 * import { formatDuration } from './format.js';
 *
 * formatDuration(1500); // '1.5 s'
 * ```
 */
export const formatDuration = (ms: number): string => {
  if (ms === Infinity) return 'no limit';
  const s = Math.max(0, ms) / 1000;
  if (ms < 1000) return `${Math.round(Math.max(0, ms))} ms`;
  if (s < 59.5) return `${s >= 10 || Number.isInteger(Math.round(s * 10) / 10) ? Math.round(s) : s.toFixed(1)} s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min${whole % 60 ? ` ${whole % 60} s` : ''}`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
};

/**
 * A file path as the user would type it from `cwd`: relative to it when that is shorter (`statements/a.pdf`,
 * `../out/a.pdf`), else absolute.
 *
 * @example
 * ```ts
 * import { displayPath } from './format.js';
 *
 * displayPath('/home/me/statements/a.pdf', '/home/me'); // 'statements/a.pdf'
 * displayPath('/srv/pdfs/a.pdf', '/home/me');           // '/srv/pdfs/a.pdf'
 * ```
 */
export const displayPath = (location: string, cwd: string): string => {
  if (!path.isAbsolute(location)) return location;
  const rel = path.relative(cwd, location);
  if (rel === '') return '.';
  if (path.isAbsolute(rel)) return location;
  return rel.length <= location.length ? rel : location;
};
