/**
 * A tiny terminal emulator for specs: enough of a VT100 to replay what the CLI writes (printable text with
 * autowrap, CR, LF, cursor up, clear to end of screen, SGR colours and cursor visibility ignored) and read the
 * screen back, with scrollback. Any other escape sequence is an error: the CLI must not send it.
 *
 * @module
 */
import { charWidth } from '../../../lib/cli/render/text.js';

/** A terminal of `columns` × `rows` with unlimited scrollback. */
export const virtualTerminal = (columns: number, rows: number) => {
  const lines: string[][] = [[]];
  let x = 0;
  let y = 0;
  let pendingWrap = false;
  let cursorVisible = true;
  const unknown: string[] = [];

  const line = (i: number): string[] => {
    while (lines.length <= i) lines.push([]);
    return lines[i] ?? [];
  };
  const top = () => Math.max(0, lines.length - rows);

  const put = (ch: string) => {
    const w = charWidth(ch);
    if (w === 0) {
      const l = line(y);
      l[Math.max(0, x - 1)] = `${l[Math.max(0, x - 1)] ?? ' '}${ch}`;
      return;
    }
    if (pendingWrap || x + w > columns) {
      y += 1;
      x = 0;
      pendingWrap = false;
    }
    const l = line(y);
    while (l.length < x) l.push(' ');
    l[x] = ch;
    if (w === 2) l[x + 1] = '';
    x += w;
    if (x >= columns) {
      x = columns - 1;
      pendingWrap = true;
    }
  };

  const write = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] ?? '';
      if (ch === '\u001b') {
        const rest = text.slice(i);
        const m = /^\u001b\[(\??)([0-9;]*)([A-Za-z])/.exec(rest);
        if (!m) {
          unknown.push(JSON.stringify(rest.slice(0, 12)));
          continue;
        }
        i += m[0].length - 1;
        const [, priv, args, cmd] = m;
        if (priv === '?' && args === '25' && (cmd === 'l' || cmd === 'h')) cursorVisible = cmd === 'h';
        else if (priv === '' && cmd === 'm') {
          // colours: ignored
        } else if (priv === '' && cmd === 'A') {
          y = Math.max(top(), y - Number(args || '1'));
          pendingWrap = false;
        } else if (priv === '' && cmd === 'J' && (args === '' || args === '0')) {
          const l = line(y);
          l.length = Math.min(l.length, x);
          lines.length = y + 1;
        } else unknown.push(JSON.stringify(m[0]));
        continue;
      }
      if (ch === '\r') {
        x = 0;
        pendingWrap = false;
      } else if (ch === '\n') {
        // The tty driver's ONLCR turns LF into CR LF.
        y += 1;
        x = 0;
        pendingWrap = false;
        line(y);
      } else {
        const cp = ch.codePointAt(0) ?? 0;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          put(text.slice(i, i + 2));
          i += 1;
        } else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) unknown.push(JSON.stringify(ch));
        else put(ch);
      }
    }
  };

  return {
    write: (chunk: string): boolean => {
      write(chunk);
      return true;
    },
    columns,
    rows,
    isTTY: true,
    /** Every line, scrollback included, without trailing spaces; trailing empty lines dropped. */
    lines: (): string[] => {
      const out = lines.map((l) => l.join('').replace(/\s+$/, ''));
      while (out.length > 0 && out.at(-1) === '') out.pop();
      return out;
    },
    /** The visible screen's lines. */
    screen: (): string[] => lines.slice(top()).map((l) => l.join('').replace(/\s+$/, '')),
    cursorVisible: () => cursorVisible,
    /** Escape sequences and control characters the emulator did not expect. */
    unknown: () => [...unknown],
  };
};
