import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Peak resident set of this process in MiB (VmHWM: per process image, unlike getrusage's maxrss, which a child inherits). */
export function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/**
 * Runs a bench script in a process of its own (so its peak memory is its
 * own), passing the input as JSON in argv; the child prints its result as
 * the last line of stdout. Its stderr passes through (progress lines).
 */
export async function runChild<Result>(script: string, input: unknown, nodeOptions: string[] = []): Promise<Result> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [...nodeOptions, '--no-warnings', '--import', 'tsx', path, JSON.stringify(input)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Result;
}

/** In a child: its input, and how it reports. */
export const childInput = <Input>() => JSON.parse(process.argv[2] ?? '{}') as Input;
export const childResult = (result: unknown) => console.log(JSON.stringify(result));
