/**
 * A small, independent PDF reader for specs: it parses what our writer claims to produce (classic xref
 * tables, indirect objects, Flate streams, text operators) so structure and text are proven in TypeScript,
 * without external tools. Written from PDF 32000-1:2008 (§7.2 lexical conventions, §7.3 objects, §7.5 file
 * structure, §9.4 text objects); it shares no code with lib/sandbox/pdf.
 *
 * @module
 */
import { inflateSync } from 'node:zlib';

/** A name object (`/Type` → `new PdfName('Type')`), `#xx` escapes decoded. */
export class Name {
  constructor(readonly name: string) {}
}
/** An indirect reference `N G R`. */
export class Ref {
  constructor(readonly num: number, readonly gen: number) {}
}
/** A string object's bytes (literal or hex, escapes decoded). */
export class Str {
  constructor(readonly bytes: Buffer) {}
  get latin1(): string {
    return this.bytes.toString('latin1');
  }
}
/** A keyword such as `obj`, `stream`, or a content-stream operator. */
export class Keyword {
  constructor(readonly word: string) {}
}
/** Any parsed value. */
export type Value = number | boolean | null | Name | Ref | Str | Value[] | Map<string, Value>;

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set('()<>[]{}/%'.split('').map((c) => c.charCodeAt(0)));

/** A tokenizer + parser over bytes, positioned at `pos`. */
export class Lexer {
  constructor(readonly bytes: Buffer, public pos = 0) {}

