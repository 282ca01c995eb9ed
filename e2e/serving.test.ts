// The API itself serves the built web app (what `npm start` does), with client routes falling back to index.html.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from './harness.js';

let server: Server | undefined;
beforeAll(async () => { server = await startServer(); });
afterAll(async () => { await server?.close(); });

describe('serving the web app', () => {
  it('buildApp with webDist starts, serves index.html, assets and the SPA fallback', async () => {
    const index = await fetch(`${server!.url}/`);
    expect(index.status).toBe(200);
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(asset).toBeTruthy();
    // Bodies are read to the end: an unread body keeps its connection busy and the server's close waits for it.
    const js = await fetch(`${server!.url}${asset}`);
    expect(js.status).toBe(200);
    await js.arrayBuffer();
    const deep = await fetch(`${server!.url}/areas/123`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    const api404 = await fetch(`${server!.url}/api/nope`);
    expect(api404.status).toBe(404);
    expect((await api404.json()).error.code).toBe('NOT_FOUND');
    // inside /api/v1 an unknown address without a session is 401 like every other route there
    const unauth = await fetch(`${server!.url}/api/v1/nope`);
    expect(unauth.status).toBe(401);
    await unauth.arrayBuffer();
  });
});
