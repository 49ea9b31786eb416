/**
 * What JSON.parse hides from a JSONL reader and could change a verdict:
 * - numbers it cannot hold exactly: an integer past 2^53 (a Go or Java int64 value) reads as a neighbour, so
 *   two different written values compare equal and a stale read looks fresh; 1e400 reads as Infinity and
 *   1e-400 as 0;
 * - a key given twice in one object: JSON.parse keeps the last one (`"type":"ok", ..., "type":"fail"` turns
 *   a completed read into a failed one, which the check then ignores).
 * Both are refused, as the EDN reader refuses their EDN forms. The text is scanned only when the parsed
 * values give cause, so an ordinary line costs a walk of its few fields and a count of its colons.
 */

/** A JSON string or number token. */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/g;

/**
 * Why the parsed `record` may not say what `text` says (a number read inexactly, a field given twice), or
 * undefined. The parsed values are walked first (cheap: an op has a few fields); the text is scanned only
 * when they give cause: a huge or non-finite number, a zero where the text has a negative exponent, or more
 * colons in the text than keys in the objects (each key has one; a string holding ':' also triggers the scan).
 */
export function lineProblem(text: string, record: unknown): string | undefined {
  walked.keys = 0;
  walked.suspect = false;
  walked.zero = false;
  walk(record);
  if (walked.suspect || (walked.zero && /[0-9][eE]-/.test(text))) {
    const inexact = inexactNumber(text);
    if (inexact) return inexact;
  }
  const keys = walked.keys;
  let colons = 0;
  for (let i = text.indexOf(':'); i >= 0 && colons <= keys; i = text.indexOf(':', i + 1)) colons++;
  if (colons > keys) {
    const twice = duplicateKey(text);
    if (twice !== undefined) return `the key "${twice}" is given twice in one object (which value is meant cannot be known)`;
  }
  return undefined;
}

/** What walk() found (module state: no closure per line on a path that runs for every line). */
const walked = { keys: 0, suspect: false, zero: false };

function walk(v: unknown): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) walked.suspect = true;
    else if (v === 0) walked.zero = true;
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) walk(v[i]);
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    walked.keys += keys.length;
    for (let i = 0; i < keys.length; i++) walk(o[keys[i]]);
  }
}

/** A number token JSON.parse does not read exactly, with why; undefined when every number is exact. */
export function inexactNumber(text: string): string | undefined {
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const token = m[0];
    if (token.startsWith('"')) continue;
    const n = Number(token);
    if (!Number.isFinite(n)) return `${token} is out of the range of a JS number (it would read as ${n})`;
    if (n === 0 && /[1-9]/.test(token.replace(/[eE].*$/, ''))) return `${token} is too small for a JS number (it would read as 0)`;
    if (/^-?[0-9]+$/.test(token) && BigInt(token) !== BigInt(n)) {
      return `${token} is too large for an exact JS number (integers past 2^53 lose digits: it would read as ${BigInt(n)})`;
    }
  }
  return undefined;
}

/** The first key written twice in one object of the JSON text (at any depth), or undefined. */
export function duplicateKey(text: string): string | undefined {
  // One set of keys per open object; arrays push undefined.
  const open: (Set<string> | undefined)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const keys = open[open.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      expectKey = false;
      i = j;
    } else if (c === '{') {
      open.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      open.push(undefined);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === ',') {
      expectKey = open[open.length - 1] !== undefined;
    }
  }
  return undefined;
}
