import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportData } from '../../reports/report-data.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'runs');
export const CASES = ['valid', 'invalid', 'unknown', 'empty', 'crashed'] as const;

export function tempDir(prefix = 'fl-report-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A writable copy of a fixture run (renders write report.html next to the run files). */
export function copyFixture(name: string, to = join(tempDir(), name)): string {
  cpSync(join(FIXTURES, name), to, { recursive: true });
  return to;
}

/** The JSON a report embeds for its in-page code. */
export function embeddedData(html: string): ReportData {
  const m = /<script type="application\/json" id="fl-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no fl-data block');
  return JSON.parse(m[1]) as ReportData;
}

/** Visible text of the static HTML, roughly: tags stripped, entities for quotes decoded. */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ');
}
