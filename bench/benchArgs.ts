/** `--name value` from the command line as a positive number, or the fallback; anything else stops the bench with a sentence. */
export function numberArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!(value > 0 && Number.isFinite(value)))
    throw new Error(`--${name} takes a positive number, got ${JSON.stringify(process.argv[at + 1])}`);
  return value;
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
