import { spawn } from 'node:child_process';

/** The command that opens a URL in the default browser: $BROWSER if set (as many CLIs honour), else the platform's own. */
function browserCommand(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): { command: string; args: string[] } {
  if (env.BROWSER) return { command: env.BROWSER, args: [] };
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

/** A launcher (xdg-open) exits at once; a browser started directly keeps running and is left to run after this long. */
const launchGraceMs = 1500;

/** Starts the browser without waiting for it to close; rejects when the command cannot be started or fails at once. */
export function openUrl(url: string, platform = process.platform, env = process.env): Promise<void> {
  const { command, args } = browserCommand(platform, env);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true });
    const settle = (error?: Error) => {
      clearTimeout(grace);
      child.unref();
      if (error) reject(error);
      else resolve();
    };
    const grace = setTimeout(() => settle(), launchGraceMs);
    child.once('error', (error) => settle(new Error(`could not start ${command}: ${error.message}`)));
    child.once('exit', (code) => settle(code === 0 ? undefined : new Error(`${command} exited with code ${code}`)));
  });
}
