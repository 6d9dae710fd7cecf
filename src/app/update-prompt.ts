/**
 * What the page says when a new version of Tensorloom has been downloaded by the service worker.
 * The new version never takes over on its own: it waits until the user presses Reload, and Reload
 * is refused while a run is training in this tab (a reload would cut the run short). When another
 * tab applies the update, this tab is told and reloads only when its user says so.
 */

/** `waiting`: a new version is installed and waits; `applied`: another tab already switched to it. */
export type UpdateState = 'current' | 'waiting' | 'applied';

export interface UpdateBanner {
  text: string;
  /** False while a run is active: the button is shown disabled with `hint`. */
  canReload: boolean;
  hint?: string;
}

/** The banner for `state`, or null when there is nothing to say. */
export function updateBanner(state: UpdateState, runActive: boolean): UpdateBanner | null {
  if (state === 'current') return null;
  const text =
    state === 'waiting'
      ? 'A new version of Tensorloom is ready — reload to use it.'
      : 'Tensorloom was updated in another tab — reload to use the new version.';
  if (!runActive) return { text, canReload: true };
  return { text, canReload: false, hint: 'A run is training in this tab; reload once it has stopped (reloading now would cut it short).' };
}

/** How the service worker is asked to take over (skip waiting); resolves once the message is sent. */
export type ApplyUpdate = () => Promise<void>;

/**
 * The update's state as an external store for React, fed by the service worker's registration
 * callbacks (`src/app/service-worker.ts`).
 */
export class UpdateNotifier {
  private state: UpdateState = 'current';
  private apply: ApplyUpdate | null = null;
  private reloading = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly reloadPage: () => void = () => location.reload()) {}

  getState = (): UpdateState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(state: UpdateState): void {
    if (state === this.state) return;
    this.state = state;
    for (const l of [...this.listeners]) l();
  }

  /** A new version is installed and waiting; `apply` lets it take over. */
  waiting(apply: ApplyUpdate): void {
    this.apply = apply;
    if (this.state === 'current') this.set('waiting');
  }

  /** The new version now controls this page: asked for here (reload now) or by another tab (say so). */
  controlled(): void {
    if (this.reloading) this.reloadPage();
    else this.set('applied');
  }

  /**
   * The user pressed Reload. Returns false (and does nothing) while a run is active, so no code
   * path can reload mid-run.
   */
  async reload(runActive: boolean): Promise<boolean> {
    if (runActive || this.state === 'current') return false;
    if (this.state === 'applied' || !this.apply) {
      this.reloadPage();
      return true;
    }
    // The page reloads from `controlled()` once the new version has taken over.
    this.reloading = true;
    await this.apply();
    return true;
  }

  /** Hides the banner until the next update arrives. */
  dismiss(): void {
    this.set('current');
  }
}
