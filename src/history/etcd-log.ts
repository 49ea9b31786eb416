import { parseEDNString } from 'edn-data';
import type { HistoryOp } from './types.js';

const LINE = /jepsen\.util\s+-\s+(\S+)\t:(invoke|ok|fail|info)\t:([\w-]+)\t?(.*)$/;

/**
 * Reads the op lines of a Jepsen log (`INFO  jepsen.util - 3\t:invoke\t:read\tnil`), the format of
 * Porcupine's etcd test data. Other lines are ignored. Times are the op's position (the log is ordered).
 */
export function parseJepsenLog(text: string): { ops: HistoryOp[]; lines: number[] } {
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    const m = LINE.exec(line);
    if (!m) return;
    const [, proc, type, f, rawValue] = m;
    let value: unknown = rawValue.trim();
    try {
      value = parseEDNString(rawValue.trim() || 'nil', { mapAs: 'object', keywordAs: 'string', listAs: 'array' } as never);
    } catch {
      // Free text (an exception message): keep it as a string.
    }
    const process = /^\d+$/.test(proc) ? Number(proc) : 'nemesis';
    ops.push({ index: ops.length, type: type as HistoryOp['type'], process, f, value, time: ops.length });
    lines.push(i + 1);
  });
  return { ops, lines };
}

export function looksLikeJepsenLog(head: string): boolean {
  return /jepsen\.util\s+-\s+\S+\t:(invoke|ok|fail|info)\t/.test(head);
}
