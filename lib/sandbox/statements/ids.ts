/**
 * Deterministic MX-style guids (`PREFIX-` + 32 lowercase hex digits) derived from seed parts.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/**
 * Derives a guid from a prefix and seed parts: the same parts always give the same guid.
 *
 * @example
 * ```ts
 * import { deterministicGuid } from './ids.js';
 *
 * deterministicGuid('STA', 'seed', 'MBR-1', 0, '2026-10-01'); // 'STA-' + 32 hex
 * ```
 */
export function deterministicGuid(prefix: string, ...parts: ReadonlyArray<string | number>): string {
  const hex = createHash('sha256').update([prefix, ...parts.map(String)].join('\u0000')).digest('hex');
  return `${prefix}-${hex.slice(0, 32)}`;
}
