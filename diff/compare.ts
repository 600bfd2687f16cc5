// Compares what two targets answered to the same case: the `when` exchange(s) in full (status,
// Error.Code, response header names, non-volatile header values, body shape and deterministic
// values), the `then` exchanges in order by status and code, and the `given` exchanges by status
// (as notes). Names the run created differ between runs: they are normalised first.
import { parseAddress } from '../protocol/addressing.ts';
import type { Exchange } from '../reports/model.ts';
import type { CassetteMeta, RecordedExchange } from './cassette.ts';
import { questionOfAnswers, questionOfBodyPath, questionOfHeader } from './questions.ts';

/** Response headers whose values are never compared (they differ on every answer). */
export const VOLATILE_HEADERS: readonly string[] = [
  'date', 'x-oss-request-id', 'x-oss-server-time', 'x-oss-ec', 'content-length', 'connection', 'keep-alive', 'server',
];

/** Framing headers: present or not depending on the transport (keep-alive, chunking); not compared at all. */
export const FRAMING_HEADERS: readonly string[] = ['connection', 'keep-alive', 'transfer-encoding', 'content-length'];

/**
 * Headers the documentation asserts (docs/design.md rule 3): a difference in these is a difference in a
 * documented part. Content-Type only where a body is sent.
 */
export const DOCUMENTED_HEADERS: readonly string[] = ['content-type', 'x-oss-request-id', 'date'];

/** JSON body paths whose values are deterministic and compared (after name normalisation). */
export const VALUE_PATHS: readonly string[] = [
  'Error.Code', 'Error.BucketName', 'index.indexName', 'index.status', 'index.dataType', 'index.dimension', 'index.distanceMetric',
];

/** JSON body paths the documentation defines: a missing field or a changed type there is documented. */
export const DOCUMENTED_PATHS: readonly string[] = [
  'Error', 'Error.Code', 'Error.Message', 'Error.RequestId',
  'index', 'index.indexName', 'index.dataType', 'index.dimension', 'index.distanceMetric', 'index.status', 'index.createTime',
  'indexes', 'indexes[]', 'indexes[].indexName', 'indexes[].dataType', 'indexes[].dimension', 'indexes[].distanceMetric', 'indexes[].status', 'indexes[].createTime',
  'vectors', 'vectors[]', 'vectors[].key',
];

export type Aspect = 'missing-case' | 'outcome' | 'answer' | 'header-name' | 'header-value' | 'body-kind' | 'body-shape' | 'body-value' | 'then' ;

export interface Difference {
  /** Which exchange: `case`, `when`, `when[i]` (several parallel requests), `then`. */
  where: string;
  aspect: Aspect;
  /** What differs: a header name, a body path, or the answers. */
  subject: string;
  left: string | null;
  right: string | null;
  /** True when the difference is in a documented part (a `differs` whatever else holds). */
  documented: boolean;
  /** The §12 (or other open) question the difference speaks to. */
  question: string | null;
}

/** Replaces the names a run created with placeholders, so two runs' answers compare. */
export function normaliser(meta: Pick<CassetteMeta, 'prefix' | 'bucket' | 'absentBucket' | 'otherBucket' | 'accountId'>): (text: string) => string {
  const pairs: Array<[string, string]> = [
    [meta.absentBucket, '{absent-bucket}'],
    ...(meta.otherBucket ? [[meta.otherBucket, '{other-bucket}'] as [string, string]] : []),
    [meta.prefix, '{prefix}'],
    [meta.bucket, '{bucket}'],
  ];
  const ordered = pairs.filter(([from]) => from.length > 0).sort((a, b) => b[0].length - a[0].length);
  return (text) => ordered.reduce((t, [from, to]) => t.split(from).join(to), text);
}

// ---- answers ---------------------------------------------------------------------------------

/** The status and Error.Code of an answer: `204`, `404 NoSuchVectorIndex`, `no response`. */
export function answerOf(x: Exchange): string {
  if (!x.response) return 'no response';
  const code = errorCodeOf(x);
  return code ? `${x.response.status} ${code}` : String(x.response.status);
}

export function errorCodeOf(x: Exchange): string | null {
  if (!x.response || x.response.status < 300) return null;
  const json = parseJson(x.response.body, x.response.bodyEncoding);
  const err = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>).Error : undefined;
  const code = err && typeof err === 'object' ? (err as Record<string, unknown>).Code : undefined;
  return typeof code === 'string' ? code : null;
}

