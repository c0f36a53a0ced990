/**
 * A live region at the bottom of a terminal: a few lines redrawn in place (a spinner, progress), with finished
 * lines printed above it so that they scroll into the terminal's history. Autowrap is never turned off: every
 * region line is wrapped to the terminal's width first, so the region knows exactly how many rows it took and
 * erases exactly those (cursor up, clear to the end of the screen) before drawing again — no stray characters.
 *
 * @module
 */
import { rowsOf, wrapLine } from './text.js';

/** The terminal the region draws on. */
export interface RegionStream {
  write(chunk: string): boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** Options of {@link createLiveRegion}. */
export interface LiveRegionOptions {
  /** Redraw pace while the region shows something (spinners, countdowns). Default 100 ms. */
  readonly frameMs?: number;
  /** Hide the cursor while the region is drawn (shown again on pause and close). Default true. */
  readonly hideCursor?: boolean;
}

/** A live region. Every method is safe to call after `close` (it then writes plain lines, or nothing). */
export interface LiveRegion {
  /** Prints lines above the region (each already fitted to the width by the caller, or left to soft-wrap). */
  print(lines: ReadonlyArray<string>): void;
  /** Redraws now (after the state behind `render` changed). */
  refresh(): void;
  /** Erases the region and stops redrawing, e.g. while a prompt has the terminal. */
  pause(): void;
  /** Draws again after `pause`. */
  resume(): void;
  /** Erases the region for good and shows the cursor. Idempotent. */
  close(): void;
}

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

/**
 * Creates a region whose lines are `render(width)`, redrawn every `frameMs` while there are any and after each
 * `refresh`. `width` is one less than the terminal's columns; each line is wrapped (long words broken) to it,
 * and the region is cut to the terminal's height minus one, so the erase always reaches its first row.
 *
 * @example
 * ```ts
 * import { createLiveRegion } from './live-region.js';
 *
 * let done = 0;
 * const region = createLiveRegion(process.stderr, () => [`${done} of 10 done`]);
 * region.print(['✔ first step']);
 * done = 1;
 * region.refresh();
 * region.close();
 * ```
 */
export const createLiveRegion = (
  stream: RegionStream,
  render: (width: number) => ReadonlyArray<string>,
  options: LiveRegionOptions = {},
): LiveRegion => {
  const frameMs = options.frameMs ?? 100;
  const hideCursor = options.hideCursor ?? true;
  let drawnRows = 0;
  let drawn = '';
  let paused = false;
  let closed = false;
  let cursorHidden = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const columns = () => (stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80);

  /** The escape sequence that erases what the region drew; the cursor ends at the start of its first row. */
  const erase = (): string => {
    if (drawnRows === 0) return '';
    const up = drawnRows > 1 ? `\u001b[${drawnRows - 1}A` : '';
    drawnRows = 0;
    drawn = '';
    return `\r${up}\u001b[J`;
  };

  const frame = (): { text: string; rows: number } => {
    const width = Math.max(10, columns() - 1);
    const lines = render(width).flatMap((l) => wrapLine(l, width, { indent: '  ', longWords: 'break' }));
    const maxRows = Math.max(1, (stream.rows !== undefined && stream.rows > 0 ? stream.rows : 24) - 1);
    const kept = lines.length > maxRows ? [...lines.slice(0, maxRows - 1), `  … ${lines.length - maxRows + 1} more lines`] : lines;
    return { text: kept.join('\n'), rows: kept.reduce((n, l) => n + rowsOf(l, columns()), 0) };
  };

  const stopTimer = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  const draw = (prefix = '') => {
    const next = frame();
    if (next.text === '') {
      stopTimer();
      const out = `${erase()}${prefix}`;
      if (out !== '') stream.write(out);
      return;
    }
    if (prefix === '' && next.text === drawn) return;
    let out = `${erase()}${prefix}`;
    if (hideCursor && !cursorHidden) {
      out = `${HIDE_CURSOR}${out}`;
      cursorHidden = true;
    }
    out += next.text;
    drawn = next.text;
    drawnRows = next.rows;
    stream.write(out);
    if (timer === undefined) {
      timer = setInterval(() => draw(), frameMs);
      timer.unref?.();
    }
  };

  const showCursor = () => {
    if (!cursorHidden) return '';
    cursorHidden = false;
    return SHOW_CURSOR;
  };

  return {
    print: (lines) => {
      if (lines.length === 0) return;
      const text = `${lines.join('\n')}\n`;
      if (closed || paused) {
        stream.write(text);
        return;
      }
      draw(text);
    },
    refresh: () => {
      if (!closed && !paused) draw();
    },
    pause: () => {
      if (closed || paused) return;
      paused = true;
      stopTimer();
      const out = `${erase()}${showCursor()}`;
      if (out !== '') stream.write(out);
    },
    resume: () => {
      if (closed || !paused) return;
      paused = false;
      draw();
    },
    close: () => {
      if (closed) return;
      closed = true;
      stopTimer();
      const out = `${erase()}${showCursor()}`;
      if (out !== '') stream.write(out);
    },
  };
};
