import { describe, expect, it } from 'vitest';
import { ClientError } from '../../src/index.js';
import { classifyNatsError, timeoutError } from './errors.js';

const apiError = (code: number, err_code: number, description: string) => ({ code: String(code), message: description, api_error: { code, err_code, description } });

describe('classifyNatsError', () => {
  it('wrong last sequence (10071) on a write is a definite cas mismatch', () => {
    const e = classifyNatsError(apiError(400, 10071, 'wrong last sequence: 12'), 'write');
    expect(e).toBeInstanceOf(ClientError);
    expect(e.definite).toBe(true);
    expect(e.code).toBe('cas-mismatch');
    expect(e.message).toContain('wrong last sequence: 12');
  });

  it('no responders (503 without an API error) is definite: no leader took the message', () => {
    const e = classifyNatsError({ code: '503', message: '503' }, 'write');
    expect(e.definite).toBe(true);
    expect(e.code).toBe('no-responders');
  });

  it('a JetStream 503 API error (10008) on a write is indeterminate, not mistaken for no responders', () => {
    const e = classifyNatsError(apiError(503, 10008, 'JetStream system temporarily unavailable'), 'write');
    expect(e.definite).toBe(false);
    expect(e.code).toBe('js-10008');
  });

  it('timeouts and lost connections on a write are indeterminate', () => {
    for (const code of ['TIMEOUT', 'CONNECTION_CLOSED', 'DISCONNECT', 'UNKNOWN_ERROR']) {
      expect(classifyNatsError({ code, message: code }, 'write').definite).toBe(false);
    }
    expect(timeoutError('write', 1000).definite).toBe(false);
  });

  it('a refused connection never sent anything: definite', () => {
    expect(classifyNatsError({ code: 'CONNECTION_REFUSED', message: 'CONNECTION_REFUSED' }, 'write').definite).toBe(true);
  });

  it('every failed read is definite (a read changes nothing)', () => {
    expect(classifyNatsError({ code: 'TIMEOUT', message: 'TIMEOUT' }, 'read').definite).toBe(true);
    expect(classifyNatsError(apiError(503, 10008, 'JetStream system temporarily unavailable'), 'read').definite).toBe(true);
    expect(timeoutError('read', 1000).definite).toBe(true);
  });

  it('keeps a ClientError as it is and wraps non-errors', () => {
    const original = new ClientError('x', false, 'y');
    expect(classifyNatsError(original, 'read')).toBe(original);
    expect(classifyNatsError('boom', 'write').message).toContain('boom');
  });
});
