/**
 * The NATS target's `--target-opt`s and the KV bucket they describe.
 * `read=direct` (default): kv.get as the client library does it on a bucket with direct get allowed
 * ($JS.API.DIRECT.GET, answered by any replica, usually the one the client is connected to).
 * `read=leader`: the bucket is created with allow_direct false, so a read is $JS.API.STREAM.MSG.GET,
 * answered by the stream leader. `replicas=N`: the bucket's replication factor (default: every node).
 */
import { UsageError, z } from '../../src/index.js';

/** JetStream refuses a stream with more than 5 replicas. */
export const MAX_REPLICAS = 5;
export const BUCKET = 'faultline';
export const STREAM = `KV_${BUCKET}`;

export const natsOptions = z.object({
  read: z
    .enum(['direct', 'leader'])
    .default('direct')
    .describe('direct: kv.get answered by any replica (DIRECT.GET); leader: bucket without direct get, reads answered by the stream leader (STREAM.MSG.GET)'),
  replicas: z.number().int().min(1).max(MAX_REPLICAS).optional().describe('replicas of the KV bucket (default: the node count, at most 5)'),
});

export type NatsOptions = z.output<typeof natsOptions>;
export type ReadPath = NatsOptions['read'];

/** The bucket's replica count on a cluster of `nodes`; more replicas than nodes is a UsageError. */
export function bucketReplicas(options: Pick<NatsOptions, 'replicas'>, nodes: number): number {
  const replicas = options.replicas ?? Math.min(nodes, MAX_REPLICAS);
  if (replicas > nodes) {
    throw new UsageError(`nats option replicas=${replicas} exceeds the ${nodes} nodes of the cluster`, `use --target-opt replicas=${nodes} or more --nodes`);
  }
  return replicas;
}
