// `npm start`: build the web app and the server bundle when missing or older than their
// sources, then serve. `--build-only` stops after the builds.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const shared = path.join(root, 'packages/shared/src');

function newest(...dirs) {
  let t = 0;
  for (const dir of dirs) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }
  }
  return t;
}
const stale = (file, ...dirs) => !fs.existsSync(file) || fs.statSync(file).mtimeMs < newest(...dirs);
function run(what, args) {
  console.log(what);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const pages = ['index.html', 'report.html'].map((f) => path.join(root, 'apps/web', f));
const pageChanged = pages.some((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs > (fs.existsSync(path.join(root, 'apps/web/dist/index.html')) ? fs.statSync(path.join(root, 'apps/web/dist/index.html')).mtimeMs : 0));
if (pageChanged || !fs.existsSync(path.join(root, 'apps/web/dist/report.html')) || stale(path.join(root, 'apps/web/dist/index.html'), path.join(root, 'apps/web/src'), shared)) {
  run('正在构建网页… / building the web app…', [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn']);
}
const server = path.join(root, 'apps/api/dist/server.mjs');
if (stale(server, path.join(root, 'apps/api/src'), shared)) {
  run('正在构建服务… / building the server…', [path.join(root, 'scripts/build-server.mjs')]);
}
if (process.argv.includes('--build-only')) process.exit(0);
const child = spawn(process.execPath, ['--enable-source-maps', server], { cwd: process.cwd(), stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
