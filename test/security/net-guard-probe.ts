/**
 * Child process of network-guard.test.ts, run under the network guard (preloaded with `--import`)
 * inside a network namespace of its own (`unshare --net`, loopback only), so that even a broken
 * guard could not send anything off the machine. It tries every way out of the process — TCP,
 * TLS, http, https, fetch, UDP, DNS lookup and DNS queries — to RFC 5737 / RFC 6761 destinations
 * that exist nowhere, and the same to a listener of its own on 127.0.0.1, and prints what each
 * attempt ended with as one JSON object.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

const OUTSIDE_IP = '192.0.2.1'; // TEST-NET-1: documentation only, routed nowhere
const OUTSIDE_NAME = 'wildtrace-guard-probe.invalid'; // .invalid: never resolvable

/** Runs `attempt` and returns the error code it ended with, or `ok`. */
function outcome(attempt: (done: (err?: Error | null) => void) => void): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('TIMEOUT'), 5_000);
    const done = (err?: Error | null) => {
      clearTimeout(timer);
      resolve(err ? ((err as NodeJS.ErrnoException).code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code ?? err.message) : 'ok');
    };
    try {
      attempt(done);
    } catch (err) {
      done(err as Error);
    }
  });
}

const server = net.createServer((s) => s.end());
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as net.AddressInfo).port;

const results: Record<string, string> = {
  'tcp outside': await outcome((done) => net.connect(80, OUTSIDE_IP).on('connect', () => done()).on('error', done)),
  'tls outside': await outcome((done) => tls.connect({ host: OUTSIDE_NAME, port: 443 }).on('secureConnect', () => done()).on('error', done)),
  'http outside': await outcome((done) => http.get(`http://${OUTSIDE_IP}/`, () => done()).on('error', done)),
  'https outside': await outcome((done) => https.get(`https://${OUTSIDE_NAME}/`, () => done()).on('error', done)),
  'fetch outside': await outcome((done) => void fetch(`http://${OUTSIDE_NAME}/`).then(() => done(), done)),
  'udp outside': await outcome((done) => {
    const s = dgram.createSocket('udp4');
    s.send(Buffer.from('x'), 53, OUTSIDE_IP, (err) => (s.close(), done(err)));
  }),
  'dns lookup': await outcome((done) => dns.lookup(OUTSIDE_NAME, (err) => done(err))),
  'dns promises lookup': await outcome((done) => void dns.promises.lookup(OUTSIDE_NAME).then(() => done(), done)),
  'dns resolve4': await outcome((done) => dns.resolve4(OUTSIDE_NAME, (err) => done(err))),
  'dns promises resolveTxt': await outcome((done) => void dns.promises.resolveTxt(OUTSIDE_NAME).then(() => done(), done)),
  'dns Resolver resolveAny': await outcome((done) => new dns.Resolver().resolveAny(OUTSIDE_NAME, (err) => done(err))),
  'tcp 127.0.0.1': await outcome((done) => net.connect(port, '127.0.0.1').on('connect', function (this: net.Socket) {
    this.destroy();
    done();
  }).on('error', done)),
  'tcp localhost': await outcome((done) => net.connect({ port, host: 'localhost', family: 4 }).on('connect', function (this: net.Socket) {
    this.destroy();
    done();
  }).on('error', done)),
  'http 127.0.0.1': await outcome((done) => http.get(`http://127.0.0.1:${port}/`, () => done()).on('error', (err) => done((err as NodeJS.ErrnoException).code === 'ECONNRESET' || err.message.includes('socket hang up') ? null : err))),
};
server.close();
process.stdout.write(`${JSON.stringify(results)}\n`);
