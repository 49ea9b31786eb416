/** Short human text for an op's argument/result, the way the report labels bars: "write 5", "read → 3". */
export function formatValue(v: unknown): string {
  if (v === undefined) return '?';
  if (v === null) return 'nil';
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function describeOp(f: string, input: unknown, output: unknown, status: 'ok' | 'fail' | 'info'): string {
  const result = status === 'ok' ? output : undefined;
  if (f === 'read') return status === 'ok' ? `read → ${formatValue(result)}` : 'read';
  if (f === 'cas' && Array.isArray(input) && input.length === 2) {
    return `cas ${formatValue(input[0])}→${formatValue(input[1])}`;
  }
  if (input === null || input === undefined) {
    return status === 'ok' && result !== undefined && result !== null ? `${f} → ${formatValue(result)}` : f;
  }
  return `${f} ${formatValue(input)}`;
}
