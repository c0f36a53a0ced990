/**
 * Picks the renderer for an output mode.
 *
 * @module
 */
import type { CliIO, OutputMode } from '../io.js';
import { useColor } from '../io.js';
import { createJsonRenderer } from './json.js';
import { createPlainRenderer } from './plain.js';
import type { Renderer } from './renderer.js';
import { createTtyRenderer } from './tty.js';

/** What the renderer is for: the command (for usage errors) and whether it is a batch. */
export interface RendererPurpose {
  readonly command: string;
  readonly batch?: boolean;
  /** How long an OAuth sign-in may take (`--oauth-timeout`), for the wait's "gives up in …". */
  readonly oauthTimeoutMs?: number;
}

/**
 * The renderer for `mode`: NDJSON on stdout, plain lines on stderr, or the live display on stderr.
 *
 * @example
 * ```ts
 * import { createRenderer } from './index.js';
 * import { outputMode, type CliIO } from '../io.js';
 * import type { FetchOptions } from '../options.js';
 * declare const io: CliIO;
 * declare const options: FetchOptions;
 *
 * const renderer = createRenderer(outputMode(options.json, io.stderr), io, { command: 'fetch' });
 * ```
 */
export const createRenderer = (mode: OutputMode, io: Pick<CliIO, 'stdout' | 'stderr' | 'cwd' | 'env'>, purpose: RendererPurpose): Renderer => {
  switch (mode) {
    case 'json':
      return createJsonRenderer(io.stdout, io.stderr, purpose.command);
    case 'plain':
      return createPlainRenderer(io.stderr, {
        cwd: io.cwd,
        command: purpose.command,
        ...(purpose.oauthTimeoutMs !== undefined ? { oauthTimeoutMs: purpose.oauthTimeoutMs } : {}),
      });
    case 'tty':
      return createTtyRenderer(io.stderr, {
        cwd: io.cwd,
        compact: true,
        color: useColor(io.stderr, io.env),
        command: purpose.command,
        batch: purpose.batch === true,
        ...(purpose.oauthTimeoutMs !== undefined ? { oauthTimeoutMs: purpose.oauthTimeoutMs } : {}),
      });
  }
};
