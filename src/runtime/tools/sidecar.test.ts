import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { libcFrom } from './image-libc.js';
import { atomicWriteCommand, nodeToolsMount, sidecarCreateOptions } from './sidecar.js';

describe('the tools sidecar', () => {
  it('joins the node network namespace with NET_ADMIN and mounts the tools volume writable', () => {
    const o = sidecarCreateOptions({ name: 's', toolsImage: 'faultline/base:x', nodeContainerId: 'abc', toolsVolume: 'v', labels: {} });
    expect(o.HostConfig?.NetworkMode).toBe('container:abc');
    expect(o.HostConfig?.CapAdd).toEqual(['NET_ADMIN']);
    expect(o.HostConfig?.Mounts).toEqual([{ Type: 'volume', Source: 'v', Target: '/faultline' }]);
  });
  it('the node mounts the tools volume read-only and never copies its own /faultline into it', () => {
    expect(nodeToolsMount('v')).toMatchObject({ ReadOnly: true, VolumeOptions: { NoCopy: true }, Target: '/faultline' });
  });
  it('writes through a temporary file in the same directory, content passed as an argument', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const cmd = atomicWriteCommand(join(dir, 'faketime'), `+5s\n'$(reboot)"`, 'u1');
    expect(cmd.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    execFileSync(cmd[0]!, cmd.slice(1));
    expect(readFileSync(join(dir, 'faketime'), 'utf8')).toBe(`+5s\n'$(reboot)"`);
    expect(readdirSync(dir)).toEqual(['faketime']);
    expect(cmd[5]).toBe(join(dir, '.faketime.u1.tmp'));
  });
});

describe('which C library an image has', () => {
  it('glibc when its loader is there (even next to musl), musl alone is musl, neither is none', () => {
    expect(libcFrom(new Set(['/lib64/ld-linux-x86-64.so.2']))).toEqual({ libc: 'glibc', evidence: '/lib64/ld-linux-x86-64.so.2' });
    expect(libcFrom(new Set(['/lib/ld-musl-x86_64.so.1', '/lib64/ld-linux-x86-64.so.2'])).libc).toBe('glibc');
    expect(libcFrom(new Set(['/lib/ld-musl-x86_64.so.1']))).toEqual({ libc: 'musl', evidence: '/lib/ld-musl-x86_64.so.1' });
    expect(libcFrom(new Set())).toEqual({ libc: 'none' });
  });
});
