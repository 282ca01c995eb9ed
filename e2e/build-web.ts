// Global setup: build the web app when apps/web/dist is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
export const WEB_DIST = path.join(root, 'apps/web/dist');

function newest(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of fs.readdirSync(p)) t = Math.max(t, newest(path.join(p, e)));
  return t;
}

export default function setup() {
  const index = path.join(WEB_DIST, 'index.html');
  const sources = Math.max(
    newest(path.join(root, 'apps/web/src')),
    newest(path.join(root, 'apps/web/index.html')),
    newest(path.join(root, 'apps/web/report.html')),
    newest(path.join(root, 'apps/web/vite.config.ts')),
    newest(path.join(root, 'packages/shared/src')),
  );
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn'],
    // NODE_ENV is "test" under vitest: without this the web app would be built with React's development build.
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`building the web app failed (exit ${r.status})`);
}
