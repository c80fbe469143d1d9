/**
 * Faults the fault-injection switch provokes on purpose. They are never
 * MediaRejectedErrors: the pipeline must treat them as transient (retry), the
 * way it treats a real crash, timeout or storage outage.
 */
export class InjectedFaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InjectedFaultError';
  }
}

/** The handler threw at a write step: the records not yet finished are reported as failed and retried. */
export class InjectedCrashError extends InjectedFaultError {
  constructor(readonly step: number) {
    super(`injected crash after write step ${step}`);
    this.name = 'InjectedCrashError';
  }
}

/**
 * The worker process died mid-batch: nothing more is written, no response is
 * returned and no message is deleted, so the whole batch reappears after the
 * visibility timeout.
 */
export class WorkerKilledError extends InjectedFaultError {
  /** The write step it hit after, or 'end': after the batch, before the queue heard of it. */
  constructor(readonly step: number | 'end') {
    super(
      step === 'end'
        ? 'injected worker kill after the batch, before its messages were deleted'
        : `injected worker kill after write step ${step}`,
    );
    this.name = 'WorkerKilledError';
  }
}

export class InvalidFaultPlanError extends Error {
  constructor(detail: string) {
    super(`invalid fault plan: ${detail}`);
    this.name = 'InvalidFaultPlanError';
  }
}
