export interface LogLine {
  text: string;
  /** Whether the line is the one closest to the anomaly. */
  mark: boolean;
}

export interface NodeLogExcerpt {
  node: string;
  /** "around" when timestamps let us pick lines near the anomaly; otherwise "tail". */
  mode: 'around' | 'tail';
  lines: LogLine[];
  totalLines: number;
  note: string;
}

const TIMESTAMP = /(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)(Z|[+-]\d{2}:?\d{2})?/;

/** Epoch ms of the first ISO-like timestamp in the line's first 64 characters; a missing zone means UTC. */
export function lineTime(line: string): number | undefined {
  const m = TIMESTAMP.exec(line.slice(0, 64));
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2].replace(',', '.')}${m[3] ?? 'Z'}`);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The part of one node's log a reader needs: with timestamps and a known anomaly time, the lines from
 * `beforeMs` before to `afterMs` after it (untimed lines inherit the previous line's time), at most
 * `maxLines`, centred on the anomaly; otherwise the last `maxLines` lines.
 */
export function excerptLog(
  node: string,
  text: string,
  anomalyMs: number | undefined,
  { beforeMs = 5000, afterMs = 3000, maxLines = 60 } = {},
): NodeLogExcerpt {
  const all = text.split('\n');
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  const tail = (note: string): NodeLogExcerpt => ({
    node,
    mode: 'tail',
    lines: all.slice(-maxLines).map((t) => ({ text: t, mark: false })),
    totalLines: all.length,
    note,
  });
  if (all.length === 0) return { node, mode: 'tail', lines: [], totalLines: 0, note: 'the log is empty' };
  if (anomalyMs === undefined) return tail(`last ${Math.min(maxLines, all.length)} of ${all.length} lines`);

  const times: (number | undefined)[] = [];
  let last: number | undefined;
  let timed = 0;
  for (const line of all) {
    const t = lineTime(line);
    if (t !== undefined) {
      timed++;
      last = t;
    }
    times.push(last);
  }
  if (timed === 0) return tail(`no timestamps in this log: last ${Math.min(maxLines, all.length)} of ${all.length} lines`);

  const inWindow: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const t = times[i];
    if (t !== undefined && t >= anomalyMs - beforeMs && t <= anomalyMs + afterMs) inWindow.push(i);
  }
  if (inWindow.length === 0) {
    return tail(`no lines within ${beforeMs / 1000}s before / ${afterMs / 1000}s after the anomaly: last ${Math.min(maxLines, all.length)} lines`);
  }
  // The closest line at or before the anomaly is the mark; keep up to 2/3 of the budget before it.
  let markPos = 0;
  inWindow.forEach((lineNo, pos) => {
    if ((times[lineNo] ?? Infinity) <= anomalyMs) markPos = pos;
  });
  const before = Math.floor((maxLines * 2) / 3);
  const from = Math.max(0, Math.min(markPos - before, inWindow.length - maxLines));
  const picked = inWindow.slice(from, from + maxLines);
  return {
    node,
    mode: 'around',
    lines: picked.map((lineNo) => ({ text: all[lineNo], mark: lineNo === inWindow[markPos] })),
    totalLines: all.length,
    note: `lines ${picked[0] + 1}–${picked[picked.length - 1] + 1} of ${all.length}, from ${beforeMs / 1000}s before to ${afterMs / 1000}s after the anomaly`,
  };
}
