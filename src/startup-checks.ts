import net from 'node:net';
import type { Config } from './config.js';
import { checkWritable } from './lib/writable-dir.js';

/** A start that cannot go ahead for a reason outside the program; the CLI prints the one sentence and exits 2. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/**
 * The data directory must take writes before anything is made in it (keys, the database). A
 * directory that refuses them is named, with the way to choose another.
 */
export async function ensureWritableDataDir(config: Config): Promise<void> {
  const dir = config.dataDir;
  try {
    await checkWritable(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new StartupError(
      `The data directory ${dir} cannot be written (${code}); it must be writable by this user, or set FRONTDESK_DATA_DIR to one that is.`,
    );
  }
}

/**
 * Binds the address once and lets it go, so a busy or forbidden port is reported before the start
 * makes keys, the demo tenant or workers, and before it holds the database.
 */
export async function ensureFreeAddress(config: Config): Promise<void> {
  const { host, port } = config.http;
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => reject(addressError(error, host, port)));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** The one sentence a failed listen deserves, naming the setting to change. */
export function addressError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new StartupError(
        `Port ${port} on ${host} is already in use (another Frontdesk?); stop that process or set PORT to a free port.`,
      );
    case 'EACCES':
      return new StartupError(`Port ${port} on ${host} needs privileges this user lacks; set PORT to 1024 or above.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(
        `HOST ${host} is not an address of this machine; set HOST to one (e.g. 127.0.0.1 or 0.0.0.0).`,
      );
    case undefined:
    default:
      return error;
  }
}
