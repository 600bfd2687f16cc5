// Prism 5.16.0 (@stoplight/prism-http-server, the server `prism proxy` and `prism mock` start) with one
// component replaced: a query-key router. Prism's own router selects an operation by path and method
// alone (prism-http router/matchPath; the server hands it `pathname`), so it cannot tell
// `POST /?deleteVectorIndex` from `POST /?putVectorIndex`. This router first looks for the document's
// path item keyed by a query key of the request (`/?deleteVectorIndex`, `/{bucket}/?deleteVectorIndex`),
// and falls back to Prism's router over the path-only items. Validation, forwarding and mocking stay
// Prism's. Every exchange is recorded with the violations Prism found (request and response side).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
type Either<L, R> = { _tag: 'Left'; left: L } | { _tag: 'Right'; right: R };
interface Resource { path: string; method: string; id: string; iid?: string; [k: string]: unknown }
interface Input { method: string; url: { path: string; query?: Record<string, unknown> }; headers?: Record<string, string | string[]>; body?: unknown }
interface Output { statusCode: number; headers?: Record<string, string>; body?: unknown }
interface Violation { message: string; severity: number; path?: string[] }

export interface Exchange {
  method: string;
  path: string;
  query: string[];
  /** The document's path item Prism validated against, or null: no route. */
  pathItem: string | null;
  operationId: string | null;
  headers: Record<string, string | string[]>;
  /** The body as Prism parsed it (JSON) or read it (text); null: none. */
  body: unknown;
  status: number | null;
  responseBody: unknown;
  requestViolations: string[];
  responseViolations: string[];
}

export interface PrismServer {
  url: string;
  exchanges: Exchange[];
  close(): Promise<void>;
}

/** A copy of a Prism resource with another path, keeping non-enumerable properties (`__bundled__`). */
function withPath(r: Resource, path: string): Resource {
  const copy = Object.create(Object.getPrototypeOf(r), Object.getOwnPropertyDescriptors(r)) as Resource;
  copy.path = path;
  Object.defineProperty(copy, '__ovcPathItem', { value: r.path, enumerable: false });
  return copy;
}

/** Prism's router, preceded by a look-up of the path item keyed by one of the request's query keys. */
export function queryKeyRouter(prismRoute: (a: { resources: Resource[]; input: Input }) => Either<Error, Resource>) {
  return ({ resources, input }: { resources: Resource[]; input: Input }): Either<Error, Resource> => {
    for (const key of Object.keys(input.url.query ?? {})) {
      const keyed = resources.filter((r) => r.path.endsWith(`?${key}`)).map((r) => withPath(r, r.path.slice(0, r.path.indexOf('?'))));
      if (!keyed.length) continue;
      const hit = prismRoute({ resources: keyed, input });
      if (hit._tag === 'Right') return hit;
    }
    const plain = resources.filter((r) => !r.path.includes('?')).map((r) => withPath(r, r.path));
    return prismRoute({ resources: plain, input });
  };
}

const messages = (e: Either<Violation[], unknown>): string[] =>
  e._tag === 'Left' ? e.left.filter((v) => v.severity === 0).map((v) => `${(v.path ?? []).join('.')} ${v.message}`.trim()) : [];

/**
 * Starts Prism on a free loopback port: a validating proxy to `upstream`, or (upstream null) a mock.
 * `queryRouting: false` keeps Prism's own router (what the `prism` CLI does).
 */
export async function startPrism(documentFile: string, upstream: string | null, opts: { queryRouting?: boolean } = {}): Promise<PrismServer> {
  const { getHttpOperationsFromSpec } = require('@stoplight/prism-http');
  const prismRoute = require('@stoplight/prism-http/dist/router').default;
  const validator = require('@stoplight/prism-http/dist/validator');
  const prismForward = require('@stoplight/prism-http/dist/forwarder').default;
  const { createServer } = require('@stoplight/prism-http-server');
  const { createLogger } = require('@stoplight/prism-core');
  const operations = await getHttpOperationsFromSpec(documentFile);
  const exchanges: Exchange[] = [];
  const byInput = new WeakMap<object, Exchange>();
  const exchangeOf = (input: Input, resource: Resource | null): Exchange => {
    let x = byInput.get(input);
    if (!x) {
      x = { method: input.method.toUpperCase(), path: input.url.path, query: Object.keys(input.url.query ?? {}), pathItem: null, operationId: null,
        headers: input.headers ?? {}, body: input.body ?? null, status: null, responseBody: null, requestViolations: [], responseViolations: [] };
      byInput.set(input, x);
      exchanges.push(x);
    }
    if (resource) {
      x.pathItem = (resource as any).__ovcPathItem ?? resource.path;
      x.operationId = resource.iid ?? resource.id;
    }
    return x;
  };
  const byOutput = new WeakMap<object, Exchange>();
  const route = opts.queryRouting === false
    ? (a: { resources: Resource[]; input: Input }) => prismRoute(a)
    : queryKeyRouter(prismRoute);
  const components = {
    logger: createLogger('PRISM', { level: 'silent' }),
    route: (a: { resources: Resource[]; input: Input }) => {
      const r = route(a);
      exchangeOf(a.input, r._tag === 'Right' ? r.right : null);
      return r;
    },
    validateInput: (a: { resource: Resource; element: Input }) => {
      const r = validator.validateInput(a);
      exchangeOf(a.element, a.resource).requestViolations.push(...messages(r));
      return r;
    },
    validateOutput: (a: { resource: Resource; element: Output }) => {
      const r = validator.validateOutput(a);
      const x = byOutput.get(a.element);
      if (x) x.responseViolations.push(...messages(r));
      return r;
    },
    forward: (arg: { data: Input }, ...rest: unknown[]) => (logger: unknown) => {
      const te = prismForward(arg, ...rest)(logger) as () => Promise<Either<Error, Output>>;
      return async () => {
        const e = await te();
        const x = exchangeOf(arg.data, null);
        if (e._tag === 'Right') { x.status = e.right.statusCode; x.responseBody = e.right.body ?? null; byOutput.set(e.right, x); }
        return e;
      };
    },
  };
  const shared = { validateRequest: true, validateResponse: true, checkSecurity: true, errors: false, upstreamProxy: undefined, mock: { dynamic: false } };
  const config = upstream ? { ...shared, isProxy: true, upstream: new URL(upstream) } : { ...shared, isProxy: false };
  const server = createServer(operations, { cors: false, config, components });
  const address: string = await server.listen(0, '127.0.0.1');
  return { url: address.replace(/\/$/, ''), exchanges, close: () => server.close() };
}
