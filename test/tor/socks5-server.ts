/**
 * A SOCKS5 server written for the tests (RFC 1928 CONNECT, RFC 1929 username/password), so the
 * tests can see what a proxy sees: the address type of every CONNECT (1 = IPv4, 3 = domain name,
 * 4 = IPv6), the name or address asked for, and the credentials (stream-isolation identity).
 *
 * It resolves NOTHING: a domain name is connected only if it is in `names` (name → 127.0.0.1
 * port mapping done by the proxy, as Tor does for an onion service); any other name is answered
 * with reply 0x04 "host unreachable". IP literals are connected only when they are 127.0.0.1.
 * Every listener binds 127.0.0.1 explicitly.
 */
import net from 'node:net';

/** One CONNECT request the proxy received. */
export interface SocksConnect {
  /** address type byte: 1 IPv4, 3 domain name, 4 IPv6 */
  atyp: number;
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** reply code sent (0 = succeeded) */
  reply: number;
}

export interface TestSocksServer {
  port: number;
  url: string;
  connects: SocksConnect[];
  /** stops listening and destroys every open connection */
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1:0. `names` maps host names to 127.0.0.1 ports (e.g. an .onion to the fixture market). */
export async function startSocksServer(names: Record<string, { port: number }> = {}): Promise<TestSocksServer> {
  const connects: SocksConnect[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buf = Buffer.alloc(0);
    let stage: 'greet' | 'auth' | 'request' | 'piped' = 'greet';
    let username: string | undefined;
    let password: string | undefined;
    const reply = (code: number) => client.write(Buffer.from([5, code, 0, 1, 127, 0, 0, 1, 0, 0]));
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (stage === 'greet') {
          if (buf.length < 2 || buf.length < 2 + buf[1]) return;
          if (buf[0] !== 5) return client.destroy();
          const methods = [...buf.subarray(2, 2 + buf[1])];
          buf = buf.subarray(2 + buf[1]);
          if (methods.includes(2)) {
            client.write(Buffer.from([5, 2]));
            stage = 'auth';
          } else if (methods.includes(0)) {
            client.write(Buffer.from([5, 0]));
            stage = 'request';
          } else {
            client.end(Buffer.from([5, 0xff]));
            return;
          }
        } else if (stage === 'auth') {
          if (buf.length < 2) return;
          const ulen = buf[1];
          if (buf.length < 3 + ulen) return;
          const plen = buf[2 + ulen];
          if (buf.length < 3 + ulen + plen) return;
          username = buf.subarray(2, 2 + ulen).toString();
          password = buf.subarray(3 + ulen, 3 + ulen + plen).toString();
          buf = buf.subarray(3 + ulen + plen);
          client.write(Buffer.from([1, 0]));
          stage = 'request';
        } else if (stage === 'request') {
          if (buf.length < 5) return;
          const atyp = buf[3];
          let host: string;
          let off: number;
          if (atyp === 1) {
            if (buf.length < 10) return;
            host = [...buf.subarray(4, 8)].join('.');
            off = 8;
          } else if (atyp === 3) {
            const len = buf[4];
            if (buf.length < 5 + len + 2) return;
            host = buf.subarray(5, 5 + len).toString();
            off = 5 + len;
          } else if (atyp === 4) {
            if (buf.length < 22) return;
            host = buf.subarray(4, 20).toString('hex');
            off = 20;
          } else return client.destroy();
          const port = buf.readUInt16BE(off);
          buf = buf.subarray(off + 2);
          const record: SocksConnect = { atyp, host, port, username, password, reply: 0 };
          connects.push(record);
          const mapped = atyp === 3 ? names[host.toLowerCase()] : atyp === 1 && host === '127.0.0.1' ? { port } : undefined;
          if (!mapped) {
            record.reply = 4;
            reply(4);
            client.end();
            return;
          }
          stage = 'piped';
          client.pause();
          client.off('data', onData);
          const upstream = net.connect({ host: '127.0.0.1', port: mapped.port });
          sockets.add(upstream);
          upstream.on('close', () => {
            sockets.delete(upstream);
            client.destroy();
          });
          let connected = false;
          upstream.on('error', () => {
            if (!connected) {
              record.reply = 5;
              reply(5);
            }
            client.destroy();
          });
          upstream.on('connect', () => {
            connected = true;
            reply(0);
            if (buf.length) upstream.write(buf);
            client.pipe(upstream);
            upstream.pipe(client);
            client.resume();
          });
          client.on('close', () => upstream.destroy());
          return;
        } else return;
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `socks5h://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
