/** Every command's --help ends with its exit codes (one table: src/cli/exit-codes.ts). */
import { describe, expect, it, vi } from 'vitest';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { commandLoaders } from '../../src/cli/commands/index.js';
import yargs from 'yargs';

async function helpOf(name: string): Promise<string> {
  const command = await commandLoaders[name]();
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
  try {
    await yargs([name, '--help']).scriptName('faultline').command(withExitCodes(command) as never).exitProcess(false).help().wrap(200).parseAsync();
  } finally {
    spy.mockRestore();
  }
  return printed.join('\n');
}

describe('exit codes in --help', () => {
  it.each(Object.keys(commandLoaders))('faultline %s --help names its exit codes', async (name) => {
    const help = await helpOf(name);
    expect(help).toMatch(/Exit codes: 0 /);
    expect(help).toMatch(/ 3 /);
  });

  it('run and check name all four verdict codes', async () => {
    for (const name of ['run', 'check']) expect(await helpOf(name)).toMatch(/0 valid, 1 invalid .*2 unknown .*3 it could not be carried out/);
  });
});
