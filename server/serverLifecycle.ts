/**
 * @packageDocumentation
 * Starting and draining the HTTP server: listen, work out the addresses it answers on, and on
 * shutdown stop accepting, wait for requests in flight, then let the caller flush storage.
 */
import type { Server } from 'restify';

export interface ListeningServer {
  /** This server's address on this machine, with the real port when PORT=0. */
  origin: string;
  /** Where people open the chat: PUBLIC_URL, or the real local address when PORT=0. */
  url: string;
  /** Stops accepting connections and waits (at most `graceMs`) for requests in flight. */
  drain(graceMs?: number): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string;
  publicUrl: string;
  inFlight: () => number;
}

const DEFAULT_GRACE_MS = 10_000;

export async function listen(server: Server, options: ListenOptions): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const wildcard = options.host === '0.0.0.0' || options.host === '::' || options.host === 'localhost';
  const loopbackHost = wildcard ? '127.0.0.1' : options.host;
  const origin = `http://${loopbackHost.includes(':') ? `[${loopbackHost}]` : loopbackHost}:${port}`;
  const url = options.port === 0 ? `http://localhost:${port}` : options.publicUrl;
  return {
    origin,
    url,
    drain: async (graceMs = DEFAULT_GRACE_MS) => {
      server.close();
      const deadline = Date.now() + graceMs;
      while (options.inFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}
