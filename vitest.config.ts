import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The e2e tier: files that spawn the CLI (dist/cli.js, so `npm run build` first) and kill, signal or
 * wait on it. Every other file is the unit tier, which starts no process (test/helpers/cli.ts refuses
 * to spawn there, so a new CLI test must be listed here).
 */
export const E2E = [
  'test/cli.*.test.ts',
  'test/crash*.test.ts',
  'test/fidelity.account.test.ts',
  'test/heap.test.ts',
  'test/import-export.test.ts',
  'test/import.pages.test.ts',
  'test/nightly.test.ts',
  'test/output.errors-out.test.ts',
  'test/output.modes.test.ts',
  'test/output.summary-width.test.ts',
  'test/plan.changes.test.ts',
  'test/pipeline.overlap.test.ts',
  'test/plan.duplicates-result.test.ts',
  'test/plan.duplicates.test.ts',
  'test/progress.test.ts',
  'test/samples.test.ts',
  'test/secrets.test.ts',
  'test/state.damage.test.ts',
];

/** The files that take longest, mostly waiting (Retry-After, slow orders, kills): started first, so none is the tail. */
const LONGEST = ['test/cli.chaos.test.ts', 'test/cli.run.test.ts', 'test/crash.points.test.ts', 'test/cli.signals.test.ts', 'test/import-export.test.ts'];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const at = LONGEST.findIndex((name) => f.moduleId.endsWith(name));
      return at < 0 ? LONGEST.length : at;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Threads start faster than forks, and one module graph per worker (isolate: false) is imported
    // once instead of once per file: the tests share no module state they change (no vi.mock).
    pool: 'threads',
    isolate: false,
    // Most files wait (on a child process, the sandbox's timers, loopback): more workers than the
    // 2 cores keep the CPU busy. Measured on 2 cores: see README, "Tests".
    maxWorkers: 6,
    setupFiles: ['test/helpers/fresh-modules.ts'],
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: E2E, env: { ESPROV_TEST_TIER: 'unit' } } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
