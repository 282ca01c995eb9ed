// The edge: security headers on every answer, and no state-changing API request from another site.
//
// Headers (@fastify/helmet): a CSP without inline script (the web app's scripts are files; antd
// writes inline styles, so style-src allows them), frame-ancestors 'none', nosniff, a strict
// Referrer-Policy; authenticated JSON is never stored by a cache.
//
// Cross-site requests: a page on another site can make a browser send a "simple" POST (a form
// with text/plain or multipart) with the user's cookie. The browser says where a request comes
// from (Sec-Fetch-Site, and Origin on every POST): anything but the same origin is refused before
// the route runs. Open311 is exempt: partners post from their servers with a key, never a cookie.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import { DomainError } from '../lib/errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const COOKIE_API = /^\/api\//;

/** Why a request that changes something is refused as coming from another site, or null. */
export function crossSiteProblem(h: { method: string; url: string; host: string | undefined; origin?: string; secFetchSite?: string }, allowed: readonly string[] = []): string | null {
  if (SAFE.has(h.method) || !COOKIE_API.test(h.url)) return null;
  if (h.secFetchSite && h.secFetchSite !== 'same-origin' && h.secFetchSite !== 'none') return `Sec-Fetch-Site: ${h.secFetchSite}`;
  if (h.origin === undefined) return null; // not a browser (curl, a script): no ambient cookie to abuse
  if (h.origin === 'null') return 'Origin: null';
  let origin: URL;
  try { origin = new URL(h.origin); } catch { return 'Origin unreadable'; }
  // the Host header may carry the default port that the Origin leaves out
  let self: string | null = null;
  try { self = h.host ? new URL(`${origin.protocol}//${h.host}`).host : null; } catch { /* unreadable Host: not ours */ }
  if (origin.host === self || allowed.includes(h.origin)) return null;
  return `Origin ${h.origin} ≠ ${h.host}`;
}

export async function registerEdge(app: FastifyInstance, opts: { allowedOrigins?: readonly string[] } = {}) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // map tiles may come from a configured tile server; pictures are data or blobs on the phone page
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    frameguard: { action: 'deny' },
    // HSTS only matters behind HTTPS; sent there by the proxy or here when the request was https
    strictTransportSecurity: false,
  });

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const problem = crossSiteProblem({
      method: req.method, url: req.url, host: req.host, origin: req.headers.origin,
      secFetchSite: req.headers['sec-fetch-site'] as string | undefined,
    }, opts.allowedOrigins);
    if (problem) {
      req.log.warn({ problem, url: req.url }, 'cross-site request refused');
      throw new DomainError(403, 'CROSS_SITE', `拒绝来自其他网站的请求，请在本系统的页面中操作 (cross-site request refused: ${problem})`);
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.actor && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
