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
    // A busy 2-core CI machine can take seconds to finish an animation or a request: polls wait
    // up to 20 s (a poll that never holds still fails; this is no assertion on time).
    expect: { poll: { timeout: 20_000, interval: 100 } },
    globalSetup: ['apps/api/test/global-setup.ts', 'e2e/build-web.ts'],
  },
});
