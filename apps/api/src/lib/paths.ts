// The project's root, found from this file whether it runs from source (tsx) or from the bundle
// in apps/api/dist: the nearest folder above with the wangge package.json.
import fs from 'node:fs';
import path from 'node:path';

function findRoot(): string {
  let dir = import.meta.dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'wangge') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the wangge project root above ${import.meta.dirname}`);
    dir = up;
  }
}

export const PROJECT_ROOT = findRoot();
