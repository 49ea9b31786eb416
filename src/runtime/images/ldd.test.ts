import { describe, expect, it } from 'vitest';
import { parseLddOutput, splitLddSections } from './ldd.js';

const node = `	linux-vdso.so.1 (0x00007ffd)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007fa2)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fa1)
	/lib64/ld-linux-x86-64.so.2 (0x00007fa3)
`;

describe('ldd parsing', () => {
  it('lists library files, skipping the vDSO', () => {
    expect(parseLddOutput(node)).toEqual([
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  it('fails loudly on a missing library', () => {
    expect(() => parseLddOutput('\tlibfoo.so.1 => not found\n', '/bin/x')).toThrow(/\/bin\/x: ldd cannot find libfoo\.so\.1/);
  });

  it('splits multi-file output and tolerates static binaries', () => {
    const out = `/usr/bin/node:\n${node}/bin/busybox:\n\tnot a dynamic executable\n`;
    const sections = splitLddSections(out, ['/usr/bin/node', '/bin/busybox']);
    expect(parseLddOutput(sections.get('/usr/bin/node')!)).toHaveLength(3);
    expect(parseLddOutput(sections.get('/bin/busybox')!)).toEqual([]);
  });
});
