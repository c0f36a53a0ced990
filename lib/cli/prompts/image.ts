/**
 * MFA pictures (IMAGE_DATA, IMAGE_OPTIONS): decoding MX's data URIs or bare base64, showing a picture inline
 * in a terminal that can (the kitty graphics protocol, iTerm2's inline images; detected conservatively from the
 * environment), and otherwise saving it to a private temporary folder whose path is printed.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

/** A decoded picture: its bytes and what the bytes are (from their magic number, not from the claimed type). */
export interface DecodedImage {
  readonly bytes: Buffer;
  readonly format: 'png' | 'jpeg' | 'gif' | 'unknown';
  /** The file extension to save it with. */
  readonly extension: string;
}

const formatOf = (bytes: Buffer): DecodedImage['format'] => {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.subarray(0, 6).toString('latin1'))) return 'gif';
  return 'unknown';
};

const EXTENSION: Readonly<Record<DecodedImage['format'], string>> = { png: 'png', jpeg: 'jpg', gif: 'gif', unknown: 'bin' };

/**
 * Decodes MX's `image_data` or an option's `data_uri`: a `data:` URI (base64) or bare base64 (standard or
 * URL-safe alphabet, whitespace ignored). `undefined` when it is not base64 at all.
 *
 * @example
 * ```ts
 * import { decodeImageData } from './image.js';
 *
 * decodeImageData('data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==')?.format; // 'png'
 * ```
 */
export const decodeImageData = (data: string): DecodedImage | undefined => {
  const m = /^data:[^,]*?(;base64)?,(.*)$/is.exec(data.trim());
  if (m && !m[1]) return undefined; // a data URI that is not base64 (percent-encoded): not a picture MX sends
  const b64 = (m ? (m[2] ?? '') : data).replace(/\s+/g, '');
  if (b64 === '' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) return undefined;
  const bytes = Buffer.from(b64.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length === 0) return undefined;
  const format = formatOf(bytes);
  return { bytes, format, extension: EXTENSION[format] };
};

/** The inline-image protocols the CLI speaks. */
export type InlineProtocol = 'kitty' | 'iterm';

/**
 * Which inline-image protocol the terminal speaks, judged from the environment only (no terminal query):
 * kitty and Ghostty (`TERM=xterm-kitty`/`xterm-ghostty`, `KITTY_WINDOW_ID`) speak kitty's; iTerm2 and WezTerm
 * (`TERM_PROGRAM`, `LC_TERMINAL`) speak iTerm2's. Inside tmux or screen, or with `TERM=dumb`, none: a
 * multiplexer does not pass the pictures through unless configured to.
 *
 * @example
 * ```ts
 * import { inlineImageProtocol } from './image.js';
 *
 * inlineImageProtocol({ TERM_PROGRAM: 'iTerm.app' });                     // 'iterm'
 * inlineImageProtocol({ TERM: 'xterm-kitty', TMUX: '/tmp/tmux-0/default' }); // undefined
 * ```
 */
export const inlineImageProtocol = (env: Readonly<Record<string, string | undefined>>): InlineProtocol | undefined => {
  if (env['TMUX'] || env['STY'] || env['TERM'] === 'dumb' || (env['TERM'] ?? '').startsWith('screen')) return undefined;
  if (env['TERM'] === 'xterm-kitty' || env['TERM'] === 'xterm-ghostty' || env['KITTY_WINDOW_ID'] || env['TERM_PROGRAM'] === 'ghostty') {
    return 'kitty';
  }
  if (env['TERM_PROGRAM'] === 'iTerm.app' || env['LC_TERMINAL'] === 'iTerm2' || env['TERM_PROGRAM'] === 'WezTerm') return 'iterm';
  return undefined;
};

const KITTY_CHUNK = 4096;

/**
 * The escape sequence that draws `image` inline with `protocol` (followed by a newline), or `undefined` when
 * that protocol cannot show this format (kitty takes PNG only; iTerm2 takes PNG, JPEG and GIF).
 *
 * @example
 * ```ts
 * import { decodeImageData, inlineImageSequence } from './image.js';
 * declare const dataUri: string;
 *
 * const image = decodeImageData(dataUri);
 * const sequence = image && inlineImageSequence('iterm', image);
 * if (sequence) process.stderr.write(sequence);
 * ```
 */
export const inlineImageSequence = (protocol: InlineProtocol, image: DecodedImage): string | undefined => {
  const b64 = image.bytes.toString('base64');
  if (protocol === 'iterm') {
    if (image.format === 'unknown') return undefined;
    return `\u001b]1337;File=inline=1;size=${image.bytes.length};preserveAspectRatio=1:${b64}\u0007\n`;
  }
  if (image.format !== 'png') return undefined;
  const chunks: string[] = [];
  for (let i = 0; i < b64.length; i += KITTY_CHUNK) chunks.push(b64.slice(i, i + KITTY_CHUNK));
  return `${chunks
    .map((chunk, i) => {
      const more = i < chunks.length - 1 ? 1 : 0;
      return i === 0 ? `\u001b_Gf=100,a=T,t=d,q=2,m=${more};${chunk}\u001b\\` : `\u001b_Gm=${more};${chunk}\u001b\\`;
    })
    .join('')}\n`;
};

/** Pictures saved for one MFA round, in a private temporary folder removed by `dispose`. */
export interface SavedImages {
  /** Saves one picture; returns its path. */
  save(image: DecodedImage, name: string): Promise<string>;
  /** Deletes the folder and every picture in it. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * A private folder (mode 0700, files 0600) under the system's temporary directory for a round's pictures.
 *
 * @example
 * ```ts
 * import { decodeImageData, savedImages } from './image.js';
 * declare const dataUri: string;
 *
 * const images = savedImages();
 * try {
 *   const image = decodeImageData(dataUri);
 *   if (image) console.error(`The picture is at ${await images.save(image, 'challenge')}`);
 * } finally {
 *   await images.dispose();
 * }
 * ```
 */
export const savedImages = (tmpRoot: string = os.tmpdir()): SavedImages => {
  let dir: Promise<string> | undefined;
  return {
    save: async (image, name) => {
      dir ??= mkdtemp(path.join(tmpRoot, 'mx-statements-mfa-'));
      const file = path.join(await dir, `${name.replace(/[^\w-]/g, '').slice(0, 40) || randomBytes(4).toString('hex')}.${image.extension}`);
      await writeFile(file, image.bytes, { mode: 0o600, flag: 'wx' });
      return file;
    },
    dispose: async () => {
      if (!dir) return;
      const d = await dir.catch(() => undefined);
      dir = undefined;
      if (d) await rm(d, { recursive: true, force: true });
    },
  };
};
