// Bundles the API server into apps/api/dist/server.mjs (packages stay external), so that
// `npm start` runs plain node: no TypeScript loader at start-up.
import { build } from 'esbuild';

await build({
  entryPoints: ['apps/api/src/server.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: 'apps/api/dist/server.mjs',
  sourcemap: true,
  logLevel: 'warning',
});
