import { describe, expect, it } from 'vitest';
import { agreedLeader, nodeOfServer } from './cluster.js';
import { decodeEntry, isNoMessage } from './client.js';

const nodes = ['n1', 'n2', 'n3'];

describe('leader mapping', () => {
  it('maps a server name to the node of the same name', () => {
    expect(nodeOfServer('n2', nodes)).toBe('n2');
    expect(nodeOfServer('NAXYZ', nodes)).toBeUndefined();
    expect(nodeOfServer(undefined, nodes)).toBeUndefined();
  });

  it('takes the leader most servers report, ignoring silent ones and unknown names', () => {
    expect(agreedLeader(['n2', undefined, 'n2'], nodes)).toBe('n2');
    expect(agreedLeader(['n1', 'n3', 'n3'], nodes)).toBe('n3');
    expect(agreedLeader([undefined, 'n9', undefined], nodes)).toBeUndefined();
    expect(agreedLeader(['n1', 'n2'], nodes)).toBe('n1');
  });
});

describe('KV entries', () => {
  const header = (op?: string) => ({ get: (k: string) => (k === 'KV-Operation' && op ? op : '') }) as never;

  it('decodes the JSON value and the revision', () => {
    const entry = decodeEntry({ seq: 17, data: new TextEncoder().encode('42'), header: header() });
    expect(entry).toEqual({ value: 42, revision: 17 });
  });

  it('reads a delete marker as null', () => {
    expect(decodeEntry({ seq: 3, data: new Uint8Array(), header: header('DEL') }).value).toBeNull();
  });

  it('tells "no value for this key" from "no such stream"', () => {
    expect(isNoMessage({ code: '404', api_error: { err_code: 10037 } }, 'leader')).toBe(true);
    expect(isNoMessage({ code: '404', api_error: { err_code: 10059 } }, 'leader')).toBe(false);
    expect(isNoMessage({ code: '404' }, 'direct')).toBe(true);
    expect(isNoMessage({ code: 'TIMEOUT' }, 'direct')).toBe(false);
  });
});
