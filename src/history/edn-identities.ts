import { EdnKeyword, EdnOther, mapKeyForm, plainEdn, plainKey, showEdn, taggedParts, type EdnMap, type EdnValue } from './edn-reader.js';

/**
 * The checker compares plain JS values, and several EDN values share one: `:a`, `a`, `\a`, `#uuid "a"` and
 * "a" are all the string "a"; 1, 1.0 and 1M are all the number 1; `#{1 2}` and `[1 2]` are both [1, 2];
 * `{:a 1}` and `{"a" 1}` are both {a: 1}. Clojure's `=` (and so Knossos) holds each pair apart, so a
 * history that writes `:a` and reads "a" is invalid there and would be valid here. Rather than guess which reading the history was written for, every value and key of
 * a history is noted here, and the second of two different EDN values with the same plain form is an error
 * naming both lines. (Integers and BigInts are one value in Clojure too: 1 and 1N are not a clash.)
 */
export class EdnIdentities {
  private readonly seen = new Map<string, { form: string; shown: string; line: number }>();

  /**
   * `collections`: note whole vectors, lists, sets and maps too, not only the atoms in them (and map keys).
   * Only a set or a tagged element (#foo [1 2] is [1 2] once plain) can clash with a collection of another
   * kind, so a reader that read neither passes false and the table holds atoms only, not every distinct
   * read result.
   */
  constructor(private readonly collections: boolean) {}

  /** Notes an op's value and every value inside it; returns a problem or undefined. */
  value(v: EdnValue, line: number): string | undefined {
    const items = Array.isArray(v) ? v : v instanceof EdnOther && v.kind === 'set' ? (v.value as EdnValue[]) : undefined;
    const isMap = !items && v !== null && typeof v === 'object' && !(v instanceof EdnKeyword) && !(v instanceof EdnOther);
    if ((!items && !isMap) || ((items || isMap) && this.collections)) {
      const problem = this.note(`v${plainKey(plainEdn(v))}`, v, line);
      if (problem) return problem;
    }
    for (const x of items ?? (isMap ? Object.values(v as EdnMap) : [])) {
      const p = this.value(x, line);
      if (p) return p;
    }
    // A map's keys are its text (`:a` and "a" are both "a"): noted apart from values, which they never meet.
    if (isMap) {
      for (const name of Object.keys(v as EdnMap)) {
        const p = this.note(`m${name}`, mapKeyForm(v as EdnMap, name), line);
        if (p) return p;
      }
    }
    return undefined;
  }

  /** Notes a key (compared as its text, String(plain value)); returns a problem or undefined. */
  key(k: EdnValue, line: number): string | undefined {
    return this.note(`k${String(plainEdn(k))}`, k, line);
  }

  private note(plain: string, v: EdnValue, line: number): string | undefined {
    const form = ednForm(v);
    const before = this.seen.get(plain);
    if (!before) {
      this.seen.set(plain, { form, shown: showEdn(v), line });
      return undefined;
    }
    if (before.form === form) return undefined;
    return (
      `${showEdn(v)} and ${before.shown} (line ${before.line}) are different EDN values (Clojure's = tells them apart) ` +
      `but would compare equal here; a history that holds both cannot be checked without guessing which it meant`
    );
  }
}

/** One letter per kind, none shared with the plain kinds (i, s, b, k). */
const FORM_PREFIX = { symbol: 'y', char: 'c', double: 'd', bigdec: 'm' } as const;

/** The value as Clojure's = sees it: its kind and content (lists and vectors are equal there; sets are not). */
function ednForm(v: EdnValue): string {
  if (v === null) return 'nil';
  if (typeof v === 'number') return `i${v}`;
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return `b${v}`;
  if (v instanceof EdnKeyword) return `k${JSON.stringify(v.name)}`;
  if (v instanceof EdnOther) {
    if (v.kind === 'set') return `#{${(v.value as EdnValue[]).map(ednForm).sort().join(' ')}}`;
    if (v.kind === 'tagged') return `#${taggedParts(v)[0]} ${ednForm(taggedParts(v)[1])}`;
    return `${FORM_PREFIX[v.kind]}${JSON.stringify(v.value)}`;
  }
  if (Array.isArray(v)) return `[${v.map(ednForm).join(' ')}]`;
  // Map keys were made text by the reader: their forms as read, and their values, count.
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${ednForm(mapKeyForm(v, k))} ${ednForm(v[k])}`)
    .join(' ')}}`;
}
