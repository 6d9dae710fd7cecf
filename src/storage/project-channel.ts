/**
 * Tells other tabs that a project was saved or deleted, so a tab holding the same project can
 * reload it or warn its user instead of silently overwriting the other tab's work.
 */
export type ProjectEvent = { type: 'saved'; projectId: string; revision: number } | { type: 'deleted'; projectId: string };

/** An event as received: stamped with the sending tab. */
export type ProjectMessage = ProjectEvent & { tabId: string };

export const PROJECT_CHANNEL = 'tensorloom-projects';

export class ProjectChannel {
  readonly tabId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly channel: BroadcastChannel | null;

  constructor(name = PROJECT_CHANNEL) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
  }

  post(message: ProjectEvent): void {
    this.channel?.postMessage({ ...message, tabId: this.tabId });
  }

  /** Calls `listener` for messages from other tabs; returns the unsubscribe function. */
  subscribe(listener: (message: ProjectMessage) => void): () => void {
    const channel = this.channel;
    if (!channel) return () => {};
    const onMessage = (e: MessageEvent<ProjectMessage>) => {
      if (e.data && e.data.tabId !== this.tabId) listener(e.data);
    };
    channel.addEventListener('message', onMessage);
    return () => channel.removeEventListener('message', onMessage);
  }

  close(): void {
    this.channel?.close();
  }
}
