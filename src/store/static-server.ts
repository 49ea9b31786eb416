import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.edn': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

export interface StoreServerOptions {
  /** Called before `/` or `/index.html` is served, so the listing includes runs stored since start. */
  refreshIndex?: () => void;
}

/**
 * Resolves a URL path inside `root`, or null when it escapes it (`..`, encoded or not) or is malformed.
 * Directories map to their index.html, or to report.html for a run directory.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const target = resolve(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (target !== base && !target.startsWith(base + sep)) return null;
  if (existsSync(target) && statSync(target).isDirectory()) {
    for (const name of ['index.html', 'report.html']) {
      if (existsSync(join(target, name))) return join(target, name);
    }
    return null;
  }
  return target;
}

/** A read-only static file server over the store (GET/HEAD only); bind it to 127.0.0.1. */
export function createStoreServer(storeDir: string, opts: StoreServerOptions = {}): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (code: number, text: string) => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    if ((path === '/' || path === '/index.html') && opts.refreshIndex) {
      try {
        opts.refreshIndex();
      } catch (e) {
        return send(500, `could not list the store: ${(e as Error).message}`);
      }
    }
    const file = resolveInside(storeDir, url);
    if (!file) return send(404, 'not found');
    if (!existsSync(file) || !statSync(file).isFile()) return send(404, 'not found');
    res.writeHead(200, {
      'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
}
