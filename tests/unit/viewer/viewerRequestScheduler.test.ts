import { describe, expect, it } from 'vitest';
import { RequestScheduler, type ScheduledRequest } from '../../../viewer/src/foveated/RequestScheduler.js';

/** Loads that finish only when the test says so, recording start order and abort signals. */
function controllableLoads() {
  const started: string[] = [];
  const signals = new Map<string, AbortSignal>();
  const finishers = new Map<string, (value: string) => void>();
  const request = (key: string, priority: number): ScheduledRequest<string> => ({
    key,
    priority,
    load: (signal) => {
      started.push(key);
      signals.set(key, signal);
      return new Promise((resolve, reject) => {
        finishers.set(key, resolve);
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    },
  });
  const finish = async (key: string) => {
    finishers.get(key)!(`value of ${key}`);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { started, signals, request, finish };
}

function scheduler(concurrency: number) {
  const events = { loaded: [] as string[], failed: [] as string[], aborted: [] as string[] };
  const instance = new RequestScheduler<string>(concurrency, {
    onLoad: (key) => events.loaded.push(key),
    onError: (key) => events.failed.push(key),
    onAbort: (key) => events.aborted.push(key),
  });
  return { instance, events };
}

describe('RequestScheduler', () => {
  it('starts the most urgent requests first, never more than `concurrency` at once', async () => {
    const loads = controllableLoads();
    const { instance, events } = scheduler(2);
    instance.update([loads.request('far', 30), loads.request('base', -1), loads.request('near', 2), loads.request('mid', 10)]);
    expect(loads.started).toEqual(['base', 'near']);
    expect(instance.queued).toEqual(['mid', 'far']);
    await loads.finish('near');
    expect(loads.started).toEqual(['base', 'near', 'mid']);
    await loads.finish('base');
    await loads.finish('mid');
    await loads.finish('far');
    expect(events.loaded).toEqual(['near', 'base', 'mid', 'far']);
    expect(instance.inFlight).toEqual([]);
  });

  it('cancels what the gaze left: queued requests are dropped, in-flight ones aborted, unless kept', async () => {
    const loads = controllableLoads();
    const { instance, events } = scheduler(2);
    instance.update([loads.request('a', 1), loads.request('b', 2), loads.request('c', 3)]);
    expect(loads.started).toEqual(['a', 'b']);
    // The gaze moved: now d and e matter; b is still within the hysteresis, so it is kept.
    instance.update([loads.request('d', 1), loads.request('e', 2)], new Set(['b']));
    expect(loads.signals.get('a')!.aborted).toBe(true);
    expect(loads.signals.get('b')!.aborted).toBe(false);
    expect(events.aborted).toEqual(['a']);
    expect(loads.started).toEqual(['a', 'b', 'd']);
    expect(instance.queued).toEqual(['e']);
    // c was never started and is no longer wanted.
    await loads.finish('b');
    expect(loads.started).toEqual(['a', 'b', 'd', 'e']);
    expect(events.loaded).toEqual(['b']);
    // An aborted request's late rejection is not reported as a failure.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events.failed).toEqual([]);
  });

  it('re-prioritises the queue on every update, and cancelAll aborts everything', async () => {
    const loads = controllableLoads();
    const { instance, events } = scheduler(1);
    instance.update([loads.request('x', 1), loads.request('y', 2), loads.request('z', 3)]);
    instance.update([loads.request('x', 1), loads.request('z', 0), loads.request('y', 5)]);
    expect(instance.queued).toEqual(['z', 'y']);
    instance.cancelAll();
    expect(loads.signals.get('x')!.aborted).toBe(true);
    expect(instance.queued).toEqual([]);
    expect(events.aborted).toEqual(['x']);
    expect(() => new RequestScheduler(0, { onLoad: () => {}, onError: () => {} })).toThrow(/concurrency/);
  });

  it('reports a failed load and moves on', async () => {
    const { instance, events } = scheduler(1);
    const failing: ScheduledRequest<string> = { key: 'bad', priority: 0, load: () => Promise.reject(new Error('404')) };
    const loads = controllableLoads();
    instance.update([failing, loads.request('good', 1)]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events.failed).toEqual(['bad']);
    expect(loads.started).toEqual(['good']);
  });
});
