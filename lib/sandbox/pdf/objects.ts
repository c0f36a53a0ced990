/**
 * The PDF object model we write, and its serialisation (PDF 32000-1:2008 §7.3): numbers, names, strings,
 * arrays, dictionaries and indirect references, each written on one line in the order given.
 *
 * @module
 */

/**
 * A name object, written `/Name` (§7.3.5); characters outside the regular ASCII set are written as `#xx`.
 *
 * @example
 * ```ts
 * import { PdfName, serializePdfValue } from './objects.js';
 *
 * serializePdfValue(new PdfName('Type'));     // '/Type'
 * serializePdfValue(new PdfName('A B'));      // '/A#20B'
 * ```
 */
export class PdfName {
  constructor(readonly name: string) {
    if (name.length === 0 || !/^[\x21-\x7e ]+$/.test(name)) throw new RangeError(`PdfName: not a printable ASCII name: ${JSON.stringify(name)}`);
  }
}

/**
 * A reference to indirect object `objectNumber` (generation 0), written `N 0 R` (§7.3.10).
 *
 * @example
 * ```ts
 * import { PdfRef, serializePdfValue } from './objects.js';
 *
 * serializePdfValue(new PdfRef(4)); // '4 0 R'
 * ```
 */
export class PdfRef {
  constructor(readonly objectNumber: number) {
    if (!Number.isSafeInteger(objectNumber) || objectNumber < 1) throw new RangeError(`PdfRef: bad object number ${objectNumber}`);
  }
}

/**
 * A string object holding raw bytes, written as a literal `( … )` or, with `hex`, as `< … >` (§7.3.4).
 *
 * @example
 * ```ts
 * import { PdfString, serializePdfValue } from './objects.js';
 *
 * serializePdfValue(new PdfString(Buffer.from('a(b)'))); // '(a\\(b\\))'
 * serializePdfValue(new PdfString(Uint8Array.of(1, 255), true)); // '<01ff>'
 * ```
 */
export class PdfString {
  constructor(readonly bytes: Uint8Array, readonly hex = false) {}
}

/**
 * A dictionary: keys are names (written without the slash here); `undefined` values are left out.
 *
 * @example
 * ```ts
 * import { PdfName, type PdfDict } from './objects.js';
 *
 * const font: PdfDict = { Type: new PdfName('Font'), Subtype: new PdfName('Type1') };
 * ```
 */
export interface PdfDict {
  readonly [key: string]: PdfValue | undefined;
}

/**
 * Any value we can write: number, boolean, `null`, name, string, reference, array or dictionary.
 *
 * @example
 * ```ts
 * import { PdfRef, type PdfValue } from './objects.js';
 *
 * const kids: PdfValue = [new PdfRef(3), new PdfRef(5)];
 * ```
 */
export type PdfValue = number | boolean | null | PdfName | PdfRef | PdfString | readonly PdfValue[] | PdfDict;

/**
 * Writes a number the way PDF reads it: integers as they are, reals with at most 3 decimals, never an exponent.
 *
 * @example
 * ```ts
 * import { pdfNumber } from './objects.js';
 *
 * pdfNumber(612);        // '612'
 * pdfNumber(727.64);     // '727.64'
 * pdfNumber(1 / 3);      // '0.333'
 * ```
 */
export function pdfNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`pdfNumber: not a finite number: ${n}`);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return Object.is(n, -0) ? '0' : String(n);
  if (Math.abs(n) >= 1e15) throw new RangeError(`pdfNumber: out of range: ${n}`);
  const fixed = n.toFixed(3).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

const REGULAR_NAME_CHAR = /[!"$&'*+,\-.0-9:;=?@A-Z\\^_`a-z|~]/;

const nameText = (name: string): string =>
  `/${[...name].map((c) => (REGULAR_NAME_CHAR.test(c) ? c : `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('')}`;

/**
 * Writes bytes as a literal string: `\`, `(` and `)` escaped, bytes outside printable ASCII as `\ooo` octal,
 * so the result is plain ASCII.
 *
 * @example
 * ```ts
 * import { literalString } from './objects.js';
 *
 * literalString(Uint8Array.of(0x41, 0x28, 0xe9)); // '(A\\(\\351)'
 * ```
 */
export function literalString(bytes: Uint8Array): string {
  let out = '(';
  for (const b of bytes) {
    if (b === 0x5c || b === 0x28 || b === 0x29) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

/**
 * A text string (§7.9.2.2) for metadata such as the document title: printable ASCII stays a literal string,
 * anything else becomes UTF-16BE with a byte-order mark, so every Unicode name survives.
 *
 * @example
 * ```ts
 * import { pdfTextString, serializePdfValue } from './objects.js';
 *
 * serializePdfValue(pdfTextString('MX Bank'));  // '(MX Bank)'
 * serializePdfValue(pdfTextString('Café'));     // '<feff00430061006600e9>' (UTF-16BE)
 * ```
 */
export function pdfTextString(text: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(Buffer.from(text, 'latin1'));
  const utf16 = Buffer.from(text, 'utf16le').swap16();
  return new PdfString(Buffer.concat([Uint8Array.of(0xfe, 0xff), utf16]), true);
}

/**
 * Serialises a value on one line (dictionaries as `<< /K v … >>`, arrays as `[a b]`).
 *
 * @example
 * ```ts
 * import { PdfName, PdfRef, serializePdfValue } from './objects.js';
 *
 * serializePdfValue({ Type: new PdfName('Pages'), Count: 1, Kids: [new PdfRef(3)] });
 * // '<< /Type /Pages /Count 1 /Kids [3 0 R] >>'
 * ```
 */
export function serializePdfValue(value: PdfValue): string {
  if (typeof value === 'number') return pdfNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  if (value instanceof PdfName) return nameText(value.name);
  if (value instanceof PdfRef) return `${value.objectNumber} 0 R`;
  if (value instanceof PdfString) return value.hex ? `<${Buffer.from(value.bytes).toString('hex')}>` : literalString(value.bytes);
  if (Array.isArray(value)) return `[${(value as readonly PdfValue[]).map(serializePdfValue).join(' ')}]`;
  const entries = Object.entries(value as PdfDict).filter((e): e is [string, PdfValue] => e[1] !== undefined);
  return ['<<', ...entries.map(([k, v]) => `${nameText(k)} ${serializePdfValue(v)}`), '>>'].join(' ');
}
