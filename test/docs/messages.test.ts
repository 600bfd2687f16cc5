// Messages of a server that answered: "answered X with Y" with no stray space when there is no
// error code, and never "cannot be reached" for something that answered.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOvc } from '../selftest/run-cli.ts';

let server: Server;
let url: string;
const out = mkdtempSync(join(tmpdir(), 'ovc-messages-'));

beforeAll(async () => {
  // Answers every request 204 with no body: a server, but not an OSS Vectors endpoint.
  server = createServer((req, res) => { req.resume(); req.on('end', () => { res.statusCode = 204; res.end(); }); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(out, { recursive: true, force: true });
});

describe('ovc run against a server that answers, but not as OSS Vectors', () => {
  it('says what it answered in one sentence, without a stray space, exit 2', async () => {
    const r = await runOvc(['run', '--endpoint', url, '--quiet', '--runs', '1', '--out', out], { OSS_ACCESS_KEY_ID: 'msg-key', OSS_ACCESS_KEY_SECRET: 'msg-secret' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`ovc: cannot run: the endpoint ${url} answered GetVectorBucket with 204; it does not look like an OSS Vectors endpoint.`);
    expect(r.stderr).not.toMatch(/ ;| \.|cannot be reached/);
  });
});
