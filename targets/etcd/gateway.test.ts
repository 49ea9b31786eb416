import { describe, expect, it } from 'vitest';
import {
  b64,
  casRequest,
  classifyHttpError,
  decodeValue,
  encodeValue,
  parseRangeResponse,
  parseTxnSucceeded,
  rangeRequest,
} from './gateway.js';
import { parseStatus, etcdCommand } from './target.js';

describe('etcd gateway encoding', () => {
  it('round-trips numbers, strings and null through JSON + base64', () => {
    for (const v of [0, 42, -7, 'hello', '', null]) expect(decodeValue(encodeValue(v))).toBe(v);
    expect(decodeValue(b64('not json'))).toBe('not json');
  });

  it('asks for serializable reads only when told', () => {
    expect(rangeRequest('k', false)).toEqual({ key: b64('k') });
    expect(rangeRequest('k', true)).toEqual({ key: b64('k'), serializable: true });
  });

  it('builds a VALUE compare for cas, a CREATE=0 compare for cas from null', () => {
    const req = casRequest('k', 1, 2) as { compare: Record<string, string>[]; success: { request_put: { value: string } }[] };
    expect(req.compare[0]).toMatchObject({ target: 'VALUE', result: 'EQUAL', value: encodeValue(1) });
    expect(req.success[0]!.request_put.value).toBe(encodeValue(2));
    expect((casRequest('k', null, 2) as { compare: Record<string, string>[] }).compare[0]).toMatchObject({ target: 'CREATE', create_revision: '0' });
  });
});

describe('etcd gateway responses', () => {
  it('reads a range response; no kvs means a missing key', () => {
    expect(parseRangeResponse({ header: {}, kvs: [{ key: b64('k'), value: encodeValue(5) }], count: '1' })).toBe(5);
    expect(parseRangeResponse({ header: { revision: '3' } })).toBeNull();
  });

  it('treats an absent `succeeded` as a failed compare (proto3 omits false)', () => {
    expect(parseTxnSucceeded({ header: {}, succeeded: true })).toBe(true);
    expect(parseTxnSucceeded({ header: {}, responses: [] })).toBe(false);
  });

  it('parses maintenance status ids as strings', () => {
    const s = parseStatus({ header: { member_id: '1658696202172311776' }, leader: '16065036169801965467', raftTerm: '2' });
    expect(s).toEqual({ memberId: '1658696202172311776', leaderId: '16065036169801965467', raftTerm: 2 });
  });
});

describe('etcd error classification', () => {
  it('4xx is definite, 5xx and UNAVAILABLE/DEADLINE_EXCEEDED are not', () => {
    expect(classifyHttpError(400, '{"error":"bad","message":"bad","code":3}').definite).toBe(true);
    expect(classifyHttpError(429, '{"message":"etcdserver: too many requests","code":8}').definite).toBe(true);
    expect(classifyHttpError(503, '{"message":"etcdserver: leader changed","code":14}').definite).toBe(false);
    expect(classifyHttpError(500, 'plain text').definite).toBe(false);
    const e = classifyHttpError(408, '{"message":"etcdserver: request timed out","code":4}');
    expect([e.definite, e.code]).toEqual([false, 'grpc-4']);
  });
});

describe('etcd command line', () => {
  it('advertises hostnames and lists every member in --initial-cluster', () => {
    const cmd = etcdCommand('n2', ['n1', 'n2', 'n3']).join(' ');
    expect(cmd).toContain('--name n2');
    expect(cmd).toContain('--initial-advertise-peer-urls http://n2:2380');
    expect(cmd).toContain('--advertise-client-urls http://n2:2379');
    expect(cmd).toContain('--initial-cluster n1=http://n1:2380,n2=http://n2:2380,n3=http://n3:2380');
  });
});
