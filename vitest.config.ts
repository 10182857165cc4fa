import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The sandbox spawns Node processes for Lambda; two cores are shared with those.
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // `vitest run` (npm test, CI) runs both; `--project unit` skips the long proof tables
    // (least privilege and crash safety per demo, test/proof/) while working on something else.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/proof/**'] } },
      { extends: true, test: { name: 'proof', include: ['test/proof/**/*.test.ts'] } },
    ],
  },
});
