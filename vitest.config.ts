import { defineConfig } from 'vitest/config';

// Two projects: `unit` (fast, no Docker) and `integration` (real containers, files named *.int.test.ts).
// `npm test` runs both; `npm run test:unit` / `npm run test:integration` run one.
const shared = ['src', 'targets', 'checker', 'workloads', 'nemesis', 'reports', 'raftkv', 'docker', 'test', 'bench'];
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: shared.map((d) => `${d}/**/*.test.ts`),
          exclude: ['**/*.int.test.ts', '**/node_modules/**', 'dist/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: shared.map((d) => `${d}/**/*.int.test.ts`),
          exclude: ['**/node_modules/**', 'dist/**'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Containers share 2 cores: one integration file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
