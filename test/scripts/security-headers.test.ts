import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import express from 'express';
import { pino } from 'pino';
import { errorHandler } from '../../repository/index.ts';
import { securityHeaders } from '../../scripts/app/security-headers.ts';
import { startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';

let app: RunningApp;
test.before(async () => {
  app = await startAppOnFreePort('security-headers');
});
test.after.always(async () => {
  await app?.close();
});

/** The Content-Security-Policy as a map from directive to its sources. */
function policy(response: Response): Map<string, string[]> {
  const header = response.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((directive): [string, string[]] => {
        const [name = '', ...sources] = directive.trim().split(/\s+/);
        return [name, sources];
      })
      .filter(([name]) => name !== ''),
  );
}

const get = (path: string) => fetch(`${app.baseUrl}${path}`);

/** A stack trace line (`at fn (file.ts:1:2)`) or a source file path. */
const STACK_TRACE = /\bat .+:\d+:\d+|\.ts:\d+|node_modules|node:internal/;

test('a page: strict policy without inline or eval scripts, no framing by others, nosniff, referrer policy, no X-Powered-By, no HSTS over http', async (t) => {
  const response = await get('/');
  t.is(response.status, 200);
  const csp = policy(response);
  t.deepEqual(csp.get('default-src'), ["'self'"]);
  t.deepEqual(csp.get('script-src'), ["'self'"]);
  t.deepEqual(csp.get('script-src-attr'), ["'none'"]);
  t.deepEqual(csp.get('style-src'), ["'self'"]);
  t.deepEqual(csp.get('object-src'), ["'none'"]);
  t.deepEqual(csp.get('frame-ancestors'), ["'self'"]);
  t.false(csp.has('connect-src'), 'connections fall back to default-src');
  t.false(csp.has('upgrade-insecure-requests'), 'the site is served over http here');
  t.is(response.headers.get('x-content-type-options'), 'nosniff');
  t.is(response.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
  t.is(response.headers.get('x-frame-options'), 'SAMEORIGIN');
  t.is(response.headers.get('cross-origin-resource-policy'), 'same-origin');
  t.is(response.headers.get('x-powered-by'), null);
  t.is(response.headers.get('strict-transport-security'), null);
});

test('an API route and its errors carry the same headers', async (t) => {
  for (const [path, status] of [['/api/libraries', 200], ['/api/items/khong-co', 404], ['/api/khong-co', 404]] as const) {
    const response = await get(path);
    t.is(response.status, status, path);
    t.deepEqual(policy(response).get('default-src'), ["'self'"], path);
    t.is(response.headers.get('x-content-type-options'), 'nosniff', path);
    t.is(response.headers.get('cross-origin-resource-policy'), 'same-origin', path);
    t.is(response.headers.get('x-powered-by'), null, path);
  }
});

test('IIIF routes stay usable by other sites’ viewers: CORP cross-origin and CORS *, errors included', async (t) => {
  for (const [path, status] of [['/iiif/collection/top', 200], ['/iiif/3/khong-co/info.json', 404], ['/iiif/manifest/khong-co', 404]] as const) {
    const response = await get(path);
    t.is(response.status, status, path);
    t.is(response.headers.get('cross-origin-resource-policy'), 'cross-origin', path);
    t.is(response.headers.get('x-content-type-options'), 'nosniff', path);
    t.is(response.headers.get('x-powered-by'), null, path);
  }
  t.is((await get('/iiif/collection/top')).headers.get('access-control-allow-origin'), '*');
  t.is((await get('/iiif/3/khong-co/info.json')).headers.get('access-control-allow-origin'), '*');
});

test('only /viewer?manifest= may reach other IIIF servers (https only); our own viewer pages may not', async (t) => {
  const manifest = encodeURIComponent('https://iiif.example.org/manifest.json');
  const open = policy(await get(`/viewer?manifest=${manifest}`));
  t.deepEqual(open.get('connect-src'), ["'self'", 'https:']);
  t.deepEqual(policy(await get(`/Viewer/?manifest=${manifest}`)).get('connect-src'), ["'self'", 'https:'], 'as express routes it');
  t.deepEqual(open.get('img-src'), ["'self'", 'data:', 'https:']);
  t.deepEqual(open.get('script-src'), ["'self'"]);
  const ours = policy(await get('/viewer/0b1c6f4e-5d7a-4f51-9a0e-0d6f6d1c2b3a'));
  t.false(ours.has('connect-src'));
  t.deepEqual(ours.get('img-src'), ["'self'", 'data:']);
  for (const csp of [open, ours]) {
    t.false(csp.get('style-src')?.includes("'unsafe-inline'"), 'Mirador’s styles are allowed by hash');
  }
  // The dashboard's own answer (a redirect to sign in, here) carries its policy.
  const admin = policy(await fetch(`${app.baseUrl}/quan-tri`, { redirect: 'manual' }));
  t.deepEqual(admin.get('style-src'), ["'self'"]);
  t.deepEqual(admin.get('style-src-attr'), ["'unsafe-inline'"]);
});

test('behind an https public address: HSTS and upgrade-insecure-requests', async (t) => {
  const server = express()
    .use(securityHeaders({ publicBaseUrl: 'https://thuvien.example.vn' }))
    .get('/', (_req, res) => {
      res.send('ok');
    })
    .listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    t.is(response.headers.get('strict-transport-security'), 'max-age=31536000');
    t.true(policy(response).has('upgrade-insecure-requests'));
  } finally {
    server.close();
  }
});

test('an unexpected error is answered 500 with a generic body: no message, no stack trace', async (t) => {
  const server = express()
    .get('/fails', () => {
      throw new Error('database password is hunter2');
    })
    .use(errorHandler(pino({ level: 'silent' })))
    .listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/fails`);
    t.is(response.status, 500);
    const body = await response.text();
    t.deepEqual(JSON.parse(body), { error: { code: 'INTERNAL', message: 'Internal error; the details are in the server log.' } });
    t.notRegex(body, /hunter2/);
    t.notRegex(body, STACK_TRACE);
  } finally {
    server.close();
  }
});

test('malformed requests to the product never show a stack trace or an internal message', async (t) => {
  // Bad percent-encoding fails inside express's router, outside our own validation.
  for (const path of ['/api/libraries/%E0%A4%A', '/tai-lieu/%', '/iiif/3/%/full/max/0/default.jpg']) {
    const response = await get(path);
    t.true(response.status >= 400, path);
    const body = await response.text();
    t.notRegex(body, STACK_TRACE, path);
    t.notRegex(body, /URIError/, path);
  }
});
