/** Shared checks for the define... helpers: every problem is listed, none guessed away. */
import { UsageError } from './errors.js';

export type Shape = Record<string, 'string' | 'function' | 'function?' | 'string[]' | 'object' | 'object?'>;

export function shapeProblems(value: unknown, shape: Shape): string[] {
  if (typeof value !== 'object' || value === null) return [`expected an object, got ${value === null ? 'null' : typeof value}`];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, kind] of Object.entries(shape)) {
    const x = v[key];
    if (kind === 'string' && (typeof x !== 'string' || x === '')) problems.push(`${key} must be a non-empty string`);
    if (kind === 'function' && typeof x !== 'function') problems.push(`${key}() is missing (it must be a function)`);
    if (kind === 'function?' && x !== undefined && typeof x !== 'function') problems.push(`${key} must be a function when given`);
    if (kind === 'object' && (typeof x !== 'object' || x === null)) problems.push(`${key} must be an object`);
    if (kind === 'object?' && x !== undefined && (typeof x !== 'object' || x === null)) problems.push(`${key} must be an object when given`);
    if (kind === 'string[]' && !(Array.isArray(x) && x.every((s) => typeof s === 'string'))) problems.push(`${key} must be a list of strings`);
  }
  return problems;
}

export function assertShape<T>(kind: string, value: T, shape: Shape): T {
  const problems = shapeProblems(value, shape);
  if (problems.length > 0) {
    const name = typeof (value as { name?: unknown })?.name === 'string' ? ` "${(value as { name: string }).name}"` : '';
    throw new UsageError(`${kind}${name} is not valid: ${problems.join('; ')}`, `fix the ${kind} description (see docs/extending.md)`);
  }
  return value;
}
