/**
 * Writes a pushed stream of chunks to a temp file with bounded memory, hashing as it goes, then either commits
 * it (fsync, close, rename over the final name) or discards it (close, delete).
 *
 * An Observable cannot be paused, so memory is bounded like this: chunks queue for an asynchronous positional
 * write while fewer than `highWaterMark` bytes wait; a chunk that would go past that is written synchronously
 * in `write`, which blocks the producer until the disk has taken it: the only backpressure a push source feels.
 * A download slower than the disk rarely gets there; a fast one (loopback, LAN) often does with the small default
 * (one write in flight, the next chunk written at once), and a synchronous source (all chunks in one tick) does
 * at once.
 *
 * @module
 */
import { writeSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { fsyncDir } from './atomic-write.js';
import { nodeSha256 } from './hash.js';

/**
 * Default bytes waiting for an asynchronous write before writes turn synchronous: 64 KiB, about one network
 * chunk. Keep it small: a chunk still queued when V8 runs its next young-generation collection (which large
 * downloads trigger every few tens of MB of buffers) survives it and is promoted, so it is only freed by a full
 * collection. With 1 MiB per download the `bigPdf` bench (on `nodeFetch`) peaked 10–15 MB higher, and was no
 * faster.
 */
export const DEFAULT_HIGH_WATER_MARK = 64 * 1024;

interface Pending {
  readonly bytes: Uint8Array;
  readonly position: number;
}

const writeAllAt = async (fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> => {
  let done = 0;
  while (done < bytes.byteLength) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.byteLength - done, position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    done += bytesWritten;
  }
};

const writeAllAtSync = (fd: number, bytes: Uint8Array, position: number): void => {
  let done = 0;
  while (done < bytes.byteLength) {
    const written = writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
    if (written <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    done += written;
  }
};

/** A temp file being filled. Create with {@link ChunkFileWriter.open}; end with `commit` or `discard`. */
export class ChunkFileWriter {
  private readonly hasher = nodeSha256();
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  private position = 0;
  private pumping: Promise<void> | undefined;
  private stopped = false;
  private closed = false;
  private failure: { readonly error: unknown } | undefined;
  /** The most bytes that were ever waiting in memory (for tests and diagnostics). */
  peakQueuedBytes = 0;

  private constructor(
    /** The temp file, absolute. */
    readonly tempPath: string,
    private readonly fh: FileHandle,
    private readonly highWaterMark: number,
  ) {}

  /** Creates `tempPath` (which must not exist) for writing. */
  static async open(tempPath: string, highWaterMark = DEFAULT_HIGH_WATER_MARK): Promise<ChunkFileWriter> {
    return new ChunkFileWriter(tempPath, await open(tempPath, 'wx'), highWaterMark);
  }

  /** Bytes accepted so far. */
  get bytes(): number {
    return this.position;
  }

  /** Whether a write failed (the error comes out of `flush`). */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Accepts one chunk. The chunk must not be changed afterwards (it may wait in the queue). */
  write(bytes: Uint8Array): void {
    if (this.stopped || this.failure) return;
    const position = this.position;
    this.position += bytes.byteLength;
    this.hasher.update(bytes);
    if (bytes.byteLength === 0) return;
    if (this.queuedBytes > 0 && this.queuedBytes + bytes.byteLength > this.highWaterMark) {
      try {
        writeAllAtSync(this.fh.fd, bytes, position);
      } catch (error) {
        this.failure = { error };
      }
      return;
    }
    this.queue.push({ bytes, position });
    this.queuedBytes += bytes.byteLength;
    this.peakQueuedBytes = Math.max(this.peakQueuedBytes, this.queuedBytes);
    this.pump();
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = (async () => {
      for (let next = this.queue[0]; next && !this.stopped && !this.failure; next = this.queue[0]) {
        try {
          await writeAllAt(this.fh, next.bytes, next.position);
        } catch (error) {
          this.failure = { error };
        }
        this.queue.shift();
        this.queuedBytes -= next.bytes.byteLength;
      }
      this.queue.length = 0;
      this.queuedBytes = 0;
      this.pumping = undefined;
    })();
  }

  /** Waits until every accepted chunk is written; throws the first write error. */
  async flush(): Promise<void> {
    while (this.pumping) await this.pumping;
    if (this.failure) throw this.failure.error;
  }

  /** Flushes, then returns the SHA-256 (lowercase hex) of everything accepted. Call once. */
  async digest(): Promise<string> {
    await this.flush();
    return this.hasher.digest();
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }

  /** Stops accepting chunks, flushes, optionally fsyncs, and closes the temp file. */
  async seal(fsync: boolean): Promise<void> {
    this.stopped = true;
    await this.flush();
    if (fsync) await this.fh.sync();
    await this.close();
  }

  /** Renames the sealed temp file over `finalPath` (an atomic replace), then optionally fsyncs the folder. */
  async moveTo(finalPath: string, fsync: boolean): Promise<void> {
    await rename(this.tempPath, finalPath);
    if (fsync) await fsyncDir(path.dirname(finalPath));
  }

  /** {@link ChunkFileWriter.seal} then {@link ChunkFileWriter.moveTo}. */
  async commit(finalPath: string, fsync: boolean): Promise<void> {
    await this.seal(fsync);
    await this.moveTo(finalPath, fsync);
  }

  /** Stops writing, closes and deletes the temp file. Never throws; safe to call more than once. */
  async discard(): Promise<void> {
    this.stopped = true;
    while (this.pumping) await this.pumping.catch(() => undefined);
    await this.close().catch(() => undefined);
    await rm(this.tempPath, { force: true }).catch(() => undefined);
  }
}
