import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import type { Argv, CommandModule } from 'yargs';
import { checkOperations } from '../../../checker/index.js';
import { getModel, isModelPath, modelNames } from '../../../checker/models/index.js';
import type { CheckOptions, CheckResult, Model } from '../../../checker/types.js';
import { loadOperations, readRunDirectory, type LoadedHistory } from '../../history/load.js';
import { defaultNilRead, NIL_READ_MEANINGS, type NilReadMeaning } from '../../history/nil-read.js';
import { EXIT, UsageError } from '../errors.js';
import { EXIT_CODE_HELP } from '../exit-codes.js';
import { parseCommandLine, renderHelp, yargsBuilder, type CommandLineSpec } from '../flags.js';

interface CheckArgs {
  files: string[];
  model?: string;
  init?: string;
  json: boolean;
  'time-limit'?: number;
  'max-memory'?: number;
  algorithm: 'auto' | 'search' | 'register';
  workers?: number;
  'nil-read'?: NilReadMeaning;
  'allow-truncated'?: boolean;
  'all-keys'?: boolean;
}

/** One file's outcome: a check result, or the input problem that stopped it (exit 3). */
type FileOutcome = { file: string; result: CheckResult; algorithm: string; notes: string[] } | { file: string; error: string };

/** check's command line, described once: yargs (the `faultline --help` listing) and the direct parser read it. */
export const checkCommandLine: CommandLineSpec = {
  name: 'check',
  describe: 'Check histories for linearizability (JSONL, Jepsen/Knossos EDN, Jepsen logs, or stored run directories)',
  positional: { name: 'files', describe: 'history files or run directories' },
  flags: {
    model: { type: 'string', example: 'cas-register', describe: `model: ${modelNames.join(', ')}, or a model file (.ts, .mts, .js, .mjs) whose default export is defineModel({...}) (default: a run directory's test.json)` },
    init: { type: 'string', example: '0', describe: 'initial value as JSON (default null)' },
    json: { type: 'boolean', default: false, describe: 'one JSON object per line per file' },
    'time-limit': { type: 'number', example: '60', describe: 'seconds per file; past it the verdict is "unknown"' },
    'max-memory': { type: 'number', example: '1024', describe: 'MB of heap the search may use; past it the verdict is "unknown"' },
    algorithm: { type: 'string', choices: ['auto', 'search', 'register'], default: 'auto', describe: 'auto: the exact register or grow-only set procedure where it applies, else the search' },
    workers: { type: 'number', example: '2', describe: 'worker threads for per-key checks (0 = in-process; default: by size)' },
    'nil-read': {
      type: 'string',
      choices: NIL_READ_MEANINGS,
      describe:
        'what an ok read of nil/null means: unconstrained = legal in any state (Knossos; default for EDN), strict = the value null, e.g. an absent key (Porcupine; default for JSONL and Jepsen logs). Register models only',
    },
    'all-keys': { type: 'boolean', default: false, describe: 'decide every key; by default the check ends at the first invalid key and the keys left are "not checked"' },
    'allow-truncated': { type: 'boolean', default: false, describe: 'check the complete ops of a history cut off by a crash (the verdict says so); without it a cut file is an error' },
  },
  examples: [
    ['faultline check store/raftkv-register-partition/latest --json', 'check a stored run with its model'],
    ['faultline check h1.edn h2.edn --model cas-register --init 0', 'check Knossos histories (an ok read of nil is unconstrained, as in Knossos)'],
    ['faultline check store/etcd-test/20251201T120000.000Z --model cas-register', 'check a Jepsen store directory (its history.edn)'],
  ],
};

const printLine = (line: string) => process.stdout.write(`${line}\n`);
const printErrorLine = (line: string) => process.stderr.write(`${line}\n`);

export const checkCommand: CommandModule<object, CheckArgs> & { main(argv: string[]): Promise<void> } = {
  command: 'check <files..>',
  describe: checkCommandLine.describe,
  builder: yargsBuilder(checkCommandLine) as unknown as (y: Argv) => Argv<CheckArgs>,
  handler: async (argv) => {
    process.exitCode = await runCheck(argv, printLine, printErrorLine);
  },
  /** `faultline check ...` without yargs (main.ts): same flags, errors and help, a fraction of the start-up. */
  async main(argv) {
    const parsed = parseCommandLine(checkCommandLine, argv);
    if ('help' in parsed) {
      printLine(renderHelp(checkCommandLine, EXIT_CODE_HELP.check, Math.min(110, process.stdout.columns ?? 100)).trimEnd());
      return;
    }
    if ('version' in parsed) {
      const { faultlineVersion } = await import('../../run/version.js');
      printLine(faultlineVersion());
      return;
    }
    const files = (parsed.args as unknown as CheckArgs).files;
    if (files.every(isSmallFile)) keepYoungGenerationSmall();
    process.exitCode = await runCheck(parsed.args as unknown as CheckArgs, printLine, printErrorLine);
  },
};

