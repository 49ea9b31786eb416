/**
 * `--shard i/n`: run only this machine's part of a campaign, so a CI system's own matrix (GitHub's
 * strategy.matrix, GitLab's parallel) splits it over n jobs. The campaign is a list in a fixed order
 * (the same flags give the same list everywhere); item k belongs to shard (k mod n) + 1. Round robin
 * rather than blocks: each shard gets a similar mix of slow and fast recipes.
 */
import { UsageError } from '../cli/errors.js';

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard "${text}" is not i/n with 1 <= i <= n`, 'e.g. --shard 1/4 ... --shard 4/4, one per CI job');
  }
  return { index, count };
}

/** Whether item `position` (0-based, in the campaign's fixed order) is this shard's to run. */
export function inShard(position: number, shard: Shard | undefined): boolean {
  return !shard || position % shard.count === shard.index - 1;
}

export const shardLabel = (shard: Shard): string => `${shard.index}/${shard.count}`;