function parseJson(body: string, encoding?: 'utf8' | 'base64'): unknown {
  if (encoding === 'base64' || body.trim() === '') return undefined;
  try { return JSON.parse(body); } catch { return undefined; }
}

// ---- body shape --------------------------------------------------------------------------------

export type BodyKind = 'empty' | 'json' | 'text' | 'binary';

export interface BodyShape {
  kind: BodyKind;
  /** JSON path → type (`object`, `array`, `string`, `number`, `boolean`, `null`); arrays as `a[]`. */
  types: Map<string, string>;
  /** Normalised values at VALUE_PATHS. */
  values: Map<string, string>;
}

export function bodyShape(body: string, encoding: 'utf8' | 'base64' | undefined, normalise: (s: string) => string = (s) => s): BodyShape {
  const types = new Map<string, string>();
  const values = new Map<string, string>();
  if (body === '') return { kind: 'empty', types, values };
  if (encoding === 'base64') return { kind: 'binary', types, values };
  const json = parseJson(body);
  if (json === undefined) return { kind: 'text', types, values };
  const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const walk = (v: unknown, path: string): void => {
    const key = path === '' ? '$' : path;
    const t = typeOf(v);
    const seen = types.get(key);
    types.set(key, seen && seen !== t ? [...new Set([...seen.split('|'), t])].sort().join('|') : t);
    if (VALUE_PATHS.includes(key) && t !== 'object' && t !== 'array') values.set(key, normalise(String(v)));
    if (t === 'array') for (const item of v as unknown[]) walk(item, `${path}[]`);
    else if (t === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, path === '' ? k : `${path}.${k}`);
  };
  walk(json, '');
  return { kind: 'json', types, values };
}

/** One line summing a body's shape up: `json{Error{Code:string,…}}`, `empty`, `text`. */
export function shapeSummary(s: BodyShape): string {
  if (s.kind !== 'json') return s.kind;
  return `json ${[...s.types].filter(([p]) => p !== '$').map(([p, t]) => `${p}:${t}`).sort().join(',')}`;
}

// ---- one exchange pair -------------------------------------------------------------------------

