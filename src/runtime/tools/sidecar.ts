/**
 * Faults on any image: Faultline's tools (iptables, libfaketime, a shell) live in a helper container per
 * node, never in the node's image. The helper ("sidecar") runs the tools image with the node's network
 * namespace (`NetworkMode: container:<node>`) and NET_ADMIN, so iptables rules it sets are the node's
 * rules; it shares a per-node tools volume mounted at /faultline in both containers, which Docker fills
 * from the tools image when the sidecar is created (libfaketime.so.1 and the timestamp file). The node
 * container mounts that volume read-only and gets LD_PRELOAD only when the run asks for clock faults.
 *
 * A node container that restarts gets a fresh network namespace while its sidecar would stay in the old,
 * dead one: `follow()` restarts the sidecar after every node start so it joins the new one.
 */
import type Docker from 'dockerode';
import { posix } from 'node:path';
import { CALL_TIMEOUT_MS, dockerStatus, withTimeout } from '../docker-client.js';
import { execIn } from '../exec.js';
import type { ExecResult } from '../types.js';

/** Where the tools volume is mounted in the node and in its sidecar. */
export const TOOLS_MOUNT = '/faultline';
/** libfaketime inside the tools volume (the tools image carries it at this path; see base-image.ts). */
export const FAKETIME_LIBRARY = `${TOOLS_MOUNT}/libfaketime.so.1`;
/** The timestamp file libfaketime reads on every clock call (FAKETIME_NO_CACHE=1); "+0" = no skew. */
export const FAKETIME_FILE = `${TOOLS_MOUNT}/faketime`;

/** Environment that makes a glibc process read its wall clock (not its monotonic clock) from FAKETIME_FILE. */
export const FAKETIME_ENV: Record<string, string> = {
  LD_PRELOAD: FAKETIME_LIBRARY,
  FAKETIME_TIMESTAMP_FILE: FAKETIME_FILE,
  FAKETIME_NO_CACHE: '1',
  FAKETIME_DONT_FAKE_MONOTONIC: '1',
};

/** The sidecar's own command: nothing but staying alive for execs (busybox sleep takes seconds). */
const IDLE_COMMAND = ['sleep', '2147483647'];

export interface SidecarSpec {
  name: string;
  toolsImage: string;
  /** The node container whose network namespace the sidecar joins. */
  nodeContainerId: string;
  toolsVolume: string;
  labels: Record<string, string>;
}

/** The create options of a sidecar (pure, for tests). */
export function sidecarCreateOptions(spec: SidecarSpec): Docker.ContainerCreateOptions {
  return {
    name: spec.name,
    Image: spec.toolsImage,
    Cmd: IDLE_COMMAND,
    Labels: spec.labels,
    HostConfig: {
      NetworkMode: `container:${spec.nodeContainerId}`,
      CapAdd: ['NET_ADMIN'],
      Init: true,
      // A fresh volume is filled from the tools image's /faultline when this container is created.
      Mounts: [{ Type: 'volume', Source: spec.toolsVolume, Target: TOOLS_MOUNT }],
    },
  };
}

/** The mount a node container gets: read-only, and never filled from the node's own image. */
export function nodeToolsMount(toolsVolume: string): Docker.MountSettings {
  // The type wants every VolumeOptions field; the engine needs only NoCopy.
  return { Type: 'volume', Source: toolsVolume, Target: TOOLS_MOUNT, ReadOnly: true, VolumeOptions: { NoCopy: true } as Docker.MountSettings['VolumeOptions'] };
}

/**
 * Arguments of the one exec that replaces `path` atomically: write a temporary file in the same
 * directory, then rename it over the target. libfaketime re-reads its file on every clock call, and a
 * moment with no file (or half a file) would be a moment with no offset. The content travels as an
 * argument, never through the shell's parser.
 */
export function atomicWriteCommand(path: string, content: string, unique: string): string[] {
  const temporary = posix.join(posix.dirname(path), `.${posix.basename(path)}.${unique}.tmp`);
  return ['/bin/sh', '-c', 'printf "%s" "$1" > "$2" && mv -f "$2" "$3"', 'write', content, temporary, path];
}

export class Sidecar {
  /** Whether the sidecar shares the node's current network namespace (false after the node stopped). */
  private joined = false;

  constructor(readonly node: string, readonly container: Docker.Container) {}

  /**
   * Starts the sidecar in the node's current network namespace; call after every start of the node.
   * A running sidecar is restarted: it still holds the namespace of the node's previous run.
   */
  async follow(): Promise<void> {
    this.joined = false;
    try {
      const info = await withTimeout(this.container.inspect(), CALL_TIMEOUT_MS, `inspect tools sidecar of ${this.node}`);
      if (info.State.Running) {
        await withTimeout(this.container.restart({ t: 0 }), CALL_TIMEOUT_MS, `restart tools sidecar of ${this.node}`);
      } else {
        await withTimeout(this.container.start(), CALL_TIMEOUT_MS, `start tools sidecar of ${this.node}`);
      }
    } catch (err) {
      if (dockerStatus(err) !== 304) throw err; // 304: already started, by a concurrent follow
    }
    this.joined = true;
  }

  isJoined(): boolean {
    return this.joined;
  }

  /** For a handle on a cluster found running (`cluster status|down`): its sidecar was started with it. */
  assumeJoined(): void {
    this.joined = true;
  }

  /** The node stopped (kill): until it starts again, rules set here would land in a dead namespace. */
  nodeStopped(): void {
    this.joined = false;
  }

  /** Runs a command with the tools, in the node's network namespace. */
  exec(cmd: string[], timeoutMs = 20_000): Promise<ExecResult> {
    return execIn(this.container, cmd, timeoutMs);
  }

  /** Like exec, but refuses while the node is down, so a rule is never reported set when it was not. */
  async execInNodeNetwork(cmd: string[], timeoutMs = 20_000): Promise<ExecResult> {
    if (!this.joined) throw new Error(`${this.node} is not running (its network rules are re-applied when it restarts)`);
    return this.exec(cmd, timeoutMs);
  }

  /** Replaces a file in the tools volume atomically; works while the node is down, too. */
  async writeFile(path: string, content: string): Promise<void> {
    if (path !== TOOLS_MOUNT && !path.startsWith(`${TOOLS_MOUNT}/`)) throw new Error(`${path} is not in the tools volume (${TOOLS_MOUNT})`);
    const unique = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const r = await this.exec(atomicWriteCommand(path, content, unique), CALL_TIMEOUT_MS);
    if (r.exitCode !== 0) throw new Error(`could not write ${path} for ${this.node}: ${r.stderr.trim()}`);
  }
}
