import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/commands/check.js';

/**
 * Real histories cut at every byte offset, as a crash or a full disk would leave them. What may never
 * happen: a "valid" verdict for a cut file that does not say it was truncated, unless the cut is one no
 * reader can see. An EDN vector cut anywhere before its `]` is always visible (exit 3, or with
 * --allow-truncated a verdict on the complete ops that says "truncated"). A stream of lines (JSONL, or
 * Jepsen's history.edn with one map per line) cut exactly at a line boundary is indistinguishable from a
 * shorter complete file, so it is checked as such; a cut inside a line is visible.
 */
const dir = mkdtempSync(join(tmpdir(), 'faultline-cut-'));

async function checkText(name: string, text: string, model: string, init: string | undefined, allowTruncated: boolean) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const printed: string[] = [];
  const args = { files: [file], json: true, algorithm: 'auto', model, init, 'allow-truncated': allowTruncated, workers: 0 };
  const code = await runCheck(args as Parameters<typeof runCheck>[0], (l) => printed.push(l), () => {});
  return { code, result: JSON.parse(printed[0]) as { valid: unknown; truncated?: unknown; error?: string } };
}

/** True when every non-blank line of `prefix` is a whole line of `full` (the cut fell on a line boundary). */
function cutAtLineBoundary(full: string, prefix: string): boolean {
  const lines = prefix.split('\n');
  const last = lines.length - 1;
  return lines[last].trim() === '' || lines[last] === full.split('\n')[last];
}

const cases = [
  { file: 'test/fixtures/histories/knossos-cas-good.edn', kind: 'vector', model: 'cas-register', init: '0' },
  // Jepsen's history.edn layout, one op map per line (the first 6 ops; the fixture's last read is stale on purpose).
  { file: 'test/fixtures/histories/jepsen-independent.edn', kind: 'lines', model: 'kv', init: undefined, lines: 6 },
  { file: 'test/fixtures/histories/register-valid.jsonl', kind: 'lines', model: 'cas-register', init: undefined },
  // The first 12 lines of a recorded kv run (nemesis ops, fails, errors, nodes).
  { file: 'test/fixtures/runs/valid/history.jsonl', kind: 'lines', model: 'kv', init: undefined, lines: 12 },
  // A Jepsen log (etcd style): a logger ends every line, so a cut inside one (in the marker, in the value) is visible.
  { file: 'test/fixtures/histories/etcd-style.log', kind: 'lines', model: 'cas-register', init: undefined },
] as const;

describe('truncation fuzz: a history cut at every byte offset', () => {
  for (const c of cases) {
    it(`${c.file}${'lines' in c ? ` (first ${c.lines} lines)` : ''}`, async () => {
      let full = readFileSync(c.file, 'utf8');
      if ('lines' in c) full = full.split('\n').slice(0, c.lines).join('\n') + '\n';
      const name = `cut${c.file.slice(c.file.lastIndexOf('.'))}`;
      const whole = await checkText(name, full, c.model, c.init, false);
      expect(whole.result.valid).toBe(true);
      let errors = 0;
      let truncatedVerdicts = 0;
      for (let cut = 0; cut < full.length; cut++) {
        const prefix = full.slice(0, cut);
        const invisible = c.kind === 'vector' ? prefix.trimEnd() === full.trimEnd() : cutAtLineBoundary(full, prefix);
        const strict = await checkText(name, prefix, c.model, c.init, false);
        if (c.kind === 'vector' && !/\[/.test(prefix.replace(/;[^\n]*/g, ''))) {
          // Cut inside the leading comment: no form at all, an empty history ("unknown", exit 2).
          expect(strict.code).toBe(2);
          continue;
        }
        if (strict.result.valid === true) {
          expect(invisible, `cut at ${cut} read as complete and valid:\n${prefix}`).toBe(true);
          expect(strict.result.truncated).toBeUndefined();
        }
        if (!invisible) {
          expect(strict.code, `cut at ${cut} was not an error:\n${prefix}`).toBe(3);
          errors++;
        }
        const lenient = await checkText(name, prefix, c.model, c.init, true);
        // Every prefix of a good file is readable once cuts are allowed: a cut is never taken for damage.
        expect(lenient.code, `cut at ${cut} with --allow-truncated: ${lenient.result.error}`).not.toBe(3);
        if (lenient.result.valid === true && !invisible) {
          expect(lenient.result.truncated, `cut at ${cut}: valid without saying truncated`).toBeDefined();
          truncatedVerdicts++;
        }
      }
      expect(errors).toBeGreaterThan(full.length / 2);
      expect(truncatedVerdicts).toBeGreaterThan(0);
    });
  }
});
