/**
 * Disk faults, the kind that lost acknowledged writes in a real Raft system (Jepsen, NATS 2.12.1): on a
 * minority of nodes (one minority, drawn once per run), stop the node, damage one of its data files, start
 * it again. Three kinds:
 *  - truncate: cut a file to a length (given in bytes or as a fraction, else drawn),
 *  - bitflip: flip one bit at each of a few random offsets,
 *  - remove: delete a file.
 * The node is stopped (SIGKILL, as a crash would) while its data volume is worked on by a short-lived
 * helper container that mounts it (`Cluster.dataVolume`), so any image works, with or without a shell.
 * Everything is recorded byte for byte: the file, its size, the truncation point with the length and
 * sha256 of what was cut, every flipped offset with the byte before and after, a removed file's size and
 * sha256. After the restart the op says whether the node came back (running) or refused to start.
 *
 * Which files are data files is the target's to say (`dataFiles`, a glob relative to its data directory);
 * without one, every regular file under the data directory is. `--disk-file` narrows it (absolute glob).
 */
import { posix } from 'node:path';
import { z } from 'zod';
import { sleep } from '../src/generator/sleep.js';
import { withTimeout } from '../src/generator/timeout.js';
import type { Fault, FaultDescription, FaultResult, NemesisContext, NemesisOptions } from './fault.js';
import { forEachNode, opsOf, withErrors } from './fault.js';
import { chooseNodes, type NodeChoice } from './node-choice.js';

export type DiskKind = 'truncate' | 'bitflip' | 'remove';
export const diskKinds: readonly DiskKind[] = ['truncate', 'bitflip', 'remove'];

export interface DiskOptions {
  /** Only files matching this glob (inside the container); default: the target's data files. */
  file?: string;
  /** truncate: keep this many bytes ("4096") or this fraction ("0.5", "50%"); default a random fraction. */
  truncate?: string;
  /** bitflip: how many bits to flip in the chosen file. */
  flips: number;
  /** How long a restarted node gets to crash before it counts as having come back (default 3 s). */
  settleMs?: number;
}

/** One action on one node's file, exactly as applied (the plan of a replay). */
export const diskActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('truncate'), node: z.string(), file: z.string(), toBytes: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('bitflip'),
    node: z.string(),
    file: z.string(),
    flips: z.array(z.object({ offset: z.number().int().nonnegative(), bit: z.number().int().min(0).max(7) })).min(1),
  }),
  z.object({ kind: z.literal('remove'), node: z.string(), file: z.string() }),
]);
export type DiskAction = z.infer<typeof diskActionSchema>;

export const diskPlanSchema = z.object({
  choice: z.enum(['one', 'leader', 'minority', 'all']).optional(),
  actions: z.array(diskActionSchema),
});

const SETTLE_MS = 3_000;

/** A glob (`*`, `?`, `**`) as an anchored regular expression over absolute paths. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** "4096" -> bytes; "0.5" or "50%" -> fraction; undefined when the text is neither (validated in config). */
export function parseTruncate(text: string): { bytes: number } | { fraction: number } | undefined {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (pct) return Number(pct[1]) <= 100 ? { fraction: Number(pct[1]) / 100 } : undefined;
  if (/^0?\.\d+$|^0$|^1(\.0+)?$/.test(text) && text.includes('.')) return { fraction: Number(text) };
  if (/^\d+$/.test(text)) return { bytes: Number(text) };
  return undefined;
}

/** Shell-quotes a path for the helper's busybox sh. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The helper script that lists regular files under `dir` as "size path" lines. */
function listScript(dir: string): string {
  return `find ${q(dir)} -type f | while IFS= read -r f; do printf '%s %s\\n' "$(wc -c < "$f" | tr -d ' ')" "$f"; done`;
}

