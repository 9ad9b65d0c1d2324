import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real pwsh, real xrdp and real Chromium make some tests slow; none is timed.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node
    // refuses; inlined, Vite loads it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    projects: [
      { extends: true, test: { name: 'node', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/reliability/**/*.test.ts', 'test/e2e/**/*.test.ts'] } },
      // The renderer's components against a fake bridge, in a DOM; only these files pay for one.
      { extends: true, esbuild: { jsx: 'automatic' }, test: { name: 'dom', include: ['test/unit/renderer/**/*.test.tsx'], environment: 'happy-dom' } },
    ],
  },
});
