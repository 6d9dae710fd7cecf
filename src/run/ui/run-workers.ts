/**
 * The workers behind the run on screen: the live run's, and the last ended run's, which stays
 * until the next run so its trained model can still be exported and its agent watched.
 */
import type { FaultInjection } from '../../protocol/liveness';
import type { RunClient } from '../client-types';

export class RunWorkers {
  /** The live run's worker, or null between runs. */
  live: RunClient | null = null;
  private ended: RunClient | null = null;
  /** Whether the live or ended worker sent a checkpoint, so it holds a model to export. */
  hasModel = false;

  /** A new run's worker takes over; the previous run's is released. */
  begin(client: RunClient): void {
    this.ended?.dispose();
    this.ended = null;
    this.hasModel = false;
    this.live = client;
  }

  /** The live run ended: its worker is kept for export, unless it is gone (then with its model). */
  retire(workerGone: boolean): void {
    if (workerGone) {
      this.live?.dispose();
      this.hasModel = false;
    }
    this.ended = workerGone ? null : this.live;
    this.live = null;
  }

  /** Whether `client` is the ended run's worker (it still plays watched episodes). */
  isEnded(client: RunClient): boolean {
    return client === this.ended;
  }

  private get any(): RunClient | null {
    return this.live ?? this.ended;
  }

  /** The newest checkpoint a worker holds in memory, if one does. */
  async latestModel(): Promise<unknown> {
    const worker = this.any;
    return worker && this.hasModel ? worker.latestCheckpoint() : undefined;
  }

  /** RL: plays a held-out episode with `driver`; needs a worker of this page. */
  async watch(driver: 'agent' | 'idm' | 'random', seed: number): Promise<void> {
    const worker = this.any;
    if (!worker?.watch) throw new Error('no worker to play episodes: run the agent in this page first');
    await worker.watch(driver, seed);
  }

  get canWatch(): boolean {
    return Boolean(this.any?.watch);
  }

  /** Development builds' e2e hook: hands the live run's worker a fault to act out. */
  injectFault(fault: FaultInjection): boolean {
    if (!this.live?.injectFault) return false;
    this.live.injectFault(fault);
    return true;
  }

  dispose(): void {
    this.live?.dispose();
    this.ended?.dispose();
    this.live = null;
    this.ended = null;
  }
}
