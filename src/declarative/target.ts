/**
 * The Target a declarative file describes, made with the public `defineTarget` like any target file:
 * node command and environment from templates, readiness and leader discovery over HTTP (or TCP, or a
 * command in the container), and the declarative HTTP client.
 */
import { connect } from 'node:net';
import { basename } from 'node:path';
import { z } from 'zod';
import type { Endpoint } from '../core/client.js';
import type { Cluster } from '../core/cluster.js';
import { defineTarget, type Target } from '../core/target.js';
import { HttpClient } from '../kit/http.js';
import { pollUntil } from '../kit/poll.js';
import { DeclarativeClient } from './client.js';
import { atPointer, jsonConditionHolds, statusMatches } from './outcomes.js';
import type { TargetFile } from './schema.js';
import { renderJson, renderText } from './templates.js';

/** The zod schema of the file's `options`, so `--target-opt` values are typed and checked like any target's. */
export function optionsSchema(options: TargetFile['options']): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, o] of Object.entries(options)) {
    let field: z.ZodType =
      o.values !== undefined ? z.enum(o.values as [string, ...string[]]) : o.type === 'number' ? z.number() : o.type === 'boolean' ? z.boolean() : z.string();
    if (o.description) field = field.describe(o.description);
    shape[name] = o.default !== undefined ? (field as z.ZodString).default(o.default as never) : field.optional();
  }
  return z.object(shape);
}

/** The template context of one node. */
export function nodeContext(node: string, nodes: string[], clientPort: number, options: unknown) {
  return { node, nodes, index: nodes.indexOf(node) + 1, others: nodes.filter((n) => n !== node), clientPort, options };
}

/** Maps what a leader endpoint said to a node: a node name, or a host:port / URL whose host is one. */
export function nodeNamed(value: unknown, nodes: readonly string[]): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value);
  if (nodes.includes(text)) return text;
  const host = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[:/]/)[0] ?? '';
  return nodes.includes(host) ? host : undefined;
}

/**
 * Whether a TCP connection to the published port reaches a listening server. Docker's port proxy accepts
 * every connection itself and closes it at once when nothing listens in the container, so a connection
 * still open after a short wait is the sign of a server.
 */
export function tcpAnswers(endpoint: Endpoint, timeoutMs = 1_000, settleMs = 250): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs + settleMs);
    socket.once('connect', () => setTimeout(() => finish(!socket.destroyed && socket.readyState === 'open'), settleMs));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('end', () => finish(false));
  });
}

export function declarativeTarget(spec: TargetFile, file: string): Target {
  const name = basename(file);
  const requestBody = (body: unknown, ctx: object) => (body === undefined ? undefined : typeof body === 'string' ? renderText(body, ctx) : renderJson(body, ctx));

  async function leaderOf(cluster: Cluster): Promise<string | undefined> {
    const l = spec.leader;
    if (!l) return undefined;
    const ask = async (node: string) => {
      const ctx = { node, nodes: cluster.nodes, options: {} };
      const r = await new HttpClient(cluster.endpoint(node), { name: spec.name }).request(l.method, renderText(l.path, ctx), { timeoutMs: 1_000, body: requestBody(l.body, ctx) });
      return r.ok ? r.json : undefined;
    };
    if (l.self === undefined) {
      for (const node of cluster.nodes) {
        const answer = await ask(node).catch(() => undefined);
        const leader = nodeNamed(answer === undefined ? undefined : atPointer(answer, l.pointer), cluster.nodes);
        if (leader) return leader;
      }
      return undefined;
    }
    const answers = await Promise.all(cluster.nodes.map((n) => ask(n).catch(() => undefined)));
    const claimed = answers.map((a) => (a === undefined ? undefined : atPointer(a, l.pointer))).find((v) => v !== undefined && v !== null && v !== '' && v !== '0' && v !== 0);
    if (claimed === undefined) return undefined;
    const index = answers.findIndex((a) => a !== undefined && String(atPointer(a, l.self!)) === String(claimed));
    return index >= 0 ? cluster.nodes[index] : undefined;
  }

  /** What is still missing on `node`, or undefined when it is ready. */
  async function notReady(cluster: Cluster, node: string, options: unknown): Promise<string | undefined> {
    const ready = spec.ready;
    const ctx = nodeContext(node, cluster.nodes, spec.clientPort, options);
    if (ready.http) {
      const h = ready.http;
      const r = await new HttpClient(cluster.endpoint(node), { name: spec.name })
        .request(h.method, renderText(h.path, ctx), { timeoutMs: 1_000, body: requestBody(h.body, ctx) })
        .catch((err: Error) => err);
      if (r instanceof Error) return `${node}: ${r.message}`;
      if (!statusMatches(h.status, r.status)) return `${node}: ${h.method} ${h.path} answered ${r.status}`;
      if (!jsonConditionHolds(h, r.json)) return `${node}: ${h.path} ${h.pointer} is ${JSON.stringify(r.json === undefined ? undefined : atPointer(r.json, h.pointer!))}`;
    }
    if (ready.tcp && !(await tcpAnswers(cluster.endpoint(node)))) return `${node}: nothing listens on port ${spec.clientPort}`;
    if (ready.command) {
      const cmd = ready.command.map((c) => renderText(c, ctx));
      const r = await cluster.exec(node, cmd, { timeoutMs: 5_000 }).catch((err: Error) => ({ exitCode: -1, stdout: '', stderr: err.message }));
      if (r.exitCode !== 0) return `${node}: ${cmd.join(' ')} exited ${r.exitCode} ${r.stderr.trim().split('\n')[0] ?? ''}`;
    }
    return undefined;
  }

  return defineTarget({
    name: spec.name,
    description: spec.description ?? `${spec.image} (declarative target ${name})`,
    options: optionsSchema(spec.options),
    capabilities: spec.faults,
    defaultNodes: spec.nodes,
    clientPort: spec.clientPort,
    image: { name: spec.image },
    node({ node, nodes, options }) {
      const ctx = nodeContext(node, nodes, spec.clientPort, options);
      return {
        cmd: (spec.node.command ?? []).map((c) => renderText(c, ctx)),
        env: Object.fromEntries(Object.entries(spec.node.env).map(([k, v]) => [k, renderText(v, ctx)])),
        dataDir: spec.node.dataDir,
        dataFiles: spec.node.dataFiles,
      };
    },
    async ready(cluster, timeoutMs, options) {
      await pollUntil(
        async () => {
          const missing = (await Promise.all(cluster.nodes.map((n) => notReady(cluster, n, options)))).filter((m): m is string => m !== undefined);
          if (missing.length > 0) return missing.join('; ');
          if (spec.ready.leader && !(await leaderOf(cluster))) return 'every node ready but no leader known yet';
          return true;
        },
        { timeoutMs, describe: `${spec.name} ready (${name}: ready)` },
      );
    },
    leader: spec.leader ? leaderOf : undefined,
    client: (endpoint, options) => new DeclarativeClient(spec, name, endpoint, options as Record<string, unknown>),
  }) as unknown as Target;
}
