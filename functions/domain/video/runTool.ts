import { spawn } from 'node:child_process';
import { VideoTimeLimitError, VideoToolError } from './errors.js';

export interface ToolRun {
  binary: string;
  args: readonly string[];
  /** Named in errors and logs, e.g. 'the probe'. */
  step: string;
  /** Killed (SIGKILL) when still running after this. */
  timeLimitSeconds: number;
  /** Stdout beyond this is an error (a probe's JSON is small; anything huge is hostile). */
  maxStdoutBytes?: number;
  /** Called with each stdout line instead of collecting stdout (ffmpeg -progress pipe:1). */
  onStdoutLine?: (line: string) => void;
}

export interface ToolResult {
  exitCode: number;
  stdout: Buffer;
  /** The last lines ffmpeg wrote to stderr: the reason when it fails. */
  stderrTail: string;
}

const stderrTailBytes = 8 * 1024;

/**
 * Runs ffmpeg or ffprobe without a shell, with nothing on stdin, and kills it
 * when it overruns its time limit. A non-zero exit is returned, not thrown:
 * the caller knows what the failure means for its input.
 */
export function runTool(run: ToolRun): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.binary, run.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let pendingLine = '';
    let stderrTail = '';
    let failure: Error | undefined;
    const stop = (error: Error) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new VideoTimeLimitError(run.step, run.timeLimitSeconds)), run.timeLimitSeconds * 1000);

    child.stdout.on('data', (chunk: Buffer) => {
      if (run.onStdoutLine) {
        const lines = (pendingLine + chunk.toString('utf8')).split('\n');
        pendingLine = lines.pop() ?? '';
        for (const line of lines) run.onStdoutLine(line);
        return;
      }
      stdoutBytes += chunk.byteLength;
      if (run.maxStdoutBytes !== undefined && stdoutBytes > run.maxStdoutBytes) {
        return stop(new VideoToolError(`${run.step} wrote more than ${run.maxStdoutBytes} bytes`));
      }
      stdoutChunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-stderrTailBytes);
    });
    child.on('error', (error) => stop(new VideoToolError(`${run.step} could not start ${run.binary}: ${error.message}`)));
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (exitCode === null) return reject(new VideoToolError(`${run.step} was killed by ${signal}`));
      resolve({ exitCode, stdout: Buffer.concat(stdoutChunks), stderrTail: stderrTail.trim() });
    });
  });
}