/** Histories up to this size (about 100,000 ops of JSONL) are checked with a young generation kept small. */
const SMALL_HISTORY_BYTES = 16 * 2 ** 20;

/** A regular file of at most SMALL_HISTORY_BYTES (a directory's history, or a missing file, is not known to be). */
function isSmallFile(file: string): boolean {
  const info = statSync(file, { throwIfNoEntry: false });
  return info !== undefined && info.isFile() && info.size <= SMALL_HISTORY_BYTES;
}

/**
 * A check of small histories holds one at a time, yet everything it parses survives a scavenge or two, and
 * V8 grows the young generation by the bytes that survive: over a hundred small files it grew to its
 * 2 x 16 MB maximum, a third of the process's memory. Growing it by a factor of 1 keeps it at its initial
 * size; the flag is read at each growth, so setting it now works (max-semi-space-size is read only at
 * start-up). Not for big histories: loading a million ops took ~15% more CPU with the small young generation.
 */
function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

function parseInit(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--init must be JSON (got ${text})`, `e.g. --init 0, --init '"abc"' or --init null`);
  }
}

/** The model in the file `--model` names, loaded only then (tsx and all); its init() gives the initial state. */
async function loadFileModel(path: string, init: string | undefined): Promise<Model> {
  if (init !== undefined) {
    throw new UsageError(`--init does not apply to model file ${path}: the model's init() gives the initial state`, `drop --init, or change init() in ${path}`);
  }
  const { loadModelFile } = await import('../../../checker/models/load-model-file.js');
  return loadModelFile(path);
}

function checkOptions(argv: CheckArgs): CheckOptions {
  const opts: CheckOptions = { algorithm: argv.algorithm, allKeys: argv['all-keys'] ?? false };
  const timeLimit = argv['time-limit'];
  if (timeLimit !== undefined) {
    if (!(timeLimit >= 0)) throw new UsageError(`--time-limit must be a number of seconds >= 0 (got ${timeLimit})`);
    opts.timeLimit = timeLimit;
  }
  const maxMemory = argv['max-memory'];
  if (maxMemory !== undefined) {
    if (!(maxMemory > 0)) throw new UsageError(`--max-memory must be a number of MB > 0 (got ${maxMemory})`);
    opts.maxMemory = maxMemory * 2 ** 20;
  }
  if (argv.workers !== undefined) {
    if (!(argv.workers >= 0) || !Number.isInteger(argv.workers)) throw new UsageError(`--workers must be an integer >= 0`);
    opts.workers = argv.workers;
  }
  return opts;
}

/** Checks every file in turn (one process, batch) and returns the exit code: 3 > 1 > 2 > 0. */
/**
 * `print` gets results (stdout); `printError` a file's input problem (stderr, "faultline: " first, like
 * every error). With --json the problem is also a JSON line on stdout, so a reader gets one line per file.
 */
export async function runCheck(argv: CheckArgs, print: (line: string) => void, printError: (line: string) => void = print): Promise<number> {
  const init = parseInit(argv.init);
  const opts = checkOptions(argv);
  // Validate the model before reading any file, so a typo fails fast; a model file is loaded once, here.
  const fileModel = argv.model !== undefined && isModelPath(argv.model) ? await loadFileModel(argv.model, argv.init) : undefined;
  if (argv.model !== undefined && !fileModel) getModel(argv.model, init);
  // One file at a time, read -> check -> print -> drop: reading the next file while checking this one kept
  // two histories alive and cost a check of a 100-file corpus ~7 MB of peak memory for no measurable time.
  const seen = { error: false, invalid: false, unknown: false };
  for (const file of argv.files) {
    const outcome = await checkOne(file, await readInput(file, argv, init, fileModel), argv, opts);
    if ('error' in outcome) {
      seen.error = true;
      printError(`faultline: ${outcome.error}`);
    } else {
      if (outcome.result.valid === false) seen.invalid = true;
      if (outcome.result.valid === 'unknown') seen.unknown = true;
    }
    if (argv.json) print(toJsonLine(outcome));
    else if (!('error' in outcome)) print(toText(outcome));
  }
  if (seen.error) return EXIT.error;
  if (seen.invalid) return EXIT.invalid;
  if (seen.unknown) return EXIT.unknown;
  return EXIT.valid;
}