const lowerKeys = (h: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

/** Full comparison of two `when` answers. */
export function compareResponses(where: string, left: Exchange, right: Exchange, nl: (s: string) => string, nr: (s: string) => string): Difference[] {
  const out: Difference[] = [];
  const la = answerOf(left);
  const ra = answerOf(right);
  if (la !== ra) out.push({ where, aspect: 'answer', subject: 'status and Error.Code', left: la, right: ra, documented: false, question: questionOfAnswers(la, ra) });
  // Answers of another status have other headers and bodies by nature: the answer is the difference.
  if (!left.response || !right.response || left.response.status !== right.response.status) return out;
  const lh = lowerKeys(left.response.headers);
  const rh = lowerKeys(right.response.headers);
  const names = [...new Set([...Object.keys(lh), ...Object.keys(rh)])].filter((n) => !FRAMING_HEADERS.includes(n)).sort();
  for (const name of names) {
    const documented = DOCUMENTED_HEADERS.includes(name);
    const q = documented ? null : questionOfHeader(name);
    if (!(name in lh) || !(name in rh)) {
      out.push({ where, aspect: 'header-name', subject: name, left: name in lh ? 'present' : 'absent', right: name in rh ? 'present' : 'absent', documented, question: q });
    } else if (!VOLATILE_HEADERS.includes(name) && nl(lh[name]!) !== nr(rh[name]!)) {
      out.push({ where, aspect: 'header-value', subject: name, left: nl(lh[name]!), right: nr(rh[name]!), documented, question: q });
    }
  }
  const ls = bodyShape(left.response.body, left.response.bodyEncoding, nl);
  const rs = bodyShape(right.response.body, right.response.bodyEncoding, nr);
  if (ls.kind !== rs.kind) {
    out.push({ where, aspect: 'body-kind', subject: 'body', left: ls.kind, right: rs.kind, documented: true, question: null });
    return out;
  }
  const paths = [...new Set([...ls.types.keys(), ...rs.types.keys()])].sort();
  for (const path of paths) {
    const lt = ls.types.get(path) ?? null;
    const rt = rs.types.get(path) ?? null;
    if (lt === rt) continue;
    // A field under one that is already missing says nothing new.
    const parent = path.replace(/(\[\]|\.[^.[\]]+)$/, '');
    if (parent !== path && parent !== '' && (ls.types.get(parent) ?? null) !== (rs.types.get(parent) ?? null)) continue;
    const documented = DOCUMENTED_PATHS.includes(path);
    out.push({ where, aspect: 'body-shape', subject: path, left: lt ?? 'absent', right: rt ?? 'absent', documented, question: documented ? null : questionOfBodyPath(path) });
  }
  for (const path of VALUE_PATHS) {
    if (path === 'Error.Code') continue; // compared as the answer
    const lv = ls.values.get(path);
    const rv = rs.values.get(path);
    if (lv === undefined || rv === undefined || lv === rv) continue;
    const q = questionOfBodyPath(path);
    // A documented state against another documented state is the open lifecycle question (U6).
    const open = path === 'index.status' && [lv, rv].every((v) => ['creating', 'enable', 'deleting'].includes(v));
    out.push({ where, aspect: 'body-value', subject: path, left: lv, right: rv, documented: !open, question: open ? q : null });
  }
  return out;
}

// ---- the exchanges of one case -----------------------------------------------------------------

/** Consecutive equal answers of one operation collapsed (waiting loops poll a different number of times). */
function collapsed(xs: readonly RecordedExchange[], answer: (x: Exchange) => string): string[] {
  const out: string[] = [];
  for (const x of xs) {
    const a = `${x.op ?? '?'} ${answer(x.exchange)}`;
    if (out[out.length - 1] !== a) out.push(a);
  }
  return out;
}

/**
 * The steps of two runs of one sequence, paired by what was asked: the k-th request of an operation
 * with a given (normalised) URL and body on one side with the k-th such request on the other. A
 * step that waits on two names side by side (two creates, each polled until enabled) sends its
 * requests in the order the answers come back, which differs from run to run; requests sent one at
 * a time keep their order within each name. Pairs come in the left side's order, then the right
 * side's unpaired requests; an unpaired request is where the two sequences went apart.
 */
export function pairSteps(left: readonly RecordedExchange[], right: readonly RecordedExchange[], nl: (s: string) => string, nr: (s: string) => string): Array<[RecordedExchange | undefined, RecordedExchange | undefined]> {
  const keyed = (xs: readonly RecordedExchange[], normalise: (s: string) => string): Array<[string, RecordedExchange]> => {
    const seen = new Map<string, number>();
    return xs.map((x) => {
      const asked = askedOf(x, normalise);
      const k = (seen.get(asked) ?? 0) + 1;
      seen.set(asked, k);
      return [`${asked} #${k}`, x];
    });
  };
  const rightByKey = new Map(keyed(right, nr));
  const pairs: Array<[RecordedExchange | undefined, RecordedExchange | undefined]> = [];
  for (const [key, x] of keyed(left, nl)) {
    pairs.push([x, rightByKey.get(key)]);
    rightByKey.delete(key);
  }
  for (const x of rightByKey.values()) pairs.push([undefined, x]);
  return pairs;
}

/**
 * What a request asked, wherever it was sent: its method, operation and resource, path-style
 * (`/{bucket}/?query`; a virtual-hosted request's bucket read from its Host as the emulator reads it,
 * protocol/addressing.ts), and its body, the run's names normalised. Never the origin: two targets
 * are at two addresses (two embedded emulators on two ports), and a key holding it paired no step of
 * a sequence across targets — every one "went apart" at its first request.
 */
export function askedOf(x: RecordedExchange, normalise: (s: string) => string): string {
  const { method, url, headers, body } = x.exchange.request;
  let resource = url;
  // Split by hand, not with `new URL`: a virtual-hosted name on an IP endpoint
  // (`{bucket}-{account}.127.0.0.1:port`) is no host WHATWG's parser accepts.
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/i.exec(url);
  if (m) {
    const [, authority = '', path = '', search = ''] = m;
    const host = Object.entries(headers).find(([k]) => k.toLowerCase() === 'host')?.[1] ?? authority;
    const address = parseAddress(host, path || '/');
    resource = address.style === 'virtual' ? `/${address.bucket}${address.rest}${search}` : `${path || '/'}${search}`;
  }
  return `${method} ${x.op ?? '?'} ${normalise(resource)} ${normalise(body ?? '')}`;
}

export interface ExchangeComparison {
  differences: Difference[];
  /** Set-up differences: reported, never deciding the kind. */
  notes: string[];
}

export function compareExchanges(left: readonly RecordedExchange[], right: readonly RecordedExchange[], nl: (s: string) => string, nr: (s: string) => string): ExchangeComparison {
  const differences: Difference[] = [];
  const notes: string[] = [];
  const role = (xs: readonly RecordedExchange[], r: string): RecordedExchange[] => xs.filter((x) => x.role === r);
  // `when`: one request; several of one operation sent in parallel (races): compared as a tally
  // of answers, then one exchange per answer; a sequence of operations (lifecycle): step by step, paired by what was asked.
  const lwr = role(left, 'when');
  const rwr = role(right, 'when');
  const ops = new Set([...lwr, ...rwr].map((x) => x.op));
  const lw = lwr.map((x) => x.exchange).sort((a, b) => answerOf(a).localeCompare(answerOf(b)));
  const rw = rwr.map((x) => x.exchange).sort((a, b) => answerOf(a).localeCompare(answerOf(b)));
  if ((lw.length > 1 || rw.length > 1) && ops.size > 1) {
    const pairs = pairSteps(lwr, rwr, nl, nr);
    for (let i = 0; i < pairs.length; i++) {
      const [a, b] = pairs[i]!;
      if (a && b) { differences.push(...compareResponses(`when[${i}]`, a.exchange, b.exchange, nl, nr)); continue; }
      // The sequences went apart: what each sent instead (later steps follow from this one).
      const l = pairs.find(([x, y]) => x && !y)?.[0];
      const r = pairs.find(([x, y]) => !x && y)?.[1];
      differences.push({ where: `when[${i}]`, aspect: 'answer', subject: 'step of the sequence', left: l ? `${l.op ?? '?'} ${answerOf(l.exchange)}` : 'not sent', right: r ? `${r.op ?? '?'} ${answerOf(r.exchange)}` : 'not sent', documented: false, question: null });
      break;
    }
  } else if (lw.length > 1 || rw.length > 1) {
    const tally = (xs: Exchange[]): string => {
      const m = new Map<string, number>();
      for (const x of xs) m.set(answerOf(x), (m.get(answerOf(x)) ?? 0) + 1);
      return [...m].map(([a, n]) => `${a} ×${n}`).join(', ') || 'none';
    };
    const lt = tally(lw);
    const rt = tally(rw);
    if (lt !== rt) {
      const la = [...new Set(lw.map(answerOf))];
      const ra = [...new Set(rw.map(answerOf))];
      const q = la.flatMap((a) => ra.map((b) => (a === b ? null : questionOfAnswers(a, b)))).find((x) => x) ?? null;
      differences.push({ where: 'when', aspect: 'answer', subject: 'answers of the parallel requests', left: lt, right: rt, documented: false, question: q });
    }
    const byAnswer = (xs: Exchange[]): Map<string, Exchange> => new Map(xs.map((x) => [answerOf(x), x]));
    const lm = byAnswer(lw);
    const rm = byAnswer(rw);
    for (const [a, lx] of lm) {
      const rx = rm.get(a);
      if (rx) differences.push(...compareResponses(`when(${a})`, lx, rx, nl, nr));
    }
  } else if (lw.length === 1 && rw.length === 1) {
    differences.push(...compareResponses('when', lw[0]!, rw[0]!, nl, nr));
  } else if (lw.length !== rw.length) {
    differences.push({ where: 'when', aspect: 'answer', subject: 'request under test', left: lw.length ? answerOf(lw[0]!) : 'not sent', right: rw.length ? answerOf(rw[0]!) : 'not sent', documented: false, question: null });
  }
  // `then`: the follow-up checks in order, by operation, status and code.
  const lthen = collapsed(role(left, 'then'), answerOf);
  const rthen = collapsed(role(right, 'then'), answerOf);
  const n = Math.max(lthen.length, rthen.length);
  for (let i = 0; i < n; i++) {
    const a = lthen[i] ?? null;
    const b = rthen[i] ?? null;
    if (a === b) continue;
    const strip = (s: string | null): string => (s ?? '').replace(/^\S+ /, '');
    differences.push({ where: 'then', aspect: 'then', subject: `follow-up #${i + 1}`, left: a ?? 'not sent', right: b ?? 'not sent', documented: false, question: a && b ? questionOfAnswers(strip(a), strip(b)) : null });
    break; // later checks follow from the first difference
  }
  // `given`: set-up, by operation and status only.
  const status = (x: Exchange): string => (x.response ? String(x.response.status) : 'no response');
  const lg = collapsed(role(left, 'given'), status);
  const rg = collapsed(role(right, 'given'), status);
  if (lg.join('|') !== rg.join('|')) notes.push(`set-up differs: ${lg.join(', ') || 'none'} vs ${rg.join(', ') || 'none'}`);
  return { differences, notes };
}
