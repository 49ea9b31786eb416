/**
 * The install path a user takes: `npm pack`, `npm install <tarball>` in an empty project, then the bin, the
 * checker, the shipped types (a TypeScript target file typechecks against them) and a run of that target
 * file (`--target ./my-target.ts`, no build step) in the user's directory. Needs Docker and the registry.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(repo, 'test', 'package', 'fixtures');
const project = mkdtempSync(join(tmpdir(), 'faultline-user-'));

function faultline(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(join(project, 'node_modules', '.bin', 'faultline'), args, { cwd: project, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function typecheck(file: string): { code: number; out: string } {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(repo, 'node_modules', '@types')] },
      files: [file],
    }),
  );
  const r = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

beforeAll(() => {
  // The tarball is made from the current build (CI builds on `npm ci`); prepack would rebuild dist/ under other tests.
  if (!existsSync(join(repo, 'dist', 'src', 'index.d.ts'))) throw new Error('dist/ is not built: run `npm run build` first');
  const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', project], { cwd: repo, encoding: 'utf8' }).trim().split('\n').pop()!;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-db-tests', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(project, tarball)], { cwd: project, stdio: 'pipe' });
  copyFileSync(join(fixtures, 'my-target.ts'), join(project, 'my-target.ts'));
}, 240_000);

describe('installed from the tarball into an empty project', () => {
  it('ships the build, the image recipes and the types, and no sources or tests', () => {
    const pkg = join(project, 'node_modules', 'faultline');
    for (const f of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/targets/raftkv/target.js', 'dist/raftkv/server/main.js', 'docker/node-app/Dockerfile', 'reports/templates/run-report.hbs', 'bin/faultline.js']) {
      expect(existsSync(join(pkg, f)), f).toBe(true);
    }
    expect(existsSync(join(pkg, 'src'))).toBe(false);
    expect(existsSync(join(pkg, 'test'))).toBe(false);
  });

  it('npx faultline --help works', () => {
    const r = faultline(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/faultline run/);
  });

  it('faultline check judges a history', () => {
    copyFileSync(join(repo, 'test', 'fixtures', 'histories', 'register-stale-read.jsonl'), join(project, 'h.jsonl'));
    const r = faultline(['check', '--model', 'cas-register', 'h.jsonl']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/INVALID/);
  });

  it("a TypeScript target importing 'faultline' typechecks with the shipped types, and a type error is caught", () => {
    const ok = typecheck('my-target.ts');
    expect(ok.out).toBe('');
    expect(ok.code).toBe(0);
    writeFileSync(join(project, 'wrong.ts'), readFileSync(join(project, 'my-target.ts'), 'utf8').replace("String(options['heartbeat-ms'])", "options['heartbeat-ms'].toUpperCase()"));
    const wrong = typecheck('wrong.ts');
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/toUpperCase.*does not exist on type 'number'/);
  });

  it('a bad --target-opt for the file target is refused before anything starts, naming the option', () => {
    const r = faultline(['run', '--target', './my-target.ts', '--target-opt', 'heartbeat-ms=abc']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/option heartbeat-ms=abc is not valid: expected a number/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('faultline run --target ./my-target.ts builds its image, runs, and writes the report in the project', () => {
    const r = faultline(['run', '--target', './my-target.ts', '--time-limit', '8', '--nemesis', 'partition', '--nemesis-interval', '3']);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.code, r.err.slice(-2000)).toBe(0);
    // store/<test name>/<start stamp>/, in the user's directory.
    const tests = readdirSync(join(project, 'store')).filter((d) => d.startsWith('my-raftkv-'));
    expect(tests).toHaveLength(1);
    const stamps = readdirSync(join(project, 'store', tests[0]!)).filter((d) => /^\d{4}-/.test(d));
    expect(stamps).toHaveLength(1);
    const runDir = join(project, 'store', tests[0]!, stamps[0]!);
    expect(readdirSync(runDir).filter((d) => !d.startsWith('.'))).toEqual(expect.arrayContaining(['history.jsonl', 'results.json', 'report.html']));
  }, 300_000);
});
