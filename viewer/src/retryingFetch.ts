/** Attempts of one request that meets a dropped connection, a 5xx or throttling. */
const attempts = 4;
const firstBackoffMs = 250;

const worthAnotherTry = (status: number) => status >= 500 || status === 429;

/**
 * Fetch that rides out a blip: a request whose connection fails, or that a
 * busy origin answers 5xx or 429, is made again after a growing pause (250,
 * 500, 1000 ms), up to four times; the last answer or error is the caller's.
 * An aborted request is never repeated. Every request the viewer makes reads
 * (or asks for a share link, which is safe to ask for twice).
 */
export function retryingFetch(
  fetchImpl: typeof fetch,
  sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
): typeof fetch {
  return async (input, init) => {
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt === attempts;
      try {
        const response = await fetchImpl(input, init);
        if (last || !worthAnotherTry(response.status)) return response;
      } catch (error) {
        if (last || init?.signal?.aborted) throw error;
      }
      await sleep(firstBackoffMs * 2 ** (attempt - 1));
    }
  };
}
