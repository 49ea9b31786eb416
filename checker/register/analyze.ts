import type { Operation } from '../../src/history/types.js';
import { buildChains, type Chain, type InternalContradiction, versionBounds, type VersionBounds } from './chains.js';
import { type ChainConflict, orderChains } from './chain-order.js';
import { opPoints } from './points.js';
import { buildVersions, findCasCycle, type StructuralContradiction, type Versions } from './versions.js';

export type Contradiction =
  | StructuralContradiction
  | InternalContradiction
  | (ChainConflict & { chains: Chain[] });

export type Analysis =
  | { kind: 'valid'; versions: Versions; bounds: VersionBounds; chains: Chain[]; order: Int32Array }
  | { kind: 'invalid'; versions: Versions; contradiction: Contradiction }
  | { kind: 'fallback'; reason: string };

/**
 * Decides a single-register history with unique written values in O(n log n) time and O(n) memory:
 * versions from values, chains from cas ops, then Gibbons & Korach's zone argument over the chains.
 * `allowCas` is false for the plain `register` model (a cas there falls back to the search, which rejects it).
 */
export function analyzeRegister(ops: readonly Operation[], init: unknown, allowCas: boolean): Analysis {
  const built = buildVersions(ops, opPoints(ops), init, allowCas);
  if (built.kind === 'fallback') return built;
  const versions = built.versions;
  if (built.kind === 'contradiction') return { kind: 'invalid', versions, contradiction: built.contradiction };
  const bounds = versionBounds(versions);
  const walked = buildChains(versions, bounds);
  if ('kind' in walked) return { kind: 'invalid', versions, contradiction: walked };
  const cycle = findCasCycle(versions, walked.visited);
  if (cycle) return { kind: 'invalid', versions, contradiction: { kind: 'cycle', ops: cycle } };
  const ordered = orderChains(walked.chains);
  if (ordered.kind === 'conflict') {
    return { kind: 'invalid', versions, contradiction: { ...ordered, chains: walked.chains } };
  }
  return { kind: 'valid', versions, bounds, chains: walked.chains, order: ordered.order };
}
