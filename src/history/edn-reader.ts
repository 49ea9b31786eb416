/**
 * A reader for the EDN that Jepsen and Knossos write, with the line of every form, so a bad number or a
 * form cut off by a crash can be named by its line. Values become plain JS values the checker can compare:
 * nil -> null, keywords and symbols -> their name (a string), vectors, lists and sets -> arrays, maps ->
 * objects, tagged forms (`#jepsen.history.Op{...}`, `#inst "..."`) -> the tagged value.
 *
 * Numbers are read exactly or not at all: `1N` and `1.5M` (Clojure BigInt/BigDecimal) become ordinary
 * numbers only when no other value would become the same number; `1/2`, `0x1F`, `2r101`, `##Inf`, an
 * integer past 2^53 that a double cannot hold, and a double that overflows or underflows are errors.
 */

export class EdnSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(reason);
    this.name = 'EdnSyntaxError';
  }
}

/** The text ended inside a form: `line` is where the text ends, `openedAt` the line where that form began. */
export class EdnEofError extends EdnSyntaxError {
  constructor(
    line: number,
    readonly openedAt: number,
    readonly what: string,
  ) {
    super(`the text ends inside ${what} opened at line ${openedAt}`, line);
    this.name = 'EdnEofError';
  }
}

/** A keyword before it is turned into a string, so a reader can tell `:nemesis` from `"nemesis"`. */
export class EdnKeyword {
  constructor(readonly name: string) {}
  toString(): string {
    return `:${this.name}`;
  }
}

/**
 * An EDN value whose plain JS form (plainEdn) is also the form of a different EDN value: a symbol or a
 * character (both become a string, as "a" does), a double or a BigDecimal (a number, as the integer 1 is;
 * Clojure's `=` holds 1, 1.0 and 1M apart), a set (an array, as a vector is) and a tagged element
 * (`#uuid "x"` becomes the string "x"; its value is `[tag, element]`). Kept wrapped so the readers can
 * tell when a history holds two such values (EdnIdentities).
 */
export class EdnOther {
  constructor(
    readonly kind: 'symbol' | 'char' | 'double' | 'bigdec' | 'set' | 'tagged',
    readonly value: string | number | EdnValue[],
  ) {}
}

/** The tag and element of a tagged element (EdnOther of kind 'tagged'). */
export function taggedParts(v: EdnOther): [string, EdnValue] {
  return v.value as [string, EdnValue];
}

/** A tagged element's element (a record such as `#jepsen.history.Op{...}` is its map); any other value as it is. */
export function untagged(v: EdnValue): EdnValue {
  return v instanceof EdnOther && v.kind === 'tagged' ? untagged(taggedParts(v)[1]) : v;
}

const KEY_FORMS = Symbol('map keys as read');

/** The key of a map as read (`:a`, "a", 1), by its text in the map: only keys other than keywords are kept. */
export function mapKeyForm(map: EdnMap, name: string): EdnValue {
  const forms = (map as { [KEY_FORMS]?: Record<string, EdnValue> })[KEY_FORMS];
  return forms && Object.hasOwn(forms, name) ? forms[name] : new EdnKeyword(name);
}

export type EdnValue = null | boolean | number | string | EdnKeyword | EdnOther | EdnValue[] | EdnMap;
/** A map with its keys already turned into strings (keyword names, numbers as written). */
export interface EdnMap {
  [key: string]: EdnValue;
}

export interface ReadForm {
  value: EdnValue;
  /** Line where the form starts / ends (1-based). */
  line: number;
  endLine: number;
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const NAMES: Record<string, string> = { '(': 'a list', '[': 'a vector', '{': 'a map', '#{': 'a set' };
const CHAR_NAMES: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r', backspace: '\b', formfeed: '\f' };

const isSpace = (c: string) => c === ' ' || c === ',' || c === '\n' || c === '\t' || c === '\r' || c === '\f';
const isDelimiter = (c: string) => isSpace(c) || c === '(' || c === ')' || c === '[' || c === ']' || c === '{' || c === '}' || c === '"' || c === ';';

export class EdnReader {
  private pos = 0;
  private lineNo = 1;
  /** How many sets were read: without one (or a tagged element), no two collections can clash (EdnIdentities). */
  sets = 0;
  /** How many tagged elements were read (records such as #jepsen.history.Op{...} included). */
  tags = 0;

