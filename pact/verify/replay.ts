// Request replay: Pact's proxy hands each replayed request to a request filter, which sends it to
// the target itself — bucket and index names mapped to the run's, V4-signed with the configured
// identity (unsigned interactions stay unsigned), Content-MD5 recomputed, addressed path-style or
// virtual-hosted by the client — and answers the proxy with the target's answer.
import { HOP_HEADERS, toResign } from '../resign.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TargetClient } from '../../client/client.ts';
import type { InteractionUnderWay, Reachability } from './interaction.ts';
import type { NameMap } from './names.ts';


export type FilterRequest = IncomingMessage & { body?: unknown; originalUrl?: string };
interface Answer { status: number; headers: Record<string, string>; body: Buffer }

/** The body bytes Pact's proxy parsed (JSON bodies arrive as objects, others as Buffers). */
function bodyBytes(req: FilterRequest): Buffer {
  const b = req.body;
  if (b === undefined || b === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(b)) return b;
  if (typeof b === 'object') return Object.keys(b).length === 0 && !/json/i.test(String(req.headers['content-type'] ?? '')) ? Buffer.alloc(0) : Buffer.from(JSON.stringify(b));
  return Buffer.from(String(b));
}

/** Replaces pact index names in a JSON body by the run's names. */
export function substituteBody(body: Buffer, names: NameMap): Buffer {
  if (body.length === 0) return body;
  let parsed: unknown;
  try { parsed = JSON.parse(body.toString('utf8')); } catch { return body; }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
  const o = parsed as Record<string, unknown>;
  if (typeof o.indexName !== 'string') return body;
  const known = names.indexes.get(o.indexName) ?? ([...names.indexes.values()].includes(o.indexName) ? o.indexName : undefined);
  if (known === undefined || known === o.indexName) return body;
  return Buffer.from(JSON.stringify({ ...o, indexName: known }));
}

export class RequestReplay {
  constructor(
    private readonly client: TargetClient,
    private readonly names: NameMap,
    private readonly interaction: InteractionUnderWay,
    private readonly reach: Reachability,
    /** Aborted: the verification is stopping; nothing more is sent to the target. */
    private readonly stopSignal: AbortSignal | null = null,
  ) {}

  /** Pact's `requestFilter` (express-style middleware); Pact's own set-up calls pass through. */
  readonly filter = (req: FilterRequest, res: ServerResponse, next: () => void): void => {
    const url = req.originalUrl ?? req.url ?? '/';
    if (url.startsWith('/_pactSetup') || url.startsWith('/_messages')) { next(); return; }
    // A request that could not be replayed gets no answer at all (the connection is closed): the
    // verifier reports an error for it, never a status that could be mistaken for the target's.
    // So does every request once the verification is stopping.
    if (this.stopSignal?.aborted) { res.destroy(); return; }
    void this.answer(req, url).then((r) => {
      res.writeHead(r.status, r.headers);
      res.end(r.body);
    }, () => { res.destroy(); });
  };

  private async answer(req: FilterRequest, url: string): Promise<Answer> {
    const u = new URL(url, 'http://pact.invalid');
    const seg = /^\/([^/]+)\/?/.exec(u.pathname);
    const pactBucket = seg ? decodeURIComponent(seg[1]!) : this.interaction.pactBucket;
    const bucket = pactBucket ? this.names.bucket(pactBucket) : null;
    const body = substituteBody(bodyBytes(req), this.names);
    const { wire, signed } = toResign(req.method, req.headers, u.search.replace(/^\?/, ''), body, bucket);
    try {
      const answer = await this.client.send(signed ? this.client.sign(wire) : wire);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (!HOP_HEADERS.has(k)) out[k] = v;
      out['content-length'] = String(answer.body.length);
      return { status: answer.status, headers: out, body: answer.body };
    } catch (e) {
      throw this.reach.note(e);
    }
  }
}
