import { createPrng } from '../functions/domain/vq/index.js';

/**
 * When the local mode SIGKILLs a worker process (`workerProcesses.kills`): a seeded share of invocations, each at
 * a random moment before it answers, so most land mid-item and many mid-write.
 */
export interface ProcessKillPlan {
  seed: number;
  /** Fraction of invocations whose process is killed before it answers (0–1). */
  rate: number;
  /** The kill comes at a uniform moment in the invocation's first `withinMs` ms; one that answers sooner escapes it. */
  withinMs: number;
  /** Tests: the kill comes right after the invocation's write step N instead (stages whose item store reports writes). */
  afterWrite?: number;
  /** Tests: no more kills than this in all. */
  limit?: number;
}

/** What to do to one invocation: kill it at a moment, after a write step, or leave it be. */
type KillMoment = { atMs: number } | { afterWrite: number } | undefined;

export interface ProcessKiller {
  /** Drawn once per invocation. */
  draw(): KillMoment;
  /** A kill that reached a process still busy with its invocation. */
  landed(): void;
  kills(): number;
}

export function createProcessKiller(plan: ProcessKillPlan): ProcessKiller {
  const dice = createPrng(plan.seed ^ 0x6b1);
  let drawn = 0;
  let landed = 0;
  return {
    draw() {
      // Two draws every time, so the same plan replays the same kills.
      const kill = dice.next() < plan.rate;
      const atMs = dice.next() * plan.withinMs;
      if (!kill || drawn >= (plan.limit ?? Infinity)) return undefined;
      drawn += 1;
      return plan.afterWrite === undefined ? { atMs } : { afterWrite: plan.afterWrite };
    },
    landed() {
      landed += 1;
    },
    kills: () => landed,
  };
}
