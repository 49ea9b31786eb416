/**
 * What an HTTP answer (or the lack of one) means for a declarative client: ok, absent, fail (definite),
 * cas-mismatch (definite) or info (indeterminate). The file's rules are tried first, in order; the default
 * after them is the kit's: 2xx ok, 408 and 5xx info, other 4xx fail, a refused connection fail, a timeout
 * or a reset info.
 */
import { isDeepStrictEqual } from 'node:util';
import { ClientError } from '../core/errors.js';
import { statusError, type HttpResponse } from '../kit/http.js';
import type { Outcome, OutcomeRule } from './schema.js';

/** The value at a JSON pointer (RFC 6901), or undefined when there is nothing there. */
export function atPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let at: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(at)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      at = at[Number(token)];
    } else if (at !== null && typeof at === 'object' && Object.hasOwn(at, token)) {
      at = (at as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return at;
}

/** Every pointer in a JSON document that leads to a value (for "did you mean" hints). */
export function pointersIn(doc: unknown, at = ''): string[] {
  const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
  if (Array.isArray(doc)) return [at, ...doc.flatMap((v, i) => pointersIn(v, `${at}/${i}`))];
  if (doc !== null && typeof doc === 'object') return [at, ...Object.entries(doc).flatMap(([k, v]) => pointersIn(v, `${at}/${escape(k)}`))];
  return [at];
}

export function statusMatches(spec: OutcomeRule['status'], status: number): boolean {
  if (spec === undefined) return true;
  const one = (s: number | string) => (typeof s === 'number' ? s === status : Math.floor(status / 100) === Number(s[0]));
  return Array.isArray(spec) ? spec.some(one) : one(spec);
}

/** The JSON conditions shared by outcome rules and readiness checks. */
export interface JsonCondition {
  pointer?: string;
  equals?: unknown;
  in?: unknown[];
  exists?: boolean;
}

export function jsonConditionHolds(cond: JsonCondition, json: unknown): boolean {
  if (cond.pointer === undefined) return true;
  const value = json === undefined ? undefined : atPointer(json, cond.pointer);
  if (cond.exists !== undefined && (value !== undefined) !== cond.exists) return false;
  if (cond.equals !== undefined && !isDeepStrictEqual(value, cond.equals)) return false;
  if (cond.in !== undefined && !cond.in.some((v) => isDeepStrictEqual(value, v))) return false;
  if (cond.exists === undefined && cond.equals === undefined && cond.in === undefined && value === undefined) return false;
  return true;
}

function ruleMatchesResponse(rule: OutcomeRule, response: HttpResponse): boolean {
  if (rule.error !== undefined) return false;
  if (!statusMatches(rule.status, response.status)) return false;
  if (rule.bodyMatches !== undefined && !new RegExp(rule.bodyMatches).test(response.text)) return false;
  return jsonConditionHolds(rule, response.json);
}

function ruleMatchesError(rule: OutcomeRule, error: ClientError): boolean {
  if (rule.error === undefined) return false;
  const codes = Array.isArray(rule.error) ? rule.error : [rule.error];
  return codes.includes(error.code ?? '') || codes.includes(error.definite ? 'definite' : 'indeterminate');
}

export type Decision = { outcome: 'ok' | 'absent' } | { outcome: 'error'; error: ClientError };

function errorFor(outcome: Exclude<Outcome, 'ok' | 'absent'>, what: string, code: string): ClientError {
  switch (outcome) {
    case 'fail':
      return new ClientError(what, true, code);
    case 'cas-mismatch':
      return new ClientError(`cas mismatch (${what})`, true, 'cas-mismatch');
    case 'info':
      return new ClientError(what, false, code);
  }
}

function decided(outcome: Outcome, what: string, code: string): Decision {
  return outcome === 'ok' || outcome === 'absent' ? { outcome } : { outcome: 'error', error: errorFor(outcome, what, code) };
}

/** The outcome of an answer: the first matching rule, else the default by status. */
export function classifyResponse(rules: readonly OutcomeRule[], response: HttpResponse, name: string): Decision {
  const what = `${name} HTTP ${response.status}: ${response.text.slice(0, 200)}`;
  const rule = rules.find((r) => ruleMatchesResponse(r, response));
  if (rule) return decided(rule.means, what, `http-${response.status}`);
  if (response.ok) return { outcome: 'ok' };
  return { outcome: 'error', error: statusError(response, name) };
}

/** The outcome when no answer came (the kit's classified transport error): a matching rule may re-read it. */
export function classifyTransportError(rules: readonly OutcomeRule[], error: ClientError): Decision {
  const rule = rules.find((r) => ruleMatchesError(r, error));
  if (!rule) return { outcome: 'error', error };
  return decided(rule.means, error.message, error.code ?? 'transport');
}