  constructor(private readonly text: string) {}

  /** The current line (1-based). */
  get line(): number {
    return this.lineNo;
  }

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Skips whitespace, commas, `;` comments and `#_` discarded forms; returns the next character or '' at the end. */
  peek(): string {
    for (;;) {
      while (this.pos < this.text.length) {
        const c = this.text[this.pos];
        if (c === '\n') this.lineNo++;
        else if (c === ';') {
          while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
          continue;
        } else if (!isSpace(c)) break;
        this.pos++;
      }
      if (this.text.startsWith('#_', this.pos)) {
        this.pos += 2;
        this.read();
        continue;
      }
      return this.pos < this.text.length ? this.text[this.pos] : '';
    }
  }

  /** Consumes one character (after peek()). */
  take(): string {
    return this.text[this.pos++];
  }

  /** Reads the next form; throws EdnEofError when the text ends inside it, EdnSyntaxError when it is malformed. */
  read(): EdnValue {
    const c = this.peek();
    const line = this.lineNo;
    if (c === '') throw new EdnEofError(line, line, 'a form');
    if (c === '(' || c === '[' || c === '{') {
      this.pos++;
      return c === '{' ? this.readMap(line) : this.readSeq(c, line);
    }
    if (c === ')' || c === ']' || c === '}') throw new EdnSyntaxError(`unexpected ${c}`, line);
    if (c === '"') return this.readString(line);
    if (c === '\\') return this.readChar(line);
    if (c === '#') return this.readDispatch(line);
    if (c === '^') throw new EdnSyntaxError('metadata (^) is not supported in a history', line);
    const token = this.token();
    try {
      return this.atom(token, line);
    } catch (e) {
      // A token that runs to the end of the text may be the start of a longer one ("1/" of "1/2", ":" of ":f").
      if (e instanceof EdnSyntaxError && this.pos >= this.text.length) throw new EdnEofError(line, line, `the token ${token}`);
      throw e;
    }
  }

  /** Reads the next form with its lines. */
  readForm(): ReadForm {
    this.peek();
    const line = this.lineNo;
    const value = this.read();
    return { value, line, endLine: this.lineNo };
  }

  private readSeq(open: string, line: number): EdnValue[] {
    const close = CLOSERS[open] ?? '}';
    const out: EdnValue[] = [];
    for (;;) {
      const c = this.peek();
      if (c === '') throw new EdnEofError(this.lineNo, line, NAMES[open]);
      if (c === close) {
        this.pos++;
        return out;
      }
      if (c === ')' || c === ']' || c === '}') {
        throw new EdnSyntaxError(`${NAMES[open]} opened at line ${line} is closed by ${c} (expected ${close})`, this.lineNo);
      }
      out.push(this.read());
    }
  }

  private readMap(line: number): EdnMap {
    const items = this.readSeq('{', line);
    if (items.length % 2 !== 0) throw new EdnSyntaxError(`a map opened at line ${line} has a key without a value`, this.lineNo);
    const map: EdnMap = {};
    // The keys become text (`:a` and "a" are both "a"), so a key other than a keyword (the usual key, and
    // an op map's every key) is kept beside, out of sight of Object.entries, for EdnIdentities: {:a 1} and
    // {"a" 1} are different values in Clojure.
    let forms: Record<string, EdnValue> | undefined;
    for (let i = 0; i < items.length; i += 2) {
      const k = items[i];
      const name = k instanceof EdnKeyword ? k.name : typeof k === 'string' ? k : k instanceof EdnOther && k.kind === 'symbol' ? String(k.value) : showEdn(k);
      // Clojure's reader refuses a duplicate key too; keeping one of the two would be a guess.
      if (Object.hasOwn(map, name)) throw new EdnSyntaxError(`a map opened at line ${line} has the key ${showEdn(k)} twice`, this.lineNo);
      map[name] = items[i + 1];
      if (!(k instanceof EdnKeyword)) {
        if (!forms) Object.defineProperty(map, KEY_FORMS, { value: (forms = {}), enumerable: false });
        forms[name] = k;
      }
    }
    return map;
  }

