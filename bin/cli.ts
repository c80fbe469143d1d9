#!/usr/bin/env node
/** `npm run cli -- <command>` and the `xr-media` bin: operate a local or deployed pipeline. Only wiring here. */
import { runCli } from '../cli/index.js';

process.exitCode = await runCli(process.argv);
