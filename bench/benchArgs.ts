/** `--name value` from the command line as a number, or the fallback. */
export function numberArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** `--name value` from the command line, or undefined. */
export function stringArg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** The parts named by `--skip a,b`. */
export function skippedParts(): Set<string> {
  const at = process.argv.indexOf('--skip');
  return new Set(at >= 0 ? process.argv[at + 1]!.split(',') : []);
}
