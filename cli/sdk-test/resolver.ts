// The private resolver of the isolated run: inside `unshare -rnm` the parent bind-mounts a
// resolv.conf naming 127.0.0.1 over /etc/resolv.conf, and this answers every A query with
// 127.0.0.1 (AAAA and others: no address). So the virtual-hosted names the SDKs build —
// `{bucket}-{account}.127.0.0.1` for an IP endpoint, whatever the bucket — reach the emulator the
// same way for Go, Python and Java, through the system's ordinary resolver. Only loopback exists
// in the namespace: answering every name with it cannot send anything elsewhere.
import { createSocket, type Socket } from 'node:dgram';

/** The resolv.conf the namespace sees. */
export const PRIVATE_RESOLV_CONF = 'nameserver 127.0.0.1\noptions attempts:1 timeout:2\n';

/** The answer to one DNS query (RFC 1035): the question echoed, one A record 127.0.0.1 for A/IN. */
export function answerQuery(query: Buffer): Buffer | null {
  if (query.length < 12) return null;
  const qdcount = query.readUInt16BE(4);
  if ((query[2]! & 0x80) !== 0 || qdcount !== 1) return null;
  let at = 12;
  while (at < query.length && query[at] !== 0) at += query[at]! + 1;
  const qEnd = at + 5; // zero label + QTYPE + QCLASS
  if (qEnd > query.length) return null;
  const qtype = query.readUInt16BE(at + 1);
  const qclass = query.readUInt16BE(at + 3);
  const isA = qtype === 1 && qclass === 1;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  header[2] = 0x84 | (query[2]! & 0x01); // response, authoritative, RD copied
  header[3] = 0x80; // RA, NOERROR
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(isA ? 1 : 0, 6);
  const question = query.subarray(12, qEnd);
  if (!isA) return Buffer.concat([header, question]);
  // Name pointer to offset 12, type A, class IN, TTL 0, 4 bytes: 127.0.0.1.
  const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 127, 0, 0, 1]);
  return Buffer.concat([header, question, answer]);
}

/** Listens on 127.0.0.1:`port` (53 inside the namespace); resolves once listening. */
export function startResolver(port = 53): Promise<Socket> {
  return new Promise((resolvePromise, reject) => {
    const socket = createSocket('udp4');
    socket.on('message', (msg, peer) => {
      const reply = answerQuery(msg);
      if (reply) socket.send(reply, peer.port, peer.address);
    });
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolvePromise(socket));
  });
}