/** The helper script for one action; it prints what it found and did, one "key value..." line each. */
export function actionScript(action: DiskAction): string {
  const f = q(action.file);
  const lines = [`test -f ${f} || { echo "missing"; exit 3; }`, `echo "size $(wc -c < ${f} | tr -d ' ')"`];
  if (action.kind === 'truncate') {
    lines.push(
      `echo "cut $(tail -c +${action.toBytes + 1} ${f} | wc -c | tr -d ' ') $(tail -c +${action.toBytes + 1} ${f} | sha256sum | cut -d' ' -f1)"`,
      // Never extend: a replayed plan may meet a file shorter than the one it was drawn on.
      `[ "$(wc -c < ${f} | tr -d ' ')" -gt ${action.toBytes} ] && dd if=/dev/null of=${f} bs=1 seek=${action.toBytes} 2>/dev/null || true`,
    );
  } else if (action.kind === 'bitflip') {
    for (const { offset, bit } of action.flips) {
      lines.push(
        `b=$(dd if=${f} bs=1 skip=${offset} count=1 2>/dev/null | od -An -tu1 | tr -d ' ')`,
        `if [ -n "$b" ]; then n=$((b ^ ${1 << bit})); printf "$(printf '\\\\%03o' "$n")" | dd of=${f} bs=1 seek=${offset} count=1 conv=notrunc 2>/dev/null; echo "flip ${offset} $b $n"; else echo "flip ${offset} eof"; fi`,
      );
    }
  } else {
    lines.push(`echo "sha256 $(sha256sum ${f} | cut -d' ' -f1)"`, `rm -f ${f}`);
  }
  lines.push('sync');
  return lines.join('\n');
}

/** Parses an action script's output into the op's record of it. */
export function parseActionOutput(action: DiskAction, stdout: string): FaultResult {
  const out: FaultResult = { kind: action.kind, file: action.file };
  const flips: unknown[] = [];
  for (const line of stdout.split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'size') out.size = Number(rest[0]);
    else if (key === 'missing') out.missing = true;
    else if (key === 'cut') Object.assign(out, { toBytes: (action as { toBytes: number }).toBytes, cutBytes: Number(rest[0]), cutSha256: rest[1] });
    else if (key === 'sha256') out.sha256 = rest[0];
    else if (key === 'flip') flips.push(rest[1] === 'eof' ? { offset: Number(rest[0]), pastEnd: true } : { offset: Number(rest[0]), before: Number(rest[1]), after: Number(rest[2]) });
  }
  if (flips.length > 0) out.flips = flips;
  return out;
}

/** Draws the action of `kind` on one of `files` (size path), or undefined when there is no file to hit. */
export function drawAction(
  kind: DiskKind,
  node: string,
  files: { size: number; path: string }[],
  options: DiskOptions,
  rng: NemesisContext['rng'],
): DiskAction | undefined {
  // Truncating or flipping an empty file does nothing: prefer files with bytes in them.
  const candidates = kind === 'remove' ? files : files.filter((f) => f.size > 0);
  if (candidates.length === 0) return undefined;
  const file = rng.pick(candidates);
  if (kind === 'remove') return { kind, node, file: file.path };
  if (kind === 'truncate') {
    const given = options.truncate ? parseTruncate(options.truncate) : undefined;
    const toBytes =
      given && 'bytes' in given ? Math.min(given.bytes, file.size) : Math.floor(file.size * (given && 'fraction' in given ? given.fraction : rng.float()));
    return { kind, node, file: file.path, toBytes: Math.min(toBytes, Math.max(0, file.size - 1)) };
  }
  const flips = Array.from({ length: Math.max(1, options.flips) }, () => ({ offset: rng.int(file.size), bit: rng.int(8) }));
  flips.sort((a, b) => a.offset - b.offset);
  return { kind, node, file: file.path, flips };
}

