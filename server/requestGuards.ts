/**
 * @packageDocumentation
 * Checks every request passes before any route or body parser sees it, and the headers every
 * response carries.
 *
 * @remarks restify 11.1's body reader ends the process on a body that claims `gzip` but is not
 * (an unhandled zlib `error` event, upstream restify #1975 and #1785), and a small valid gzip body
 * can inflate far past the size limit. So an encoded body is refused with 415 here, in `server.pre`,
 * before anything reads it; the limit on the wire is then also the limit after decoding. Every body
 * must be JSON: a form post from any web page open on the same machine cannot drive the bot. In
 * local mode the Host header must name this server (`PUBLIC_URL`'s host or a loopback name), so a
 * page that re-binds its own domain to 127.0.0.1 (DNS rebinding) is not served.
 */
import type { Request, Response } from 'restify';

export interface RequestGuardOptions {
  maxBodyBytes: number;
  /** Host names (without port) this server answers to; `null` accepts any (production, behind a proxy). */
  allowedHostNames: ReadonlySet<string> | null;
}

export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]', '::1'];

/**
 * An empty `<style>` element: a Web Chat dependency inserts one without the nonce and fills it
 * through CSSOM (which CSP does not govern), so allowing exactly the empty text admits nothing else.
 */
const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/** Own scripts only; styles from our files or with this response's nonce (Web Chat injects its styles). */
export function pageContentSecurityPolicy(styleNonce: string | null, pageHost: string | null = null): string {
  // The page streams from its own origin over a WebSocket: name ws:/wss: of that host, since
  // browsers before CSP 3 do not count them as 'self'.
  const streamSources =
    pageHost && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(pageHost) ? ` ws://${pageHost} wss://${pageHost}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    styleNonce ? `style-src 'self' 'nonce-${styleNonce}' ${EMPTY_STYLE_HASH}` : "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob: data:",
    `connect-src 'self'${streamSources}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** For JSON and files that are no page: nothing may run or frame them. */
const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export type GuardVerdict = { status: number; code: string; message: string } | null;

/** What is wrong with a request before its body is read, or `null` when it may go on. */
export function checkRequest(req: Pick<Request, 'headers' | 'method'>, options: RequestGuardOptions): GuardVerdict {
  if (options.allowedHostNames) {
    const host = hostName(req.headers.host);
    if (host === null || !options.allowedHostNames.has(host)) {
      return { status: 421, code: 'HostNotAllowed', message: 'This server does not answer to that host name.' };
    }
  }
  const encoding = headerText(req.headers['content-encoding']);
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') {
    return { status: 415, code: 'UnsupportedEncoding', message: 'Send the body without Content-Encoding.' };
  }
  const lengthText = headerText(req.headers['content-length']);
  const length = lengthText !== null && /^\d{1,15}$/.test(lengthText.trim()) ? Number(lengthText.trim()) : null;
  if (lengthText !== null && length === null) return { status: 400, code: 'BadRequest', message: 'The Content-Length is not valid.' };
  if (length !== null && length > options.maxBodyBytes) {
    return { status: 413, code: 'PayloadTooLarge', message: `The body is larger than ${options.maxBodyBytes} bytes.` };
  }
  const hasBody = (length !== null && length > 0) || headerText(req.headers['transfer-encoding']) !== null;
  if (hasBody && !isJsonType(headerText(req.headers['content-type']))) {
    return { status: 415, code: 'UnsupportedMediaType', message: 'Send the body as application/json.' };
  }
  return null;
}

/** Headers for every response; a page (HTML) sets its own Content-Security-Policy over the default. */
export function setSecurityHeaders(res: Pick<Response, 'setHeader'>): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('content-security-policy', NON_PAGE_CSP);
  res.setHeader('x-frame-options', 'SAMEORIGIN');
}

/** The host names a local-mode server answers to: `PUBLIC_URL`'s and the loopback names. */
export function localHostNames(publicUrl: string): Set<string> {
  return new Set([...LOOPBACK_HOST_NAMES, new URL(publicUrl).hostname.toLowerCase()]);
}

/** The host name (without port) a Host header names, or `null` when it is missing or malformed. */
export function hostName(header: unknown): string | null {
  const text = headerText(header);
  if (text === null) return null;
  const value = text.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/.exec(value);
  return match ? match[1] : null;
}

function headerText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value.join(',');
  return null;
}

function isJsonType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type === 'application/json';
}
