/**
 * What a run tested, asked of the Docker engine once the cluster is up: the image each node runs (tag, id,
 * registry digests) and the engine's version. The containers are the source of truth, not the image
 * builder: they name exactly the image they were created from, whoever built or pulled it.
 */
import { docker, withTimeout } from '../runtime/docker-client.js';
import { LABEL } from '../runtime/labels.js';
import type { ImageRecord } from '../store/run-files.js';

export interface Provenance {
  images: Record<string, ImageRecord>;
  /** Docker engine version, e.g. "26.1.5+dfsg1". */
  docker?: string;
}

const CALL_MS = 15_000;

export async function clusterProvenance(runId: string): Promise<Provenance> {
  const d = docker();
  const containers = await withTimeout(
    d.listContainers({ all: true, filters: { label: [`${LABEL.run}=${runId}`] } }),
    CALL_MS,
    'list containers',
  );
  const images: Record<string, ImageRecord> = {};
  for (const c of containers) {
    const tag = c.Image;
    if (images[tag]) continue;
    const inspected = await withTimeout(d.getImage(c.ImageID).inspect(), CALL_MS, `inspect image ${tag}`).catch(() => undefined);
    images[tag] = {
      id: c.ImageID,
      digests: inspected?.RepoDigests ?? [],
      ...(inspected?.Created ? { created: inspected.Created } : {}),
    };
  }
  const version = await withTimeout(d.version(), CALL_MS, 'engine version').catch(() => undefined);
  return { images, ...(version?.Version ? { docker: version.Version } : {}) };
}
