/**
 * A stand-in for deploying a new version: an HTTP proxy in front of the production build that, once
 * told, serves a different service-worker script (the same build plus a comment). Browsers compare
 * the script byte for byte, so to the page this is a new release; no rebuild needed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class ReleaseProxy {
  private release = 1;
  private constructor(
    private readonly server: Server,
    /** Origin of the proxy, e.g. `http://localhost:41234` (its own origin: its own service worker). */
    readonly origin: string,
  ) {}

  /** Starts a proxy for `upstream` (an origin) on a free port. */
  static async start(upstream: string): Promise<ReleaseProxy> {
    let proxy: ReleaseProxy | null = null;
    const server = createServer((req, res) => {
      void (async () => {
        const response = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method, headers: { accept: req.headers.accept ?? '*/*' } });
        let body = Buffer.from(await response.arrayBuffer());
        if (new URL(req.url ?? '/', upstream).pathname === '/sw.js' && proxy && proxy.release > 1) {
          body = Buffer.concat([body, Buffer.from(`\n// release ${proxy.release}\n`)]);
        }
        const headers: Record<string, string> = {};
        // fetch() has already decoded the body, so its encoding and length no longer apply.
        response.headers.forEach((value, name) => {
          if (name !== 'content-encoding' && name !== 'content-length' && name !== 'transfer-encoding') headers[name] = value;
        });
        res.writeHead(response.status, headers).end(body);
      })().catch((err: unknown) => res.writeHead(502).end(String(err)));
    });
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    proxy = new ReleaseProxy(server, `http://localhost:${(server.address() as AddressInfo).port}`);
    return proxy;
  }

  /** From now on, the service-worker script is that of the next release. */
  publishNextRelease(): void {
    this.release++;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
