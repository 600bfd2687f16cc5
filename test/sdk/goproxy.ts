// A file-system Go module proxy for tests (the GOPROXY protocol: `@v/list`, `.info`, `.mod`,
// `.zip`), serving each module from a folder of a source tree such as Debian's
// /usr/share/gocode/src, under whatever version is asked for (Debian ships one version of each).
// It listens on the loopback of the network it is started in: a namespace made later cannot reach it.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { crc32 } from 'node:zlib';

/** A zip archive of `files` (stored, not compressed: the Go toolchain reads both). */
export function storedZip(files: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name);
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(f.data.length, 18); local.writeUInt32LE(f.data.length, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(f.data.length, 20); central.writeUInt32LE(f.data.length, 24); central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, name, f.data);
    centrals.push(central, name);
    offset += 30 + name.length + f.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** The files of a module folder, as the module zip holds them (no nested modules, no VCS folders). */
function moduleFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name.startsWith('.') || e.name === 'vendor' || existsSync(join(p, 'go.mod'))) continue;
      out.push(...moduleFiles(root, p));
    } else if (e.isFile() && statSync(p).size < 50_000_000) out.push(relative(root, p));
  }
  return out;
}

export interface GoProxy { url: string; hits: string[]; close(): void }

/** Serves every module found as `tree/<module path>`; `versions` says which version(s) each lists. */
export async function startGoProxy(tree: string, versions: Record<string, string>): Promise<GoProxy> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '');
    hits.push(url);
    const m = /^\/(.+)\/@v\/(list|(.+)\.(info|mod|zip))$/.exec(url);
    const mod = m?.[1]?.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!m || !mod || !versions[mod] || !existsSync(join(tree, mod))) { res.statusCode = 404; res.end('not found'); return; }
    const dir = join(tree, mod);
    if (m[2] === 'list') { res.end(`${versions[mod]}\n`); return; }
    const version = m[3]!;
    if (m[4] === 'info') res.end(JSON.stringify({ Version: version, Time: '2024-01-01T00:00:00Z' }));
    else if (m[4] === 'mod') res.end(existsSync(join(dir, 'go.mod')) ? readFileSync(join(dir, 'go.mod')) : `module ${mod}\n`);
    else {
      const files = moduleFiles(dir).map((f) => ({ name: `${mod}@${version}/${f}`, data: readFileSync(join(dir, f)) }));
      if (!existsSync(join(dir, 'go.mod'))) files.push({ name: `${mod}@${version}/go.mod`, data: Buffer.from(`module ${mod}\n`) });
      res.end(storedZip(files));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, close: () => server.close() };
}