  skipSpace(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      if (WHITE.has(b[this.pos]!)) this.pos++;
      else if (b[this.pos] === 0x25) while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      else break;
    }
  }

  /** The next token: a value's start, a delimiter or a keyword; `undefined` at the end. */
  token(): string | undefined {
    this.skipSpace();
    const b = this.bytes;
    if (this.pos >= b.length) return undefined;
    const c = String.fromCharCode(b[this.pos]!);
    if (c === '<' && b[this.pos + 1] === 0x3c) return (this.pos += 2), '<<';
    if (c === '>' && b[this.pos + 1] === 0x3e) return (this.pos += 2), '>>';
    if ('[]{}'.includes(c)) return (this.pos += 1), c;
    if (c === '(' || c === '<' || c === '/') return c; // the caller reads the whole string or name
    const start = this.pos;
    while (this.pos < b.length && !WHITE.has(b[this.pos]!) && !DELIM.has(b[this.pos]!)) this.pos++;
    if (this.pos === start) throw new Error(`unexpected byte ${b[start]} at ${start}`);
    return b.subarray(start, this.pos).toString('latin1');
  }

  /** Reads one value or keyword (content streams: operators come back as `Keyword`). */
  value(): Value | Keyword | undefined {
    const t = this.token();
    if (t === undefined) return undefined;
    if (t === '(') return this.literal();
    if (t === '<') return this.hex();
    if (t === '/') return this.name();
    if (t === '[') {
      const items: Value[] = [];
      for (;;) {
        this.skipSpace();
        if (this.bytes[this.pos] === 0x5d) return (this.pos++, items);
        const v = this.value();
        if (v === undefined || v instanceof Keyword) throw new Error(`bad array item at ${this.pos}`);
        items.push(v);
      }
    }
    if (t === '<<') {
      const dict = new Map<string, Value>();
      for (;;) {
        this.skipSpace();
        if (this.bytes[this.pos] === 0x3e && this.bytes[this.pos + 1] === 0x3e) return (this.pos += 2, dict);
        const key = this.value();
        if (!(key instanceof Name)) throw new Error(`dictionary key is not a name at ${this.pos}`);
        const v = this.value();
        if (v === undefined || v instanceof Keyword) throw new Error(`bad value for /${key.name} at ${this.pos}`);
        dict.set(key.name, v);
      }
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) {
      const n = Number(t);
      if (/^\d+$/.test(t)) {
        // `N G R`: look ahead without consuming when it is not a reference.
        const save = this.pos;
        const g = this.token();
        const r = g !== undefined && /^\d+$/.test(g) ? this.token() : undefined;
        if (r === 'R') return new Ref(n, Number(g));
        this.pos = save;
      }
      return n;
    }
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    return new Keyword(t);
  }

  private name(): Name {
    const b = this.bytes;
    const start = ++this.pos;
    while (this.pos < b.length && !WHITE.has(b[this.pos]!) && !DELIM.has(b[this.pos]!)) this.pos++;
    const raw = b.subarray(start, this.pos).toString('latin1');
    return new Name(raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
  }

  private hex(): Str {
    const end = this.bytes.indexOf(0x3e, this.pos);
    const digits = this.bytes.subarray(this.pos + 1, end).toString('latin1').replace(/\s+/g, '');
    this.pos = end + 1;
    if (!/^[0-9a-fA-F]*$/.test(digits)) throw new Error(`bad hex string ${digits}`);
    return new Str(Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex'));
  }

  private literal(): Str {
    const b = this.bytes;
    const out: number[] = [];
    let depth = 1;
    this.pos++;
    while (this.pos < b.length) {
      const c = b[this.pos++]!;
      if (c === 0x5c) {
        const e = b[this.pos++]!;
        const simple: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (simple[e] !== undefined) out.push(simple[e]!);
        else if (e >= 0x30 && e <= 0x37) {
          let oct = e - 0x30;
          for (let i = 0; i < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; i++) oct = oct * 8 + (b[this.pos++]! - 0x30);
          out.push(oct & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) return new Str(Buffer.from(out));
        out.push(c);
      } else out.push(c);
    }
    throw new Error('unterminated literal string');
  }
}

/** One xref section (classic table) as found by following `startxref` and `/Prev`. */
export interface XrefSection {
  readonly offset: number;
  readonly trailer: Map<string, Value>;
  /** In-use entries: object number → byte offset. */
  readonly entries: ReadonlyMap<number, number>;
}

/** A stream object: its dictionary, raw bytes and decoded bytes (Flate undone). */
export interface StreamObject {
  readonly dict: Map<string, Value>;
  readonly raw: Buffer;
  readonly decoded: Buffer;
}

/** A parsed PDF: header version, xref sections (newest first) and object access. */
export interface ParsedPdf {
  readonly version: string;
  readonly sections: readonly XrefSection[];
  /** The newest trailer. */
  readonly trailer: Map<string, Value>;
  /** Newest offset of every in-use object. */
  readonly offsets: ReadonlyMap<number, number>;
  object(num: number): Value;
  stream(num: number): StreamObject;
  resolve(v: Value | undefined): Value | undefined;
  dict(v: Value | undefined): Map<string, Value>;
}

const readXref = (pdf: Buffer, offset: number): XrefSection => {
  const lex = new Lexer(pdf, offset);
  if (lex.token() !== 'xref') throw new Error(`xref offset ${offset} does not point at 'xref'`);
  const entries = new Map<number, number>();
  for (;;) {
    const save = lex.pos;
    const first = lex.token();
    if (first === 'trailer') break;
    const count = lex.token();
    if (!first || !count || !/^\d+$/.test(first) || !/^\d+$/.test(count)) throw new Error(`bad xref subsection at ${save}`);
    lex.skipSpace();
    for (let i = 0; i < Number(count); i++) {
      const row = pdf.subarray(lex.pos, lex.pos + 20).toString('latin1');
      const m = /^(\d{10}) (\d{5}) ([nf])(\r\n| \n| \r)$/.exec(row);
      if (!m) throw new Error(`bad xref entry (must be 20 bytes) at ${lex.pos}: ${JSON.stringify(row)}`);
      if (m[3] === 'n') entries.set(Number(first) + i, Number(m[1]));
      lex.pos += 20;
    }
  }
  const trailer = lex.value();
  if (!(trailer instanceof Map)) throw new Error('trailer is not a dictionary');
  return { offset, trailer, entries };
};

/**
 * Parses `pdf`: header, final `startxref … %%EOF`, every xref section (following `/Prev`); objects are parsed
 * on demand and must sit exactly where the xref says (`N 0 obj`). Throws on the first problem.
 */
export function readPdf(pdf: Buffer): ParsedPdf {
  const version = /^%PDF-(\d\.\d)\r?\n/.exec(pdf.subarray(0, 16).toString('latin1'))?.[1];
  if (!version) throw new Error('no %PDF-x.y header line');
  const tail = pdf.subarray(Math.max(0, pdf.length - 1024)).toString('latin1');
  const last = /startxref\r?\n(\d+)\r?\n%%EOF\r?\n?$/.exec(tail);
  if (!last?.[1]) throw new Error('no startxref … %%EOF at the end');
  const sections: XrefSection[] = [];
  for (let at: number | undefined = Number(last[1]); at !== undefined;) {
    const section = readXref(pdf, at);
    sections.push(section);
    const prev = section.trailer.get('Prev');
    at = typeof prev === 'number' ? prev : undefined;
    if (sections.length > 100) throw new Error('xref /Prev loop');
  }
  const offsets = new Map<number, number>();
  for (const s of [...sections].reverse()) for (const [n, o] of s.entries) offsets.set(n, o);
  const header = (num: number): Lexer => {
    const offset = offsets.get(num);
    if (offset === undefined) throw new Error(`object ${num} is not in the xref`);
    const lex = new Lexer(pdf, offset);
    const [n, g, obj] = [lex.token(), lex.token(), lex.token()];
    if (n !== String(num) || g !== '0' || obj !== 'obj') throw new Error(`object ${num} not at offset ${offset}`);
    return lex;
  };
  const parsed: ParsedPdf = {
    version,
    sections,
    trailer: sections[0]!.trailer,
    offsets,
    object(num) {
      const v = header(num).value();
      if (v === undefined || v instanceof Keyword) throw new Error(`object ${num} has no value`);
      return v;
    },
    stream(num) {
      const lex = header(num);
      const dict = lex.value();
      if (!(dict instanceof Map)) throw new Error(`object ${num} is not a stream (no dictionary)`);
      if (lex.token() !== 'stream') throw new Error(`object ${num} is not a stream`);
      if (pdf[lex.pos] === 0x0d) lex.pos++;
      if (pdf[lex.pos] !== 0x0a) throw new Error(`object ${num}: 'stream' must be followed by an end of line`);
      const start = lex.pos + 1;
      const length = parsed.resolve(dict.get('Length'));
      if (typeof length !== 'number') throw new Error(`object ${num}: no /Length`);
      const raw = pdf.subarray(start, start + length);
      const after = new Lexer(pdf, start + length);
      if (after.token() !== 'endstream' || after.token() !== 'endobj') throw new Error(`object ${num}: /Length ${length} does not end at endstream`);
      const filter = dict.get('Filter');
      const decoded = filter instanceof Name && filter.name === 'FlateDecode' ? inflateSync(raw) : Buffer.from(raw);
      return { dict, raw, decoded };
    },
    resolve(v) {
      return v instanceof Ref ? parsed.object(v.num) : v;
    },
    dict(v) {
      const d = parsed.resolve(v);
      if (!(d instanceof Map)) throw new Error(`expected a dictionary, got ${String(d)}`);
      return d;
    },
  };
  return parsed;
}

/** What {@link checkPdfStructure} found. */
export interface PdfStructure {
  /** Number of xref sections, following `/Prev` from the last one. */
  readonly sections: number;
  /** Every in-use object number listed in any section. */
  readonly objects: ReadonlySet<number>;
  /** `/Size` of the last trailer. */
  readonly size: number;
}

/**
 * Checks a classic-xref PDF without external tools: header, final `%%EOF`, every `startxref`/`/Prev` pointing
 * at an `xref` keyword, every in-use entry pointing at its `N 0 obj` header and parsing. Throws on a problem.
 */
export function checkPdfStructure(pdf: Buffer): PdfStructure {
  const parsed = readPdf(pdf);
  for (const num of parsed.offsets.keys()) {
    const v = parsed.object(num);
    if (v instanceof Map && v.has('Length')) parsed.stream(num);
  }
  const size = parsed.trailer.get('Size');
  return { sections: parsed.sections.length, objects: new Set(parsed.offsets.keys()), size: typeof size === 'number' ? size : -1 };
}

/** One content-stream operation: its operator and operands. */
export interface Operation {
  readonly op: string;
  readonly operands: readonly Value[];
}

/** Splits a content stream into operations. */
export function contentOperations(content: Buffer): Operation[] {
  const lex = new Lexer(content);
  const ops: Operation[] = [];
  let operands: Value[] = [];
  for (let v = lex.value(); v !== undefined; v = lex.value()) {
    if (v instanceof Keyword) {
      ops.push({ op: v.word, operands });
      operands = [];
    } else operands.push(v);
  }
  if (operands.length) throw new Error('content ends with dangling operands');
  return ops;
}

/**
 * One shown string: font resource, size, baseline origin and its bytes as Latin-1 text (the same characters as
 * WinAnsi for ASCII and 0xA0–0xFF; 0x80–0x9F come out as C1 controls, e.g. the ellipsis as U+0085).
 */
export interface TextRun {
  readonly font: string;
  readonly size: number;
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

/** The text runs of a content stream (supports BT/ET, Tf, Td, Tm, Tj, as our writer uses). */
export function textRuns(content: Buffer): TextRun[] {
  const runs: TextRun[] = [];
  let font = '';
  let size = 0;
  let x = 0;
  let y = 0;
  let inText = false;
  for (const { op, operands } of contentOperations(content)) {
    const nums = operands.filter((o): o is number => typeof o === 'number');
    if (op === 'BT') [inText, x, y] = [true, 0, 0];
    else if (op === 'ET') inText = false;
    else if (op === 'Tf') {
      const f = operands[0];
      if (!(f instanceof Name)) throw new Error('Tf without a font name');
      [font, size] = [f.name, nums[0] ?? 0];
    } else if (op === 'Td') [x, y] = [x + nums[0]!, y + nums[1]!];
    else if (op === 'Tm') [x, y] = [nums[4]!, nums[5]!];
    else if (op === 'Tj') {
      if (!inText) throw new Error('Tj outside BT … ET');
      const s = operands[0];
      if (!(s instanceof Str)) throw new Error('Tj without a string');
      runs.push({ font, size, x, y, text: s.latin1 });
    }
  }
  return runs;
}

/** The pages of a parsed PDF in order (a flat /Pages tree), each with its resources and decoded content. */
export function pages(pdf: ParsedPdf): Array<{ dict: Map<string, Value>; content: Buffer; fonts: Map<string, Map<string, Value>> }> {
  const root = pdf.dict(pdf.trailer.get('Root'));
  const tree = pdf.dict(root.get('Pages'));
  const kids = pdf.resolve(tree.get('Kids'));
  if (!Array.isArray(kids)) throw new Error('/Kids is not an array');
  return kids.map((kid) => {
    const dict = pdf.dict(kid);
    const contents = dict.get('Contents');
    if (!(contents instanceof Ref)) throw new Error('/Contents is not a reference');
    const fontDict = pdf.dict(pdf.dict(dict.get('Resources')).get('Font'));
    const fonts = new Map([...fontDict].map(([k, v]) => [k, pdf.dict(v)]));
    return { dict, content: pdf.stream(contents.num).decoded, fonts };
  });
}
