/** Time (µs since the test began) as a short label: "12.345 s", "850 ms". */
export function formatTime(us: number): string {
  const s = us / 1e6;
  return `${s.toFixed(Math.abs(s) < 10 ? 3 : 2)} s`;
}

/** Duration (µs) as a short label. */
export function formatDuration(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1e6) return `${(us / 1000).toFixed(us < 1e4 ? 2 : 1)} ms`;
  return `${(us / 1e6).toFixed(2)} s`;
}

/** A "nice" step (1, 2 or 5 × 10^k) so that `span` holds about `count` steps. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n < 1.5 ? 1 : n < 3.5 ? 2 : n < 7.5 ? 5 : 10) * mag;
}

export const STATUS_NAMES = ['ok', 'fail', 'info'] as const;
export const STATUS_COLORS = ['#6db6fe', '#feb5da', '#ffaa26'];
export const CX_COLOR = '#d0021b';
