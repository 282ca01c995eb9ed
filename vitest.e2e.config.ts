// End-to-end tests: the real app (API + built web app) in-process, driven by Chromium via playwright-core.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    globalSetup: ['apps/api/test/global-setup.ts', 'e2e/build-web.ts'],
  },
});
