import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, settingsFrom } from './config.js';

const base = { RAFTKV_ID: 'n1', RAFTKV_PEERS: 'n1=n1:7000,n2=n2:7000,n3=n3:7000' };

describe('raftkv config', () => {
  it('reads env with the documented defaults', () => {
    const c = parseConfig(base);
    expect(c).toMatchObject({ id: 'n1', port: 8000, peerPort: 7000, dataDir: '/data', electionMinMs: 300, electionMaxMs: 600, heartbeatMs: 50, readMode: 'readindex' });
    expect(c.peers.get('n2')).toEqual({ host: 'n2', port: 7000 });
    expect(c.bugs.list()).toEqual([]);
    expect(c.maxBatch).toBe(512);
  });
  it('takes --max-batch (entries per AppendEntries)', () => {
    expect(parseConfig(settingsFrom(['--max-batch', '1'], base)).maxBatch).toBe(1);
  });
  it('flags override env', () => {
    const s = settingsFrom(['--port', '9000', '--bugs=stale-reads', '--election-ms', '100-200'], base);
    expect(parseConfig(s)).toMatchObject({ port: 9000, electionMinMs: 100, electionMaxMs: 200 });
    expect(parseConfig(s).bugs.has('stale-reads')).toBe(true);
  });
  it.each([
    [{ ...base, RAFTKV_BUGS: 'nope' }, /unknown bug knob.*nope/],
    [{ ...base, RAFTKV_ID: 'n9' }, /n9 is not listed/],
    [{ ...base, RAFTKV_PEERS: 'n1=x' }, /not id=host:port/],
    [{ ...base, RAFTKV_ELECTION_MS: '600-300' }, /min-max/],
    [{ ...base, RAFTKV_HEARTBEAT_MS: '400' }, /at most half/],
    [{ ...base, RAFTKV_PORT: 'abc' }, /RAFTKV_PORT must be an integer/],
    [{ ...base, RAFTKV_MAX_BATCH: '0' }, /RAFTKV_MAX_BATCH must be an integer >= 1/],
    [{ RAFTKV_PEERS: base.RAFTKV_PEERS }, /RAFTKV_ID is required/],
  ])('rejects %o with a clear message', (env, msg) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(msg);
  });
  it('rejects unknown flags', () => {
    expect(() => settingsFrom(['--nope', '1'], base)).toThrow(/unknown flag --nope/);
  });
});
