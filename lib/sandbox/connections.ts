/**
 * Connection limits, so a flood of slow or idle connections cannot exhaust file descriptors or starve normal
 * requests: at most `maxConnections` open; a new connection beyond first replaces the oldest idle one (no
 * request in progress: still sending its headers, or a keep-alive between requests), and when every connection
 * is busy it is answered 429 and closed (MX: "too many concurrent connections"). Headers must arrive within
 * `headersTimeoutMs` (Node's `headersTimeout`, checked often enough to matter).
 *
 * @module
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

interface Tracked {
  /** Requests in progress on it. */
  busy: number;
  /** When it last became idle (a counter, not a time: only the order matters). */
  idleSince: number;
}

/** What the limiter has done (for specs and logs). */
export interface ConnectionStats {
  /** Open connections now. */
  readonly open: number;
  /** Idle connections closed to make room. */
  readonly evicted: number;
  /** New connections refused (429) because every open one was busy. */
  readonly refused: number;
}

const TOO_MANY =
  'HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nRetry-After: 1\r\nX-MX-Sandbox: mx-statements-rx\r\n' +
  'Content-Type: application/json\r\nContent-Length: ';

/**
 * Tracks a server's connections and enforces `max`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { ConnectionLimiter } from './connections.js';
 *
 * const server = createServer((req, res) => res.end('ok'));
 * const limiter = new ConnectionLimiter(1000);
 * limiter.attach(server);
 * limiter.stats.open; // 0
 * ```
 */
export class ConnectionLimiter {
  private readonly sockets = new Map<Socket, Tracked>();
  private tick = 0;
  private evicted = 0;
  private refused = 0;

  constructor(private readonly max: number) {}

  /** Counts so far. */
  get stats(): ConnectionStats {
    return { open: this.sockets.size, evicted: this.evicted, refused: this.refused };
  }

  /** Starts tracking the server's connections and requests. */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.onConnection(socket));
    server.on('request', (req, res) => {
      const tracked = this.sockets.get(req.socket);
      if (!tracked) return;
      tracked.busy += 1;
      res.once('close', () => {
        tracked.busy = Math.max(0, tracked.busy - 1);
        tracked.idleSince = this.tick++;
      });
    });
  }

  private onConnection(socket: Socket): void {
    if (this.sockets.size >= this.max && !this.evictIdle()) {
      this.refused += 1;
      const body = JSON.stringify({ error: { status: '429', message: `too many concurrent connections (at most ${this.max})` } });
      socket.on('error', () => undefined);
      socket.end(`${TOO_MANY}${Buffer.byteLength(body)}\r\n\r\n${body}`, () => socket.destroy());
      return;
    }
    this.sockets.set(socket, { busy: 0, idleSince: this.tick++ });
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** Closes the connection idle the longest; false when every connection is busy. */
  private evictIdle(): boolean {
    let oldest: Socket | undefined;
    let since = Number.POSITIVE_INFINITY;
    for (const [socket, t] of this.sockets) {
      if (t.busy === 0 && t.idleSince < since) {
        oldest = socket;
        since = t.idleSince;
      }
    }
    if (!oldest) return false;
    this.sockets.delete(oldest);
    this.evicted += 1;
    oldest.destroy();
    return true;
  }
}
