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
  /** Called when draining starts: requests on connections kept alive are refused from then on. */
  refuseNewRequests?: () => void;
}

const DEFAULT_GRACE_MS = 10_000;

/**
 * How long an idle keep-alive connection stays open. Node closes after 5 s; a channel (Azure's front
 * door, the local Direct Line, any client with a keep-alive agent) that sends on a connection at the
 * moment the server closes it gets ECONNRESET. The side that waits longer must be the server, so
 * longer than the front ends' own idle time (Azure's is about 4 minutes).
 */
export const KEEP_ALIVE_MS = 5 * 60_000;

export async function listen(server: Server, options: ListenOptions): Promise<ListeningServer> {
  server.server.keepAliveTimeout = KEEP_ALIVE_MS;
  // headersTimeout and requestTimeout (Node's defaults) still bound a slow request: they run per request, not while idle.
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
      // close() stops new connections and ends idle ones; busy keep-alive ones could still bring new turns.
      options.refuseNewRequests?.();
      server.close();
      const deadline = Date.now() + graceMs;
      while (options.inFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      // close() ended only the connections idle at that moment; those busy then are idle now and
      // would stay open for the whole keep-alive time.
      server.server.closeAllConnections();
    },
  };
}
