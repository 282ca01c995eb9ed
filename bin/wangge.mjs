#!/usr/bin/env node
// `npx wangge <command>`: runs the TypeScript CLI through tsx, no build step needed.
import { register } from 'tsx/esm/api';

register();
await import('../apps/api/src/cli.ts');
