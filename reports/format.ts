/** Milliseconds in the unit a person would say: "850 µs", "12.3 ms", "4.20 s", "2 min 05 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
}

export function formatVerdict(v: unknown): string {
  return v === true ? 'valid' : v === false ? 'invalid' : v === 'unknown' ? 'unknown' : v === 'not-checked' ? 'not checked' : String(v ?? '—');
}

export function formatConfigValue(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return v || '—';
  if (Array.isArray(v)) return v.length ? v.map(formatConfigValue).join(', ') : '—';
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length ? entries.map(([k, x]) => `${k}=${formatConfigValue(x)}`).join(' ') : '—';
  }
  return String(v);
}
