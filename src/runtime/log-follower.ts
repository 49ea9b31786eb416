/**
 * Streams a container's stdout/stderr into a file, following. Docker ends the follow stream when the
 * container stops, so `attach()` is called again after every start; lines carry Docker's fixed-width
 * RFC 3339 timestamps, which makes "already written" a string comparison and re-attaching lossless.
 */
import type Docker from 'dockerode';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { docker, withTimeout } from './docker-client.js';

/** Docker's `since` wants seconds[.nanoseconds]; the timestamps are `2026-11-23T11:27:00.123456789Z`. */
export function timestampToSince(ts: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(ts);
  if (!m) throw new Error(`not a Docker log timestamp: ${ts}`);
  const seconds = Math.floor(Date.parse(`${m[1]}Z`) / 1000);
  return `${seconds}.${(m[2] ?? '0').padEnd(9, '0')}`;
}

/** Splits a chunk stream into complete lines (the last partial line is kept for the next chunk). */
export class LineSplitter {
  private rest = '';
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines;
  }
  flush(): string[] {
    const last = this.rest;
    this.rest = '';
    return last ? [last] : [];
  }
}

export class LogFollower {
  private file: WriteStream;
  private lastTimestamp = '';
  private stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;

  constructor(private readonly container: Docker.Container, readonly path: string) {
    this.file = createWriteStream(path, { flags: 'a' });
    this.file.on('error', () => {}); // a log file problem must never take the run down
  }

  /** (Re)starts following from just after the last line written. */
  async attach(): Promise<void> {
    this.stream?.destroy?.();
    const opts: Record<string, unknown> = { follow: true, stdout: true, stderr: true, timestamps: true };
    if (this.lastTimestamp) opts.since = timestampToSince(this.lastTimestamp);
    const stream = (await withTimeout(this.container.logs(opts as never) as unknown as Promise<NodeJS.ReadableStream>, 15_000, 'follow logs')) as NodeJS.ReadableStream & { destroy?: () => void };
    this.stream = stream;
    const splitter = new LineSplitter();
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        for (const line of splitter.push(chunk.toString('utf8'))) this.writeLine(line);
        done();
      },
    });
    docker().modem.demuxStream(stream, sink, sink);
    stream.on('end', () => splitter.flush().forEach((l) => this.writeLine(l)));
    stream.on('error', () => {});
  }

  private writeLine(line: string): void {
    const ts = line.slice(0, line.indexOf(' '));
    if (ts && ts <= this.lastTimestamp) return; // seen before a re-attach
    if (/^\d{4}-/.test(ts)) this.lastTimestamp = ts;
    // Lines can still arrive while close() runs (the stream is destroyed asynchronously): drop them.
    if (!this.file.writableEnded && !this.file.destroyed) this.file.write(`${line}\n`);
  }

  /** Stops following and closes the file. */
  async close(): Promise<void> {
    this.stream?.destroy?.();
    await new Promise<void>((resolve) => this.file.end(resolve));
  }
}
