// Runs before each test file (setupFiles in vitest.config.ts). A worker runs many files in one
// module graph (isolate: false: the dependencies are imported once per worker, not once per file);
// esprov's own modules are evaluated afresh for each file, so no file sees state another left in
// them (the rules' address memo resting, for one). The temporary folders a file made are removed
// after it.
import { afterAll, vi } from 'vitest';
import { removeTempDirs } from './temp.js';

vi.resetModules();
afterAll(removeTempDirs);
