import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { checkCommandLine } from './commands/check.js';
import { EXIT_CODE_HELP } from './exit-codes.js';
import { parseCommandLine, renderHelp, yargsBuilder } from './flags.js';
import { UsageError } from './errors.js';

const parse = (...argv: string[]) => parseCommandLine(checkCommandLine, argv);
const args = (...argv: string[]) => {
  const parsed = parse(...argv);
  if (!('args' in parsed)) throw new Error(`expected args, got ${JSON.stringify(parsed)}`);
  return parsed.args;
};
const failure = (...argv: string[]): UsageError => {
  try {
    parse(...argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
};

describe('check command line without yargs', () => {
  it('reads every flag form yargs read, with its defaults', () => {
    expect(args('a.jsonl', 'b.edn', '--model', 'kv', '--time-limit=5', '--json', '--nil-read', 'strict')).toEqual({
      files: ['a.jsonl', 'b.edn'],
      model: 'kv',
      'time-limit': 5,
      json: true,
      'nil-read': 'strict',
      algorithm: 'auto',
      'all-keys': false,
      'allow-truncated': false,
    });
    expect(args('a', '--json', 'false', '--no-all-keys', '--allowTruncated', '--maxMemory', '64')).toMatchObject({ files: ['a'], json: false, 'all-keys': false, 'allow-truncated': true, 'max-memory': 64 });
    expect(args('--init', '-1', '--', '--odd-name.jsonl')).toMatchObject({ init: '-1', files: ['--odd-name.jsonl'] });
  });

  it('names the flag and the fix for every mistake', () => {
    expect(failure('a', '--modle', 'kv')).toMatchObject({ message: 'unknown flag --modle', fix: expect.stringMatching(/did you mean --model\?/) });
    expect(failure('a', '--model')).toMatchObject({ message: '--model needs a value', fix: expect.stringMatching(/^e\.g\. --model cas-register/) });
    expect(failure('a', '--model', '--json')).toMatchObject({ message: '--model needs a value' });
    expect(failure('a', '--time-limit', 'soon')).toMatchObject({ message: '--time-limit must be a number (got "soon")' });
    expect(failure('a', '--algorithm', 'fast')).toMatchObject({ message: '--algorithm must be one of auto, search, register (got "fast")' });
    expect(failure('a', '--json=maybe')).toMatchObject({ message: '--json takes no value (got "maybe")' });
    expect(failure('a', '--model', 'kv', '--model', 'set')).toMatchObject({ message: '--model is given twice' });
    expect(failure('a', '-x')).toMatchObject({ message: 'unknown flag -x' });
    expect(failure('--model', 'kv')).toMatchObject({ message: expect.stringMatching(/^no files given/), fix: expect.stringMatching(/faultline check --help/) });
  });

  it('--help and --version win over everything else, as with yargs', () => {
    expect(parse('--help')).toEqual({ help: true });
    expect(parse('a', '--modle', 'x', '-h')).toEqual({ help: true });
    expect(parse('a', '--version')).toEqual({ version: true });
  });

  it('--help shows every flag, its choices and defaults, the examples and the exit codes', () => {
    const help = renderHelp(checkCommandLine, EXIT_CODE_HELP.check, 100);
    for (const name of Object.keys(checkCommandLine.flags)) expect(help).toContain(`--${name} `);
    expect(help).toContain('[choices: "auto", "search", "register"] [default: "auto"]');
    expect(help).toContain('faultline check h1.edn h2.edn --model cas-register --init 0');
    expect(help).toMatch(/Exit codes: 0 valid, 1 invalid .*\n?.*2 unknown/);
    expect(help.split('\n').every((line) => line.length <= 100)).toBe(true);
  });

  it('yargs, built from the same spec, reads a command line the same way', async () => {
    const argv = ['check', 'a.jsonl', '--model', 'kv', '--time-limit', '5', '--no-json', '--algorithm', 'search'];
    let seen: Record<string, unknown> = {};
    await yargs(argv)
      .command('check <files..>', '', yargsBuilder(checkCommandLine), (a) => void (seen = a))
      .strict()
      .exitProcess(false)
      .parseAsync();
    const own = args(...argv.slice(1));
    for (const [k, v] of Object.entries(own)) expect(seen[k], k).toEqual(v);
  });
});
