import type { CommandModule } from 'yargs';
import { FAKETIME_ENV } from '../../runtime/docker-cluster.js';
import { assertDockerReachable, DOCKER_FIX } from '../../runtime/docker-client.js';
import { BASE_REPOSITORY, listFaultlineImages } from '../../runtime/images/image-builder.js';
import { runOneOff } from '../../runtime/one-off.js';
import { isImageRecipe } from '../../core/image.js';
import { builtinTargets } from '../../targets/registry.js';
import { UsageError } from '../errors.js';

interface Check {
  name: string;
  run: () => Promise<void>;
}

class CheckFailed extends Error {
  constructor(message: string, readonly fix: string) {
    super(message);
  }
}

/** The probes doctor runs, in order; later ones are skipped once Docker or the base image is missing. */
function checks(state: { base?: string }): Check[] {
  return [
    {
      name: 'Docker engine reachable',
      run: async () => {
        try {
          await assertDockerReachable();
        } catch (err) {
          throw new CheckFailed(err instanceof Error ? err.message : String(err), DOCKER_FIX);
        }
      },
    },
    {
      name: 'images built',
      run: async () => {
        const refs = (await listFaultlineImages()).map((i) => i.ref);
        state.base = refs.find((r) => r.startsWith(`${BASE_REPOSITORY}:`));
        const recipes = (await builtinTargets()).flatMap((t) => (isImageRecipe(t.image) ? [t.image.repository] : []));
        const missing = [BASE_REPOSITORY, ...recipes].filter((repo) => !refs.some((r) => r.startsWith(`${repo}:`)));
        if (missing.length > 0) throw new CheckFailed(`missing: ${missing.join(', ')}`, 'run `faultline images build --all`');
      },
    },
    {
      name: 'iptables works in the tools image of the node sidecars (NET_ADMIN, FAULTLINE chain, statistic match)',
      run: async () => {
        if (!state.base) throw new CheckFailed('no base image to test with', 'run `faultline images build --all`');
        const script = 'iptables -w -N FAULTLINE && iptables -w -I INPUT -j FAULTLINE && iptables -w -A FAULTLINE -s 10.255.0.1 -j DROP && iptables -w -A FAULTLINE -m statistic --mode random --probability 0.1 -j DROP && iptables -w -F FAULTLINE';
        const r = await runOneOff(state.base, ['/bin/sh', '-c', script], { capAdd: ['NET_ADMIN'] });
        if (r.exitCode !== 0) {
          throw new CheckFailed(`iptables failed (${r.exitCode}): ${r.stderr.trim().split('\n')[0]}`, 'load the kernel modules on the Docker host: `modprobe nf_tables xt_statistic` (or ip_tables for the legacy backend)');
        }
      },
    },
    {
      name: 'libfaketime from the tools volume moves Date.now() for Node',
      run: async () => {
        if (!state.base) throw new CheckFailed('no base image to test with', 'run `faultline images build --all`');
        const script = `echo +1d > /faultline/faketime && node -e 'console.log(Date.now())'`;
        const r = await runOneOff(state.base, ['/bin/sh', '-c', script], { env: FAKETIME_ENV });
        const skew = Number(r.stdout.trim()) - Date.now();
        if (r.exitCode !== 0 || !(skew > 80_000_000)) {
          throw new CheckFailed(`expected about +1 day, saw ${Number.isFinite(skew) ? `${Math.round(skew / 1000)} s` : r.stderr.trim()}`, 'rebuild the images: `faultline images build --all --force`');
        }
      },
    },
  ];
}

export const doctorCommand: CommandModule = {
  command: 'doctor',
  describe: 'Check that this machine can run Faultline (Docker, images, iptables, libfaketime)',
  handler: async () => {
    const state: { base?: string } = {};
    let failed = 0;
    let skip = false;
    for (const check of checks(state)) {
      if (skip) {
        console.log(`- ${check.name}: skipped`);
        continue;
      }
      try {
        await check.run();
        console.log(`✓ ${check.name}`);
      } catch (err) {
        failed++;
        const fix = err instanceof CheckFailed ? err.fix : 'report this as a bug';
        console.log(`✗ ${check.name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n    fix: ${fix}`);
        if (check.name.startsWith('Docker')) skip = true;
      }
    }
    if (failed > 0) throw new UsageError(`${failed} check(s) failed; see the fixes above`);
    console.log('all checks passed');
  },
};