interface Input {
  model: Model;
  loaded: LoadedHistory;
}

/** Reads a file (or run directory) and its model; a failure is returned, to be reported as that file's outcome. */
function readInput(file: string, argv: CheckArgs, init: unknown, fileModel?: Model): Promise<{ input: Input } | { failure: unknown }> {
  return loadInput(file, argv, init, fileModel).then(
    (input) => ({ input }),
    (failure: unknown) => ({ failure }),
  );
}

async function loadInput(file: string, argv: CheckArgs, init: unknown, fileModel?: Model): Promise<Input> {
  let path = file;
  let modelName = argv.model;
  let modelInit = init;
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new UsageError(`no such file or directory`);
  if (info.isDirectory()) {
    const run = await readRunDirectory(file);
    if (!run) throw new UsageError('is a directory without history.jsonl or history.edn (neither a Faultline run nor a Jepsen store directory)');
    path = run.history;
    modelName ??= run.model;
    if (argv.init === undefined && run.init !== undefined) modelInit = run.init;
  }
  if (!modelName) throw new UsageError(`no model given`, `pass --model ${modelNames.join('|')}`);
  const model = fileModel ?? getModel(modelName, modelInit);
  const loaded = await loadOperations(path, { allowTruncated: argv['allow-truncated'] });
  return { model, loaded };
}

async function checkOne(file: string, read: { input: Input } | { failure: unknown }, argv: CheckArgs, opts: CheckOptions): Promise<FileOutcome> {
  try {
    if ('failure' in read) throw read.failure;
    const { model, loaded } = read.input;
    rejectKeysForSingleObject(loaded, model.name, model.partition !== undefined);
    const nilRead = argv['nil-read'] ?? defaultNilRead(loaded.format);
    const result = await checkOperations(loaded.operations, model, { ...opts, nilRead });
    const notes = describeInput(result, loaded, argv['nil-read'] !== undefined);
    const algorithms = [...new Set(result.keys.map((k) => k.algorithm))];
    return { file, result, algorithm: algorithms.join('+') || 'search', notes };
  } catch (e) {
    if (e instanceof UsageError) {
      const msg = e.message.startsWith(file) ? e.message : `${file}: ${e.message}`;
      return { file, error: e.fix ? `${msg} (fix: ${e.fix})` : msg };
    }
    throw e;
  }
}

/** A model of one object would check ops on different keys as if they were one register: refuse, never mix. */
function rejectKeysForSingleObject(loaded: LoadedHistory, model: string, partitions: boolean): void {
  if (partitions) return;
  const keys = new Set<string>();
  for (const op of loaded.operations) if (op.key !== undefined) keys.add(op.key);
  if (keys.size < 2) return;
  const some = [...keys].slice(0, 3).join(', ');
  throw new UsageError(
    `the history has ops on ${keys.size} keys (${some}${keys.size > 3 ? ', ...' : ''}) but model ${model} checks one object, so it would mix them`,
    'pass --model kv (a cas-register per key) or kv-append',
  );
}

/**
 * What the result says about its input: nemesis ops, the cut (when --allow-truncated read a cut file), a
 * history with no completed client op ("unknown": nothing was checked, which is not "valid"), and notes
 * when op times ran backwards (history order wins) or --nil-read was given for a model without nil reads.
 */
function describeInput(result: CheckResult, loaded: LoadedHistory, nilReadGiven: boolean): string[] {
  if (result.unused) result.unused.nemesis = loaded.counts.nemesis;
  if (loaded.truncated) result.truncated = loaded.truncated;
  if (!loaded.operations.some((op) => op.status === 'ok')) {
    const n = loaded.operations.length;
    result.valid = 'unknown';
    result.reason =
      n === 0
        ? 'no client operation completed ok: the history has no client operations'
        : `no client operation completed ok: of ${n} invoked, ${loaded.operations.filter((o) => o.status === 'fail').length} failed and ${loaded.operations.filter((o) => o.status === 'info').length} have no known outcome`;
  }
  const notes: string[] = [];
  if (loaded.counts.timesRaised > 0) {
    notes.push(`${loaded.counts.timesRaised} op time(s) are earlier than an op before them in the file and were taken as that op's time: the order of the ops decides which came first, as in Knossos`);
  }
  if (nilReadGiven && result.nilRead === undefined) {
    notes.push(`--nil-read does not apply to model ${result.model}: its reads are not register reads, so nil has one meaning there (see check --help)`);
  }
  return notes;
}

