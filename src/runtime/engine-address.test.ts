import { describe, expect, it } from 'vitest';
import { dockerHostName, engineAddress } from './engine-address.js';

describe('engine address', () => {
  it('a local engine publishes and connects on 127.0.0.1', () => {
    for (const DOCKER_HOST of [undefined, 'unix:///var/run/docker.sock', 'tcp://127.0.0.1:2375', 'tcp://localhost:2375']) {
      expect(engineAddress({ DOCKER_HOST }), String(DOCKER_HOST)).toEqual({ publishOn: '127.0.0.1', connectTo: '127.0.0.1', remote: false });
    }
  });

  it('a remote engine: clients go to its host, ports are published where they can reach them', () => {
    expect(engineAddress({ DOCKER_HOST: 'tcp://10.0.0.7:2376' })).toEqual({ publishOn: '0.0.0.0', connectTo: '10.0.0.7', remote: true });
    expect(engineAddress({ DOCKER_HOST: 'ssh://ci@builder.internal' }).connectTo).toBe('builder.internal');
    expect(engineAddress({ DOCKER_HOST: 'tcp://127.0.0.2:2375', FAULTLINE_PUBLISH_IP: '127.0.0.2' })).toEqual({ publishOn: '127.0.0.2', connectTo: '127.0.0.2', remote: true });
    expect(engineAddress({ DOCKER_HOST: 'tcp://10.0.0.7:2376', FAULTLINE_NODE_HOST: '192.168.1.9' }).connectTo).toBe('192.168.1.9');
    expect(dockerHostName('tcp://[fd00::5]:2376')).toBe('fd00::5');
  });
});
