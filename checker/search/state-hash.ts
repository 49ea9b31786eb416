import type { Model } from '../types.js';

/** FNV-1a over UTF-16 code units: a 32-bit hash of a model's text hash. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * The model's state hash as a 32-bit integer, the cache key the search wants: a model may hash to a number
 * (the built-ins do: no string per step) or to text, which is hashed here.
 */
export function stateHash(model: Model): (state: unknown) => number {
  const hash = model.hash as (state: unknown) => number | string;
  return (state) => {
    const h = hash(state);
    return typeof h === 'number' ? h | 0 : hashText(h);
  };
}
