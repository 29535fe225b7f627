/**
 * @packageDocumentation
 * Typed reads of restify's untyped route and query parameters: a missing or non-text value is ''.
 */
import type { Request } from 'restify';

export function routeParam(req: Request, name: string): string {
  const params: unknown = req.params;
  const value = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

export function queryParam(req: Request, name: string): string {
  const query: unknown = req.query;
  const value = typeof query === 'object' && query !== null ? (query as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}
