/**
 * Page object for the installed-app side of the production build: the service worker, the network
 * switch, the web manifest and Chromium's installability verdict.
 */
import { expect, type BrowserContext, type Page, type Worker } from '@playwright/test';

export interface WebManifest {
  name?: string;
  short_name?: string;
  theme_color?: string;
  start_url?: string;
  display?: string;
  icons?: { src: string; sizes?: string; type?: string }[];
}

export class OfflinePage {
  /** Same-origin requests that reached the network instead of the service worker (while recording). */
  readonly fromNetwork: string[] = [];
  /** Responses the service worker answered (while recording). */
  servedByServiceWorker = 0;
  private recording = false;

  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
  ) {
    page.on('response', (response) => {
      if (!this.recording) return;
      if (response.fromServiceWorker()) {
        this.servedByServiceWorker++;
        return;
      }
      const url = new URL(response.url());
      // blob: URLs (wasm's thread workers) share the page's origin but never touch the network.
      if (url.protocol.startsWith('http') && url.origin === new URL(page.url()).origin) this.fromNetwork.push(`${response.status()} ${url.pathname}`);
    });
  }

  /** Waits until the service worker is active, has precached the build and controls this page. */
  async waitForServiceWorker(timeout = 60_000): Promise<void> {
    await expect
      .poll(() => this.page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), { timeout, message: 'a service worker should control the page' })
      .toBe('activated');
  }

  /** Asks the server for a new version now (browsers otherwise check on navigation). */
  async checkForUpdate(): Promise<void> {
    await this.page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
  }

  /** The page's service worker as Playwright sees it (to look at the network from its side). */
  serviceWorker(): Worker {
    const [sw] = this.context.serviceWorkers();
    if (!sw) throw new Error('no service worker in this context');
    return sw;
  }

  /** Names of the precached files, read from Cache Storage. */
  async precached(): Promise<string[]> {
    return this.page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
  }

  /** Cuts the network (pages, their workers and the service worker) and records what still reaches it. */
  async goOffline(): Promise<void> {
    await this.context.setOffline(true);
    this.recording = true;
  }

  async manifest(): Promise<{ href: string; manifest: WebManifest }> {
    const href = await this.page.locator('link[rel="manifest"]').getAttribute('href');
    if (!href) throw new Error('index.html links no manifest');
    const text = await this.page.evaluate(async (h) => (await fetch(h)).text(), href);
    return { href, manifest: JSON.parse(text) as WebManifest };
  }

  /** Chromium's reasons why the app could not be installed (empty when it can). */
  async installabilityErrors(): Promise<string[]> {
    const cdp = await this.context.newCDPSession(this.page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    await cdp.detach();
    return installabilityErrors.map((e) => e.errorId);
  }
}
