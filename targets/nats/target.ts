/**
 * NATS JetStream 2.9.10 (Debian's nats-server) as a target, written only against Faultline's public API.
 * The register/kv/set state lives in one JetStream KV bucket (`faultline`) replicated on every node
 * (or `--target-opt replicas=N`); clients speak the NATS protocol through the `nats` npm client.
 * nats-server is a Go program: it reads time through the vDSO, not libc, so libfaketime cannot skew it
 * and clock faults are reported as "not affected", as for etcd.
 */
import { defineTarget } from '../../src/index.js';
import { NatsKvClient } from './client.js';
import { streamLeader, waitUntilReady } from './cluster.js';
import { CLIENT_PORT, CONFIG_ENV, DATA_DIR, natsCommand, natsConfig } from './config.js';
import { natsImage } from './image.js';
import { bucketReplicas, natsOptions } from './options.js';

export const natsTarget = defineTarget({
  name: 'nats',
  description: 'NATS JetStream 2.9.10 (Debian package), KV bucket through the nats npm client',
  options: natsOptions,
  capabilities: { partition: true, pause: true, kill: true, clock: false },
  defaultNodes: 3,
  clientPort: CLIENT_PORT,
  image: natsImage,

  node({ node, nodes, options }) {
    // Refuse an impossible bucket before any container starts.
    bucketReplicas(options, nodes.length);
    return {
      cmd: natsCommand(),
      env: { [CONFIG_ENV]: natsConfig(node, nodes) },
      dataDir: DATA_DIR,
      // JetStream's file store: message blocks and the stream/raft state beside them.
      dataFiles: 'jetstream/**/*.blk',
    };
  },

  ready: (cluster, timeoutMs, options) => waitUntilReady(cluster, timeoutMs, options),

  /** The stream leader of the bucket: it orders every write and serves read=leader reads. */
  leader: (cluster) => streamLeader(cluster),

  client: (endpoint, options) => new NatsKvClient(endpoint, { read: options.read }),
});

export default natsTarget;
