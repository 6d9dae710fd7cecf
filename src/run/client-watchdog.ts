/**
 * Decides when a worker's uncaught error means the run is dead. An `error` event on a Worker does
 * not always end it (a nested worker's error bubbles up too), so the run fails only when the
 * worker then stays silent for `graceMs`; any later event from it clears the alarm.
 */
export class WorkerWatchdog {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly onDead: (message: string) => void,
    private readonly graceMs = 15_000,
  ) {}

  /** The worker reported an uncaught error. */
  error(message: string): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onDead(message);
    }, this.graceMs);
  }

  /** The worker spoke: it is alive. */
  alive(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
  }

  dispose(): void {
    this.alive();
  }
}

/** Readable text for a Worker `error` event (its message, or where it came from). */
export function workerErrorText(e: ErrorEvent): string {
  const where = e.filename ? ` (${e.filename.split('/').pop()}:${e.lineno})` : '';
  return `${e.message || 'an uncaught error'}${where}`;
}