  private readString(line: number): string {
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) throw new EdnEofError(this.lineNo, line, 'a string');
      const c = this.text[this.pos++];
      if (c === '"') return out;
      if (c === '\n') this.lineNo++;
      if (c !== '\\') {
        out += c;
        continue;
      }
      if (this.pos >= this.text.length) throw new EdnEofError(this.lineNo, line, 'a string');
      const e = this.text[this.pos++];
      if (e === 'u') {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          if (this.pos + 4 > this.text.length) throw new EdnEofError(this.lineNo, line, 'a string');
          throw new EdnSyntaxError(`bad \\u escape in a string`, this.lineNo);
        }
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else {
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\' };
        if (!(e in map)) throw new EdnSyntaxError(`bad escape \\${e} in a string`, this.lineNo);
        out += map[e];
      }
    }
  }

  private readChar(line: number): EdnOther {
    return new EdnOther('char', this.readCharText(line));
  }

  private readCharText(line: number): string {
    this.pos++;
    if (this.pos >= this.text.length) throw new EdnEofError(line, line, 'a character literal');
    let end = this.pos + 1;
    while (end < this.text.length && !isDelimiter(this.text[end])) end++;
    const name = this.text.slice(this.pos, end);
    this.pos = end;
    if (name.length === 1) return name;
    if (name in CHAR_NAMES) return CHAR_NAMES[name];
    if (/^u[0-9a-fA-F]{4}$/.test(name)) return String.fromCharCode(parseInt(name.slice(1), 16));
    throw new EdnSyntaxError(`bad character literal \\${name}`, line);
  }

  private readDispatch(line: number): EdnValue {
    const next = this.text[this.pos + 1];
    if (next === undefined) throw new EdnEofError(line, line, 'a # form');
    if (next === '{') {
      this.pos += 2;
      this.sets++;
      return new EdnOther('set', this.readSeq('#{', line));
    }
    if (next === '#') {
      this.pos += 2;
      const t = this.token();
      if (this.pos >= this.text.length) throw new EdnEofError(line, line, `the token ##${t}`);
      throw new EdnSyntaxError(`##${t} is not a finite number`, line);
    }
    if (/[A-Za-z]/.test(next)) {
      // A tagged element: a record such as #jepsen.history.Op{...}, or #inst "...", #uuid "...": its plain
      // form is the element's, and the tag is kept so #uuid "x" and "x" are not taken for one value.
      this.pos++;
      this.tags++;
      const tag = this.token();
      if (this.peek() === '') throw new EdnEofError(this.lineNo, line, `the tagged form #${tag}`);
      return new EdnOther('tagged', [tag, this.read()]);
    }
    throw new EdnSyntaxError(`unsupported dispatch #${next}`, line);
  }

  private token(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !isDelimiter(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private atom(token: string, line: number): EdnValue {
    if (token === 'nil') return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (/^[+-]?[0-9]/.test(token)) {
      const n = readNumber(token, line);
      if (token.endsWith('M')) return new EdnOther('bigdec', n);
      return /[.eE]/.test(token) ? new EdnOther('double', n) : n;
    }
    if (token.startsWith(':')) {
      if (token.length === 1) throw new EdnSyntaxError('a lone : is not a keyword', line);
      return new EdnKeyword(token.slice(token.startsWith('::') ? 2 : 1));
    }
    if (token === '') throw new EdnSyntaxError(`unexpected ${this.text[this.pos] ?? 'end of text'}`, line);
    // A symbol: keep its name.
    return new EdnOther('symbol', token);
  }
}

/**
 * An EDN number as a JS number, or an EdnSyntaxError when the number has no exact JS form. Exactness is what
 * keeps a verdict honest: the checker only compares values, and two different values read as the same
 * number could make a stale read look fresh.
 */
export function readNumber(token: string, line: number): number {
  const int = /^([+-]?)([0-9]+)(N?)$/.exec(token);
  if (int) {
    if (int[2].length > 1 && int[2].startsWith('0')) throw new EdnSyntaxError(`${token}: octal and zero-padded numbers are not EDN`, line);
    const big = BigInt(int[1] + int[2]);
    const n = Number(big);
    if (BigInt(n) !== big) throw new EdnSyntaxError(`${token} is too large for an exact JS number (integers past 2^53 lose digits)`, line);
    return n === 0 ? 0 : n;
  }
  const dec = /^([+-]?[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)(M?)$/.exec(token);
  if (dec) {
    const n = Number(dec[1]);
    if (!Number.isFinite(n)) throw new EdnSyntaxError(`${token} is out of the range of a JS number`, line);
    if (n === 0 && /[1-9]/.test(dec[1].replace(/[eE].*$/, ''))) throw new EdnSyntaxError(`${token} is too small for a JS number (it would read as 0)`, line);
    // A BigDecimal is kept only when the number's shortest form is the same decimal, so two different
    // decimals never become one number (0.1M is accepted; 0.10000000000000000001M is not).
    if (dec[2] === 'M' && canonicalDecimal(dec[1]) !== canonicalDecimal(String(n))) {
      throw new EdnSyntaxError(`${token} has more precision than a JS number (it would read as ${n})`, line);
    }
    return n === 0 ? 0 : n;
  }
  if (/^[+-]?[0-9]+\/[0-9]+$/.test(token)) throw new EdnSyntaxError(`${token}: Clojure ratios are not read (write the value as an integer or decimal)`, line);
  throw new EdnSyntaxError(`${token}: unsupported number form (hex, radix and other Clojure forms are not EDN)`, line);
}

/** "0.50e1" and "5" -> the same "sign digits e exponent" string. */
function canonicalDecimal(text: string): string {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!m) return text;
  const sign = m[1] === '-' ? '-' : '';
  const frac = m[3] ?? '';
  let digits = (m[2] + frac).replace(/^0+/, '');
  if (digits === '') return '0';
  let exp = Number(m[4] ?? 0) - frac.length;
  const trimmed = digits.replace(/0+$/, '');
  exp += digits.length - trimmed.length;
  digits = trimmed;
  return `${sign}${digits}e${exp}`;
}

/** A value written as EDN for an error message (`:foo`, `"1"`, `[1 2]`). */
export function showEdn(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (v instanceof EdnKeyword) return v.toString();
  if (v instanceof EdnOther) {
    if (v.kind === 'set') return `#{${(v.value as unknown[]).map(showEdn).join(' ')}}`;
    if (v.kind === 'tagged') return `#${taggedParts(v)[0]} ${showEdn(taggedParts(v)[1])}`;
    if (v.kind === 'char') return `\\${v.value === ' ' ? 'space' : v.value === '\n' ? 'newline' : v.value}`;
    if (v.kind === 'bigdec') return `${v.value}M`;
    if (v.kind === 'double') return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
    return String(v.value);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(showEdn).join(' ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `:${k} ${showEdn(x)}`).join(', ')}}`;
  return String(v);
}

/**
 * Turns keywords into their names, recursively (what the rest of Faultline compares). A set becomes an
 * array in one canonical order (by plainKey), so #{1 2} and #{2 1}, one value in Clojure, compare equal.
 */
export function plainEdn(v: EdnValue): unknown {
  if (v instanceof EdnKeyword) return v.name;
  if (v instanceof EdnOther) {
    if (v.kind === 'tagged') return plainEdn(taggedParts(v)[1]);
    if (v.kind !== 'set') return v.value;
    const items = (v.value as EdnValue[]).map((x) => {
      const plain = plainEdn(x);
      return { plain, key: plainKey(plain) };
    });
    return items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.plain);
  }
  if (Array.isArray(v)) return v.map(plainEdn);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plainEdn(x);
    return out;
  }
  return v;
}

/** Reads one whole EDN value from text (e.g. a value column of a Jepsen log); throws EdnSyntaxError. */
export function parseEdnValue(text: string, line = 1): unknown {
  return plainEdn(readEdnValue(text, line));
}

/** As parseEdnValue, the value as read (keywords, symbols, doubles and sets still told apart). */
export function readEdnValue(text: string, line = 1): EdnValue {
  const reader = new EdnReader(text);
  const value = reader.read();
  if (reader.peek() !== '') throw new EdnSyntaxError(`unexpected text after the value`, line);
  return value;
}

/** Canonical text of a plain value (object keys sorted): equal plain values, equal text. */
export function plainKey(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? String(v);
  if (Array.isArray(v)) return `[${v.map(plainKey).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${plainKey(o[k])}`)
    .join(',')}}`;
}
