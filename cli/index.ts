export { runCli } from './program.js';
export { exitCodes } from './errors.js';
