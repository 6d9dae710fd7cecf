/**
 * Registers the service worker that vite-plugin-pwa builds (`vite.config.ts`), in production builds
 * only: the dev server has none, so edits to the code are never answered from a stale cache. Update events go
 * to the {@link UpdateNotifier} that the update prompt shows.
 */
/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';
import { UpdateNotifier } from './update-prompt';

/** How often a long-open page asks the server for a new version (a navigation asks too). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** The page's one notifier; stays `current` when no service worker is registered. */
export const updates = new UpdateNotifier();

export function registerServiceWorker(): void {
  // The editor benchmark's build (mode `bench`) gets none either: precaching 10 MB would run during its measurements.
  if (!import.meta.env.PROD || import.meta.env.MODE === 'bench' || !('serviceWorker' in navigator)) return;
  // A change of controller after the page already had one is a new version taking over: asked for
  // in this tab or in another. (The first visit's claim is not; workbox-window's own "controlling"
  // event misses updates in a page that was first claimed, so it is not used.)
  let hadController = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController) updates.controlled();
    hadController = true;
  });
  const apply = registerSW({
    immediate: true,
    onNeedRefresh: () => updates.waiting(() => apply()),
    // Given, so that the plugin does not `location.reload()` on its own, even in a tab that is training.
    onNeedReload: () => undefined,
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      setInterval(() => {
        if (navigator.onLine && !registration.installing) void registration.update().catch(() => undefined);
      }, UPDATE_CHECK_MS);
    },
    onRegisterError: (err: unknown) => console.warn('Offline use is unavailable: the service worker did not register.', err),
  });
}
