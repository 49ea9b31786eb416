/** Finding the shared libraries host binaries need, so they can be copied into an image without a distro. */
import { execa } from 'execa';

/**
 * Absolute library paths from the output of `ldd` for one file. Lines look like
 * `libc.so.6 => /lib/x/libc.so.6 (0x…)` or `/lib64/ld-linux-x86-64.so.2 (0x…)`; the vDSO has no file and
 * is skipped. A `not found` line means the binary cannot run from copied files: an error, not an omission.
 */
export function parseLddOutput(output: string, binary = 'binary'): string[] {
  const libs: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.includes('linux-vdso') || line.includes('statically linked') || line.includes('not a dynamic executable')) continue;
    if (line.includes('not found')) throw new Error(`${binary}: ldd cannot find ${line.split(' ')[0]}`);
    const arrow = /=>\s*(\/\S+)/.exec(line);
    const direct = /^(\/\S+)\s+\(/.exec(line);
    const path = arrow?.[1] ?? direct?.[1];
    if (path && !libs.includes(path)) libs.push(path);
  }
  return libs;
}

/**
 * `ldd a b c` prints a `a:` header line before each file's list (only when given several files). Splits
 * that output into per-file sections; a single file's output has no header.
 */
export function splitLddSections(output: string, binaries: string[]): Map<string, string> {
  const sections = new Map<string, string>();
  if (binaries.length === 1) return sections.set(binaries[0]!, output);
  let current: string | undefined;
  for (const line of output.split('\n')) {
    const header = /^(\S.*):$/.exec(line);
    if (header && binaries.includes(header[1]!)) {
      current = header[1]!;
      sections.set(current, '');
    } else if (current) {
      sections.set(current, `${sections.get(current)}${line}\n`);
    }
  }
  return sections;
}

/** Libraries (deduplicated, in first-seen order) that any of `binaries` loads. One `ldd` process. */
export async function sharedLibraries(binaries: string[]): Promise<string[]> {
  if (binaries.length === 0) return [];
  // ldd exits 1 when one of the files is static ("not a dynamic executable"): that file needs nothing.
  const result = await execa('ldd', binaries, { reject: false, timeout: 60_000 });
  if (result.exitCode !== 0 && !/not a dynamic executable/.test(result.stdout + result.stderr)) {
    throw new Error(`ldd failed: ${result.stderr || result.stdout}`);
  }
  const all: string[] = [];
  for (const [binary, section] of splitLddSections(result.stdout, binaries)) {
    for (const lib of parseLddOutput(section, binary)) if (!all.includes(lib)) all.push(lib);
  }
  return all;
}
