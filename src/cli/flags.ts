import type { Argv } from 'yargs';
import { UsageError } from './errors.js';

/**
 * A command's command line described once. From it come the command's yargs builder (so `faultline --help`
 * and the yargs-based tests see the same flags) and a small parser and help text for a command that starts
 * without yargs: loading yargs was most of the start-up and a sixth of the memory of `faultline check`.
 */
export interface FlagSpec {
  type: 'string' | 'number' | 'boolean';
  describe: string;
  choices?: readonly string[];
  default?: string | number | boolean;
  /** A typical value, for the fix of a mistake ("e.g. --model cas-register"). */
  example?: string;
}

export interface CommandLineSpec {
  /** The command's name, as typed after `faultline`. */
  name: string;
  describe: string;
  /** The positional arguments: one or more of them (`<files..>`). */
  positional: { name: string; describe: string };
  flags: Record<string, FlagSpec>;
  examples: [command: string, what: string][];
}

export type ParsedCommandLine = { help: true } | { version: true } | { args: Record<string, unknown> };

/** yargs options for the same spec (the yargs path: `faultline --help`, tests that drive yargs). */
export function yargsBuilder(spec: CommandLineSpec): (y: Argv) => Argv {
  return (y: Argv) => {
    let built: Argv = y.positional(spec.positional.name, { type: 'string', array: true, demandOption: true, describe: spec.positional.describe });
    for (const [name, flag] of Object.entries(spec.flags)) {
      built = (built as Argv).option(name, flag.choices ? { choices: flag.choices, default: flag.default, describe: flag.describe } : { type: flag.type, default: flag.default, describe: flag.describe });
    }
    for (const [command, what] of spec.examples) built = built.example(command, what);
    return built;
  };
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Parses `argv` (the words after the command's name) as yargs did for this spec: `--flag value`,
 * `--flag=value`, `--no-flag` and `--flag true|false` for booleans, camelCase spellings, `--` before
 * positionals that start with a dash. Every mistake is a UsageError naming the flag and the fix.
 */
export function parseCommandLine(spec: CommandLineSpec, argv: string[]): ParsedCommandLine {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const seeFlags = `\`faultline ${spec.name} --help\` lists every flag`;
  // --help and --version win over any mistake elsewhere on the line, as with yargs.
  const flagWords = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (flagWords.some((w) => w === '--help' || w === '-h')) return { help: true };
  if (flagWords.includes('--version')) return { version: true };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-' || /^-\d/.test(word)) {
      positionals.push(word);
      continue;
    }
    if (!word.startsWith('--')) throw new UsageError(`unknown flag ${word}`, seeFlags);
    const eq = word.indexOf('=');
    let name = kebab(word.slice(2, eq < 0 ? undefined : eq));
    let inline = eq < 0 ? undefined : word.slice(eq + 1);
    let flag = spec.flags[name];
    if (!flag && name.startsWith('no-') && spec.flags[name.slice(3)]?.type === 'boolean' && inline === undefined) {
      name = name.slice(3);
      flag = spec.flags[name];
      inline = 'false';
    }
    if (!flag) throw new UsageError(`unknown flag --${name}`, suggestion(name, Object.keys(spec.flags), seeFlags));
    if (name in values) throw new UsageError(`--${name} is given twice`, `give it once`);
    if (flag.type === 'boolean') {
      // yargs read a following true/false as the flag's value; keep that.
      if (inline === undefined && (argv[i + 1] === 'true' || argv[i + 1] === 'false')) inline = argv[++i];
      if (inline !== undefined && inline !== 'true' && inline !== 'false') {
        throw new UsageError(`--${name} takes no value (got "${inline}")`, `write --${name} or --no-${name}`);
      }
      values[name] = inline !== 'false';
      continue;
    }
    if (inline === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`, example(name, flag));
      inline = argv[++i];
    }
    values[name] = flagValue(name, flag, inline);
  }
  if (positionals.length === 0) {
    throw new UsageError(`no ${spec.positional.name} given: ${spec.positional.describe}`, `faultline ${spec.name} <${spec.positional.name}..> (${seeFlags})`);
  }
  for (const [name, flag] of Object.entries(spec.flags)) if (!(name in values) && flag.default !== undefined) values[name] = flag.default;
  return { args: { ...values, [spec.positional.name]: positionals } };
}

function flagValue(name: string, flag: FlagSpec, text: string): string | number {
  if (flag.choices && !flag.choices.includes(text)) {
    throw new UsageError(`--${name} must be one of ${flag.choices.join(', ')} (got "${text}")`, example(name, flag));
  }
  if (flag.type === 'number') {
    const n = Number(text);
    if (text.trim() === '' || Number.isNaN(n)) throw new UsageError(`--${name} must be a number (got "${text}")`, example(name, flag));
    return n;
  }
  return text;
}

function example(name: string, flag: FlagSpec): string {
  if (flag.choices) return `e.g. --${name} ${flag.choices[0]} (one of ${flag.choices.join(', ')})`;
  return `e.g. --${name} ${flag.example ?? (flag.type === 'number' ? '10' : 'VALUE')} (${flag.describe})`;
}

/** "did you mean --model?" for a flag within two edits of a known one. */
function suggestion(name: string, known: string[], otherwise: string): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best ? `did you mean --${best}? (${otherwise})` : otherwise;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** The command's --help, laid out as yargs laid it out: usage, positionals, flags with type/choices/default, examples, `epilogue`. */
export function renderHelp(spec: CommandLineSpec, epilogue: string, width: number): string {
  const out: string[] = [`faultline ${spec.name} <${spec.positional.name}..>`, '', ...wrap(spec.describe, width), ''];
  const table = (rows: [string, string][]) => {
    const left = Math.max(...rows.map(([l]) => l.length)) + 2;
    for (const [l, text] of rows) {
      const lines = wrap(text, Math.max(30, width - left - 2));
      out.push(`  ${l.padEnd(left)}${lines[0] ?? ''}`);
      for (const line of lines.slice(1)) out.push(`  ${' '.repeat(left)}${line}`);
    }
  };
  out.push('Positionals:');
  table([[spec.positional.name, `${spec.positional.describe} [required]`]]);
  out.push('', 'Options:');
  const flagRows: [string, string][] = [
    ['--help', 'Show help [boolean]'],
    ['--version', 'Show version number [boolean]'],
  ];
  for (const [name, flag] of Object.entries(spec.flags)) {
    const kind = flag.choices ? `[choices: ${flag.choices.map((c) => `"${c}"`).join(', ')}]` : `[${flag.type}]`;
    const dflt = flag.default !== undefined ? ` [default: ${JSON.stringify(flag.default)}]` : '';
    flagRows.push([`--${name}`, `${flag.describe} ${kind}${dflt}`]);
  }
  table(flagRows);
  out.push('', 'Examples:');
  for (const [command, what] of spec.examples) out.push(`  ${command}`, ...wrap(what, width - 6).map((l) => `      ${l}`));
  out.push('', ...wrap(epilogue, width));
  return `${out.join('\n')}\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
