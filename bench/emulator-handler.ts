// The emulator's request handler alone, in this process, without sockets: the JavaScript of the
// request path (header scan, body read, V4 verification, routing, handler, response writing)
// driven with minimal request/response stand-ins, the same pre-signed requests every time. With
// `--base DIR`, another checkout's compiled emulator is loaded beside this one and the two are
// measured in alternating batches (ABAB…): on a machine shared with other work the CPU time of
// one process, in the same process, is the steadiest comparison available (no kernel, no load
// generator, no scheduler between two processes).
//   npx tsx bench/emulator-handler.ts [--base DIR] [--batches 20] [--requests 20000] [--mix absent|cycles] [--name emulator-handler]
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { numArg, strArg } from './lib/cli.ts';
import { presignAbsentDeletes, presignCycles, type Prepared } from './lib/load.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { BENCH_ACCOUNT, BENCH_KEY, BENCH_REGION } from './lib/servers.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

const BASE = strArg('base', '');
const BATCHES = Math.max(6, numArg('batches', 20));
const REQUESTS = numArg('requests', 20_000);
const MIX = strArg('mix', 'absent') === 'cycles' ? 'cycles' : 'absent';
const BUCKET = 'examplebucket';

type Handler = (req: unknown, res: unknown) => void;

/** What the handler reads of an IncomingMessage: method, url, rawHeaders, events 'data' and 'end'. */
class FakeRequest extends EventEmitter {
  readonly headers: Record<string, string> = {};
  readonly socket = { end() {}, destroy() {} };
  constructor(readonly method: string, readonly url: string, readonly rawHeaders: string[], body: Buffer) {
    super();
    queueMicrotask(() => { this.emit('data', body); this.emit('end'); });
  }
  pause(): this { return this; }
  resume(): this { return this; }
}

/** What the handler writes to a ServerResponse; resolves `done` with the status at `end`. */
class FakeResponse extends EventEmitter {
  headersSent = false;
  destroyed = false;
  status = 0;
  constructor(private readonly done: (status: number) => void) { super(); }
  writeHead(status: number): this { this.status = status; this.headersSent = true; return this; }
  end(): this { this.done(this.status); return this; }
}

function toRaw(p: Prepared): { url: string; raw: string[]; body: Buffer } {
  const body = Buffer.from(p.body);
  const raw = ['Host', '127.0.0.1:9000', 'Content-Length', String(body.length)];
  for (const [k, v] of Object.entries(p.headers)) raw.push(k, v);
  return { url: p.path, raw, body };
}

async function loadHandler(root: string): Promise<Handler> {
  const { createEmulatorInstance } = await import(pathToFileURL(join(root, 'dist', 'emulator', 'server.js')).href) as typeof import('../emulator/server.ts');
  return createEmulatorInstance({ buckets: [BUCKET], region: BENCH_REGION, accountId: BENCH_ACCOUNT, identities: [{ ...BENCH_KEY }], stateHook: false }).handler as Handler;
}

/** Sends `n` requests one after another through `handler`; returns CPU µs per request and the statuses seen. */
async function batch(handler: Handler, requests: Array<ReturnType<typeof toRaw>>, n: number, offset: number): Promise<{ us: number; statuses: Record<number, number> }> {
  const statuses: Record<number, number> = {};
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const r = requests[(offset + i) % requests.length]!;
    const status = await new Promise<number>((resolve) => handler(new FakeRequest('POST', r.url, r.raw, r.body), new FakeResponse(resolve)));
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  const d = process.cpuUsage(t0);
  return { us: (d.user + d.system) / n, statuses };
}

const requests = (MIX === 'cycles' ? presignCycles(BUCKET, REQUESTS / 2, 'h').flat() : presignAbsentDeletes(BUCKET, REQUESTS, 'h')).map(toRaw);
const subjects: Array<{ name: string; handler: Handler }> = [{ name: 'this checkout', handler: await loadHandler(ROOT) }];
if (BASE) subjects.push({ name: `base: ${BASE}`, handler: await loadHandler(BASE) });
// Warm-up: every subject until its optimised code settles.
for (const s of subjects) for (let w = 0; w < 3; w++) await batch(s.handler, requests, REQUESTS, 0);
const samples: Record<string, number[]> = Object.fromEntries(subjects.map((s) => [s.name, []]));
const ratios: number[] = [];
let statuses: Record<string, Record<number, number>> = {};
for (let b = 0; b < BATCHES; b++) {
  const order = b % 2 === 0 ? subjects : [...subjects].reverse();
  const got: Record<string, number> = {};
  for (const s of order) {
    const r = await batch(s.handler, requests, REQUESTS, 0);
    got[s.name] = r.us;
    samples[s.name]!.push(r.us);
    statuses = { ...statuses, [s.name]: r.statuses };
  }
  if (BASE) ratios.push(got['this checkout']! / got[`base: ${BASE}`]!);
}
// The same answers from both, or the comparison is void.
const seen = Object.values(statuses).map((s) => JSON.stringify(s));
if (new Set(seen).size > 1) throw new Error(`the subjects answered differently: ${JSON.stringify(statuses)}`);
const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(table(['handler', `CPU µs per request, ${MIX} (median of ${BATCHES} batches of ${REQUESTS})`], subjects.map((s) => [s.name, fmtSummary(summarize(samples[s.name]!), 2)])));
if (BASE) console.log(`\nthis checkout ÷ base, per pair of batches: ${fmtSummary(summarize(ratios), 3)}`);
console.log(`answers per batch: ${seen[0]}; load average at the end: ${loadavg}`);
console.log(`written ${writeResult(strArg('name', `emulator-handler-${MIX}`), { settings: { mix: MIX, batches: BATCHES, requests: REQUESTS, base: BASE || null }, loadAverageAtEnd: loadavg, statuses, samples, ratios })}`);
