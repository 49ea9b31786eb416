/**
 * Where node ports are published and where the controller connects to them. With a local engine (a unix
 * socket, or tcp on a loopback address) both are 127.0.0.1, so nothing is exposed beyond this machine.
 * With a remote engine (DOCKER_HOST=tcp://host:2376 or ssh://user@host) the ports must be published on
 * an address the controller can reach, and clients connect to the engine's host instead of 127.0.0.1:
 *   FAULTLINE_PUBLISH_IP  the engine host's address to publish on (default 0.0.0.0 for a remote engine:
 *                         every interface of that host, so keep such an engine on a private network)
 *   FAULTLINE_NODE_HOST   the address clients connect to (default: DOCKER_HOST's host name)
 */
export interface EngineAddress {
  /** HostIp of every published port. */
  publishOn: string;
  /** Host the controller's clients connect to. */
  connectTo: string;
  remote: boolean;
}

const LOOPBACK = /^(localhost|127\.0\.0\.1|::1)$/i;

/** The host name in DOCKER_HOST, or undefined for a unix socket / named pipe / unset. */
export function dockerHostName(dockerHost: string | undefined): string | undefined {
  if (!dockerHost || !/^(tcp|ssh|http|https):\/\//i.test(dockerHost)) return undefined;
  try {
    return new URL(dockerHost.replace(/^tcp:/i, 'http:')).hostname.replace(/^\[(.*)\]$/, '$1') || undefined;
  } catch {
    return undefined;
  }
}

export function engineAddress(env: NodeJS.ProcessEnv = process.env): EngineAddress {
  const host = dockerHostName(env.DOCKER_HOST);
  const remote = host !== undefined && !LOOPBACK.test(host);
  return {
    publishOn: env.FAULTLINE_PUBLISH_IP ?? (remote ? '0.0.0.0' : '127.0.0.1'),
    connectTo: env.FAULTLINE_NODE_HOST ?? (remote ? host : '127.0.0.1'),
    remote,
  };
}