/** "2 nemesis, 1 failed, 3 nil reads (unconstrained)": the ops the check did not use, when there are any. */
function unusedText(r: CheckResult): string | undefined {
  const u = r.unused;
  if (!u) return undefined;
  const parts = [
    u.nemesis ? `${u.nemesis} nemesis` : '',
    u.failed ? `${u.failed} failed` : '',
    u.infoReads ? `${u.infoReads} read(s) with unknown result` : '',
    u.nilReads ? `${u.nilReads} nil read(s) (unconstrained)` : '',
  ].filter(Boolean);
  const pending = r.neverCompleted ? `; ${r.neverCompleted} never completed (checked as indeterminate)` : '';
  return parts.length || pending ? `not used: ${parts.join(', ') || 'none'}${pending}` : undefined;
}

/** JSON cannot hold Infinity (an info op's return time): write it as null. */
const jsonSafe = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);

/** How many keys got each verdict: {"valid": 7, "invalid": 1, "unknown": 0, "not-checked": 2}. */
function keyVerdicts(r: CheckResult): Record<string, number> {
  const count = (v: unknown) => r.keys.filter((k) => k.valid === v).length;
  return { valid: count(true), invalid: count(false), unknown: count('unknown'), 'not-checked': count('not-checked') };
}

function toJsonLine(o: FileOutcome): string {
  if ('error' in o) return JSON.stringify({ file: o.file, valid: null, error: o.error });
  const r = o.result;
  const line: Record<string, unknown> = {
    file: o.file,
    valid: r.valid,
    ops: r.ops,
    ms: r.ms,
    algorithm: o.algorithm,
    keys: r.keys.length,
    statesExplored: r.keys.reduce((n, k) => n + (k.statesExplored ?? 0), 0),
  };
  if (r.reason) line.reason = r.reason;
  if (r.keys.length > 1) line.keyVerdicts = keyVerdicts(r);
  if (r.nilRead) line.nilRead = r.nilRead;
  if (r.unused) line.unused = r.unused;
  if (r.neverCompleted !== undefined) line.neverCompleted = r.neverCompleted;
  if (r.truncated) line.truncated = r.truncated;
  if (r.counterexample) line.counterexample = r.counterexample;
  const notes = [...new Set([...r.keys.map((k) => k.note).filter(Boolean), ...o.notes])];
  if (notes.length) line.notes = notes;
  return JSON.stringify(line, jsonSafe);
}

function toText(o: FileOutcome): string {
  if ('error' in o) return `${o.error}`;
  const r = o.result;
  const keys = r.keys.length > 1 ? `, ${r.keys.length} keys` : '';
  const verdict = r.valid === true ? 'valid' : r.valid === false ? 'INVALID' : `unknown (${r.reason ?? 'budget hit'})`;
  const cut = r.truncated ? `, truncated at line ${r.truncated.line} (only the complete ops before the cut were checked)` : '';
  const nil = r.nilRead ? `; nil reads: ${r.nilRead}` : '';
  const lines = [`${o.file}: ${verdict}${cut} (${r.ops} ops${keys}, ${r.ms} ms, ${o.algorithm}${nil})`];
  const unused = unusedText(r);
  if (unused) lines.push(`  ${unused}`);
  if (r.valid === false) {
    const bad = r.keys.filter((k) => k.valid === false);
    if (bad.length > 1) lines.push(`  ${bad.length} keys are not linearizable: ${bad.slice(0, 10).map((k) => k.key).join(', ')}${bad.length > 10 ? ', ...' : ''}`);
    if (r.counterexample) lines.push(`  ${r.counterexample.explanation}`);
    const notChecked = r.keys.filter((k) => k.valid === 'not-checked').length;
    if (notChecked > 0) lines.push(`  ${notChecked} of ${r.keys.length} keys not checked: the history is already invalid (--all-keys checks every key)`);
  }
  const undecided = r.keys.filter((k) => k.valid === 'unknown').length;
  if (r.valid === 'unknown' && undecided > 0) {
    const unknown = undecided;
    lines.push(`  ${unknown} of ${r.keys.length} key(s) could not be decided within the budget; raise --time-limit / --max-memory`);
  }
  for (const note of new Set([...r.keys.map((k) => k.note).filter(Boolean), ...o.notes])) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
