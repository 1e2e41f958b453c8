/**
 * Free TCP ports on 127.0.0.1 for servers a test starts later (tor nodes, anvil): a port drawn
 * with listen(0) and closed again is free, and a later listen(0) may draw it again (Linux picks
 * from a limited range at random) before its first taker has bound it. So no port is handed out
 * twice in a process, ports needed together are drawn together, and {@link reservePort} holds a
 * port until the moment its server starts.
 */
import net from 'node:net';

/** Every port handed out in this process; a draw that gives one of them again is thrown back. */
const handedOut = new Set<number>();

const closeServer = (srv: net.Server) => new Promise<void>((r) => srv.close(() => r()));

/** Draws `n` ports never handed out before in this process; every listener stays open until all are read (so they differ), and those of the `n` ports are returned open. */
async function drawPorts(n: number): Promise<{ port: number; server: net.Server }[]> {
  const kept: { port: number; server: net.Server }[] = [];
  const thrownBack: net.Server[] = [];
  try {
    while (kept.length < n) {
      if (thrownBack.length > 100) throw new Error(`freePorts: no ${n} ports on 127.0.0.1 that were not handed out before (${thrownBack.length} draws thrown back)`);
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const port = (server.address() as net.AddressInfo).port;
      if (handedOut.has(port)) thrownBack.push(server);
      else kept.push({ port, server });
    }
  } catch (err) {
    await Promise.all(kept.map((k) => closeServer(k.server)));
    throw err;
  } finally {
    await Promise.all(thrownBack.map(closeServer));
  }
  for (const k of kept) handedOut.add(k.port);
  return kept;
}

/** `n` distinct free TCP ports on 127.0.0.1, none handed out before in this process. */
export async function freePorts(n: number): Promise<number[]> {
  const drawn = await drawPorts(n);
  await Promise.all(drawn.map((d) => closeServer(d.server)));
  return drawn.map((d) => d.port);
}

/** A free TCP port on 127.0.0.1, never handed out before in this process. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0];
}

/**
 * A free TCP port on 127.0.0.1 (never handed out before in this process), held by a listener of
 * this process until `release()`: call it right before the server that is to listen there starts,
 * so no other process can take the port meanwhile. The holder refuses nothing and keeps no
 * connection; it does not keep the process alive.
 */
export async function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  const [{ port, server }] = await drawPorts(1);
  server.unref();
  server.on('connection', (s) => s.destroy());
  let released: Promise<void> | undefined;
  return { port, release: () => (released ??= closeServer(server)) };
}
