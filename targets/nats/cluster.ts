/**
 * Talking to the cluster as an operator: readiness (every server up, the JetStream meta leader known, the
 * run's KV bucket created and accepting writes through every server) and leader discovery (the stream
 * leader of the bucket's stream, which orders every write and serves read=leader reads).
 * Everything goes through the client port with the `nats` library: no monitoring port is needed.
 */
import { connect, type NatsConnection } from 'nats';
import { pollUntil, type Cluster, type Endpoint } from '../../src/index.js';
import { encodeValue, subjectFor } from './client.js';
import { BUCKET, bucketReplicas, STREAM, type NatsOptions } from './options.js';

const ADMIN_TIMEOUT_MS = 2_000;
/** The key readiness writes to; the workloads never use it. */
export const READY_KEY = 'faultline-ready';

async function withConnection<T>(endpoint: Endpoint, timeoutMs: number, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({
    servers: `${endpoint.host}:${endpoint.port}`,
    name: `faultline-admin-${endpoint.node}`,
    timeout: timeoutMs,
    reconnect: false,
    ignoreClusterUpdates: true,
  });
  try {
    return await fn(nc);
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/** The node a JetStream server name belongs to (server_name is the node name), if it is one of `nodes`. */
export function nodeOfServer(serverName: string | undefined, nodes: readonly string[]): string | undefined {
  return serverName !== undefined && nodes.includes(serverName) ? serverName : undefined;
}

/**
 * The leader most servers report: during an election, or while an isolated old leader still answers,
 * servers can disagree; a majority of the answers wins, ties go to the first answer.
 */
export function agreedLeader(answers: readonly (string | undefined)[], nodes: readonly string[]): string | undefined {
  const votes = new Map<string, number>();
  for (const a of answers) {
    const node = nodeOfServer(a, nodes);
    if (node) votes.set(node, (votes.get(node) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [node, n] of votes) if (best === undefined || n > votes.get(best)!) best = node;
  return best;
}

/** The stream leader as `node` reports it (STREAM.INFO is answered by the stream leader), or undefined. */
async function streamLeaderSeenFrom(cluster: Cluster, node: string, timeoutMs: number): Promise<string | undefined> {
  try {
    return await withConnection(cluster.endpoint(node), timeoutMs, async (nc) => {
      const jsm = await nc.jetstreamManager({ timeout: timeoutMs, checkAPI: false });
      return (await jsm.streams.info(STREAM)).cluster?.leader;
    });
  } catch {
    return undefined;
  }
}

/** The node leading the bucket's stream, asking every node at once. */
export async function streamLeader(cluster: Cluster, timeoutMs = ADMIN_TIMEOUT_MS): Promise<string | undefined> {
  const answers = await Promise.all(cluster.nodes.map((n) => streamLeaderSeenFrom(cluster, n, timeoutMs)));
  return agreedLeader(answers, cluster.nodes);
}

/** One readiness attempt; resolves with what is still missing ("" when ready). */
export async function readinessGap(cluster: Cluster, options: NatsOptions, replicas: number): Promise<string> {
  // Account info is answered by the meta leader only: success on every server = all up, leader known.
  const meta = await Promise.all(
    cluster.nodes.map((n) =>
      withConnection(cluster.endpoint(n), ADMIN_TIMEOUT_MS, async (nc) => {
        await (await nc.jetstreamManager({ timeout: ADMIN_TIMEOUT_MS, checkAPI: false })).getAccountInfo();
      }).then(
        () => undefined,
        (err: Error) => `${n}: ${err.message}`,
      ),
    ),
  );
  const down = meta.filter(Boolean);
  if (down.length > 0) return `no JetStream meta leader answer via ${down.join('; ')}`;

  const first = cluster.endpoint(cluster.nodes[0]!);
  // Created exactly as a user of the library's KV view would (it binds when the bucket exists).
  const created = await withConnection(first, ADMIN_TIMEOUT_MS, async (nc) => {
    await nc.jetstream({ timeout: ADMIN_TIMEOUT_MS }).views.kv(BUCKET, { history: 1, replicas, allow_direct: options.read === 'direct' });
  }).then(
    () => '',
    (err: Error) => `bucket ${BUCKET} not created yet: ${err.message}`,
  );
  if (created) return created;

  const writes = await Promise.all(
    cluster.nodes.map((n) =>
      withConnection(cluster.endpoint(n), ADMIN_TIMEOUT_MS, async (nc) => {
        await nc.jetstream({ timeout: ADMIN_TIMEOUT_MS }).publish(subjectFor(READY_KEY), encodeValue(n));
      }).then(
        () => undefined,
        (err: Error) => `${n}: ${err.message}`,
      ),
    ),
  );
  const refused = writes.filter(Boolean);
  return refused.length > 0 ? `bucket ${BUCKET} not accepting writes via ${refused.join('; ')}` : '';
}

/** Resolves once `readinessGap` finds nothing missing; rejects with the last gap after `timeoutMs`. */
export async function waitUntilReady(cluster: Cluster, timeoutMs: number, options: NatsOptions): Promise<void> {
  const replicas = bucketReplicas(options, cluster.nodes.length);
  await pollUntil(async () => (await readinessGap(cluster, options, replicas)) || true, {
    timeoutMs,
    intervalMs: 250,
    describe: `NATS cluster with bucket ${BUCKET} (R${replicas}, read=${options.read})`,
  });
}