export function diskFault(kinds: readonly DiskKind[], options: DiskOptions, choices: readonly NodeChoice[] = ['one', 'all']): Fault {
  let active: string | undefined;
  /** The minority of nodes this run's disk faults may hit (choices pick among them: one, or all of them). */
  let exposed: string[] | undefined;
  /** Nodes a start is working on right now: heal leaves them to it (it restarts them itself). */
  const working = new Set<string>();
  const call = <T>(ctx: NemesisContext, what: string, p: Promise<T>) => withTimeout(p, ctx.callTimeoutMs, what);

  /** The glob of `node`'s data files: the option, else the target's, else everything under its data dir. */
  const dataGlob = (ctx: NemesisContext, node: string): { dir: string; glob: string } => {
    // Where a node keeps its data does not depend on the target's options: their defaults do.
    const spec = ctx.target.node({ node, nodes: ctx.cluster.nodes, options: ctx.target.parseOptions({}) });
    const glob = options.file ?? posix.join(spec.dataDir, spec.dataFiles ?? '**');
    return { dir: spec.dataDir, glob };
  };

  const listFiles = async (ctx: NemesisContext, node: string): Promise<{ size: number; path: string }[]> => {
    const { dir, glob } = dataGlob(ctx, node);
    const r = await call(ctx, `list data files of ${node}`, volume(ctx).dataVolume!(node, ['/bin/sh', '-c', listScript(dir)]));
    if (r.exitCode !== 0) throw new Error(`listing ${dir} on ${node} failed (${r.exitCode}): ${r.stderr.trim().split('\n')[0]}`);
    const re = globToRegExp(glob);
    return r.stdout
      .split('\n')
      .map((l) => /^(\d+) (.+)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && re.test(m[2]))
      .map((m) => ({ size: Number(m[1]), path: m[2] }))
      .sort((a, b) => a.path.localeCompare(b.path));
  };

  const volume = (ctx: NemesisContext) => {
    if (!ctx.cluster.dataVolume) throw new Error('this cluster cannot open a stopped node\'s data volume (Cluster.dataVolume)');
    return ctx.cluster;
  };

  /** Stops `node` (thawing it first if paused: a frozen process cannot be killed). */
  const stopNode = async (ctx: NemesisContext, node: string): Promise<string> => {
    const state = await call(ctx, `state ${node}`, ctx.cluster.state(node));
    if (state === 'paused') await call(ctx, `unpause ${node}`, ctx.cluster.unpause(node));
    if (state === 'running' || state === 'paused') await call(ctx, `kill ${node}`, ctx.cluster.kill(node));
    return state;
  };

  /** Starts `node` again and reports whether it stayed up. */
  const restart = async (ctx: NemesisContext, node: string): Promise<FaultResult> => {
    try {
      await call(ctx, `start ${node}`, ctx.cluster.start(node));
    } catch (err) {
      return { after: 'refused to start', error: err instanceof Error ? err.message : String(err) };
    }
    await sleep(options.settleMs ?? SETTLE_MS);
    const state = await call(ctx, `state ${node}`, ctx.cluster.state(node));
    return { after: state === 'running' ? 'running' : `refused to start (container ${state})` };
  };

  return {
    name: 'disk',
    async start(ctx, plan) {
      let choice: NodeChoice | undefined;
      let nodes: string[];
      let given: DiskAction[] | undefined;
      if (plan) {
        const parsed = diskPlanSchema.parse(plan);
        choice = parsed.choice;
        given = parsed.actions;
        nodes = [...new Set(given.map((a) => a.node))];
      } else {
        choice = ctx.rng.pick(choices);
        // Damage stays on one minority for the whole run (drawn at the first start): a node that refuses
        // to start stays down, and spreading damage over a majority would only measure that.
        exposed ??= chooseNodes('minority', ctx.cluster.nodes, ctx.rng).nodes.sort();
        ({ nodes } = chooseNodes(choice, exposed, ctx.rng));
      }
      // Drawn up front, in node order, so the PRNG stream does not depend on Docker timings.
      const kindOf = Object.fromEntries(nodes.map((n) => [n, ctx.rng.pick(kinds)]));
      active = `disk ${nodes.join(',')}`;
      const actions: DiskAction[] = [];
      const perNode: Record<string, FaultResult> = {};
      for (const n of nodes) working.add(n);
      const { errors } = await forEachNode(nodes, async (node) => {
        const record: FaultResult = { before: await stopNode(ctx, node) };
        perNode[node] = record;
        try {
          let action = given?.find((a) => a.node === node);
          if (!given) {
            const files = await listFiles(ctx, node);
            action = drawAction(kindOf[node], node, files, options, ctx.rng);
            if (!action) record.note = `no data file matches ${dataGlob(ctx, node).glob}`;
          }
          if (action) {
            actions.push(action);
            const r = await call(ctx, `${action.kind} on ${node}`, volume(ctx).dataVolume!(node, ['/bin/sh', '-c', actionScript(action)]));
            Object.assign(record, parseActionOutput(action, r.stdout));
            if (r.exitCode !== 0 && !record.missing) throw new Error(`${action.kind} ${action.file} failed (${r.exitCode}): ${r.stderr.trim().split('\n')[0]}`);
          }
        } finally {
          // A node another fault had killed stays down: its restart is that fault's to do.
          Object.assign(record, record.before === 'exited' ? { after: 'left stopped (it was down before)' } : await restart(ctx, node));
          working.delete(node);
        }
      });
      // The helper runs in parallel per node; the plan lists actions in node order, as drawn.
      actions.sort((a, b) => ctx.cluster.nodes.indexOf(a.node) - ctx.cluster.nodes.indexOf(b.node));
      const restarted = Object.entries(perNode).filter(([, r]) => r.after === 'running').map(([n]) => n);
      const reapplied = restarted.length > 0 && ctx.onRestart ? await ctx.onRestart(restarted) : {};
      active = undefined;
      const result: FaultResult = { ...(choice ? { choice } : {}), nodes, disk: perNode, plan: { ...(choice ? { choice } : {}), actions } };
      if (Object.keys(reapplied).length > 0) result.reapplied = reapplied;
      return withErrors(result, errors);
    },
    // The damage is done at start (and cannot be undone): stop has nothing to undo.
    async stop() {
      return {};
    },
    /** Starts any node a disk fault left stopped (one that refuses to start stays down, and the op says so). */
    async heal(ctx) {
      active = undefined;
      const started: string[] = [];
      // A node an in-flight start has stopped is not restarted under it (the schedule heals again after).
      const { errors } = await forEachNode(ctx.cluster.nodes.filter((n) => !working.has(n)), async (node) => {
        if ((await call(ctx, `state ${node}`, ctx.cluster.state(node))) !== 'exited') return;
        await call(ctx, `start ${node}`, ctx.cluster.start(node));
        started.push(node);
      });
      return withErrors({ nodes: started.sort() }, errors);
    },
    active: () => active,
  };
}

const disk = { family: 'disk', capability: 'disk', ops: opsOf('disk'), color: '#7a5230', healOrder: 5, planSchema: diskPlanSchema } as const;
const diskOptions = (o: NemesisOptions): DiskOptions => ({ file: o.diskFile, truncate: o.diskTruncate, flips: o.diskFlips ?? 8 });

export const diskDescriptions: FaultDescription[] = [
  { ...disk, name: 'disk', summary: 'on one minority of nodes: stop, truncate / flip bits in / remove a data file, restart', create: (o) => diskFault(diskKinds, diskOptions(o)) },
  { ...disk, name: 'disk-truncate', summary: 'stop a minority, truncate a data file (--disk-truncate), restart', create: (o) => diskFault(['truncate'], diskOptions(o)) },
  { ...disk, name: 'disk-bitflip', summary: 'stop a minority, flip bits at random offsets of a data file (--disk-flips), restart', create: (o) => diskFault(['bitflip'], diskOptions(o)) },
  { ...disk, name: 'disk-remove', summary: 'stop a minority, remove a data file, restart', create: (o) => diskFault(['remove'], diskOptions(o)) },
];
