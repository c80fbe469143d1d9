import { isTransientFailure } from './transientFailure.js';

/** Tries in all by default, as the SDK's own default (maxAttempts 3). */
const defaultMaxAttempts = 3;
const baseDelayMs = 100;

/**
 * `attempt` made again, after a jittered backoff, when it fails transiently: for the calls whose failure the
 * SDK cannot retry itself, because the failing part happens outside its retry loop (a streamed request body it
 * cannot rewind, a response body read after the call has returned). Only for idempotent calls.
 */
export async function retryTransient<T>(attempt: () => Promise<T>, maxAttempts = defaultMaxAttempts): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= maxAttempts || !isTransientFailure(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (tries - 1) * (0.5 + Math.random())));
    }
  }
}
