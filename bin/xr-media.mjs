#!/usr/bin/env node
// The package's `xr-media` bin: runs bin/cli.ts through tsx, as `npm run cli` does.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
