/**
 * A loopback port nothing listens on: one the OS handed out and that was closed again at once. For a server
 * about to be started there (redis-server), or for a "host that is down" (connection refused).
 *
 * @module
 */
import { createServer } from 'node:net';

/** Resolves with a port on 127.0.0.1 that was free a moment ago (another process may take it meanwhile). */
export const unusedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
