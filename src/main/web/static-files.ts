import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { mimeTypeOf } from '../renderer-assets/renderer-assets';
import { applySecurityHeaders, sendText } from './headers';

/** Vite names bundled assets `name-<hash>.ext` under `assets/`: their content never changes under that name. */
const HASHED_ASSET = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

function cacheControlFor(urlPath: string): string {
  return HASHED_ASSET.test(urlPath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

type Resolved =
  { kind: 'file'; file: string; stat: fs.Stats } | { kind: 'refused'; status: number; text: string };

/**
 * Serves the built renderer, read-only: GET and HEAD only; `/` is `index.html`; no directory listings, no
 * dotfiles, and nothing outside the root — neither through `..` (plain or percent-encoded) nor through a
 * symbolic link. Hashed assets are cached for a year; everything else is revalidated with an ETag.
 */
export class StaticFiles {
  private constructor(private readonly root: string) {}

  /** Fails when the directory does not exist, so a host never starts without its renderer. */
  static async create(rendererDir: string): Promise<StaticFiles> {
    const root = await fs.promises.realpath(rendererDir);
    const stat = await fs.promises.stat(root);
    if (!stat.isDirectory()) throw new Error(`Renderer directory is not a directory: ${rendererDir}`);
    return new StaticFiles(root);
  }

  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
      return;
    }
    const resolved = await this.resolve(req.url ?? '/');
    if (resolved.kind === 'refused') {
      if (resolved.status === 404 && urlPathOf(req.url ?? '/') === '/favicon.ico') {
        // Browsers ask for it on their own; "no icon" is not an error worth a 404 in the console.
        applySecurityHeaders(res);
        res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' });
        res.end();
        return;
      }
      sendText(res, resolved.status, resolved.text);
      return;
    }
    const { file, stat } = resolved;
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    applySecurityHeaders(res);
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', stat.mtime.toUTCString());
    res.setHeader('Cache-Control', cacheControlFor(urlPathOf(req.url ?? '/')));
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': mimeTypeOf(file), 'Content-Length': String(stat.size) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    try {
      await pipeline(fs.createReadStream(file), res);
    } catch {
      // The client went away or the file vanished mid-read (a rebuild): the response is already broken off.
      res.destroy();
    }
  }

  private async resolve(rawUrl: string): Promise<Resolved> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPathOf(rawUrl));
    } catch {
      return { kind: 'refused', status: 400, text: 'Bad request' };
    }
    if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
      return { kind: 'refused', status: 400, text: 'Bad request' };
    }
    const candidate = path.resolve(this.root, '.' + (decoded === '/' ? '/index.html' : decoded));
    if (!isInside(this.root, candidate)) return { kind: 'refused', status: 403, text: 'Forbidden' };
    const relative = path.relative(this.root, candidate);
    if (relative.split(path.sep).some((segment) => segment.startsWith('.'))) {
      return { kind: 'refused', status: 404, text: 'Not found' };
    }
    try {
      // realpath: a symbolic link inside the root must not lead out of it.
      const real = await fs.promises.realpath(candidate);
      if (!isInside(this.root, real)) return { kind: 'refused', status: 403, text: 'Forbidden' };
      const stat = await fs.promises.stat(real);
      if (!stat.isFile()) return { kind: 'refused', status: 404, text: 'Not found' };
      return { kind: 'file', file: real, stat };
    } catch {
      return { kind: 'refused', status: 404, text: 'Not found' };
    }
  }
}

function urlPathOf(rawUrl: string): string {
  const end = rawUrl.search(/[?#]/);
  return end === -1 ? rawUrl : rawUrl.slice(0, end);
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
