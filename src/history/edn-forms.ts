/**
 * Splits EDN text into top-level forms with the line each starts on, so a parse error can name its line.
 * When the whole text is one vector or list (Knossos' `[{...} {...}]`), its elements are returned instead.
 * Aware of strings, character literals and `;` comments; does not parse the forms themselves.
 */
export interface EdnForm {
  text: string;
  line: number;
  /** The text ended (or a closing bracket was missing) before this form was closed. */
  incomplete?: boolean;
}

export function splitEdnForms(text: string): EdnForm[] {
  const top = scan(text, 0, text.length, 1);
  if (top.length === 1 && /^[[(]/.test(top[0].text)) {
    const inner = top[0];
    const open = text.indexOf(inner.text);
    // A well-formed vector ends with its closer; a broken one is scanned to the end so the bad element is named.
    const end = inner.incomplete ? text.length : open + inner.text.length - 1;
    return scan(text, open + 1, end, inner.line);
  }
  return top;
}

function scan(text: string, from: number, to: number, firstLine: number): EdnForm[] {
  // Line of `from`: count newlines before it when scanning a slice of the text.
  let line = firstLine;
  const forms: EdnForm[] = [];
  let depth = 0;
  // Expected closing brackets, innermost last; a mismatch marks the form as broken.
  const closers: string[] = [];
  let broken = false;
  let start = -1;
  let startLine = 0;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      continue;
    }
    if (c === ';') {
      while (i + 1 < to && text[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      if (start < 0) {
        start = i;
        startLine = line;
      }
      i++;
      while (i < to && text[i] !== '"') {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') line++;
        i++;
      }
      if (depth === 0) {
        forms.push({ text: text.slice(start, i + 1), line: startLine });
        start = -1;
      }
      continue;
    }
    if (c === '\\' && start >= 0) {
      i++;
      continue;
    }
    const space = c === ' ' || c === ',' || c === '\t' || c === '\r';
    if (depth === 0 && space) {
      if (start >= 0) {
        forms.push({ text: text.slice(start, i), line: startLine });
        start = -1;
      }
      continue;
    }
    if (start < 0 && !space) {
      start = i;
      startLine = line;
    }
    if (c === '{' || c === '[' || c === '(') {
      depth++;
      closers.push(c === '{' ? '}' : c === '[' ? ']' : ')');
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (closers.pop() !== c) broken = true;
      if (depth < 0) return [...forms, { text: text.slice(start, i + 1), line: startLine, incomplete: true }];
      if (depth === 0) {
        forms.push(broken ? { text: text.slice(start, i + 1), line: startLine, incomplete: true } : { text: text.slice(start, i + 1), line: startLine });
        broken = false;
        start = -1;
      }
    }
  }
  if (start >= 0) forms.push({ text: text.slice(start, to), line: startLine, incomplete: depth > 0 });
  return forms;
}
