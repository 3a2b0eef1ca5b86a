import test from 'ava';
import type { Page, Response } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import { digitisedItem } from '../helpers/digitised-item.ts';
import { startAppOnFreePort, TEST_ADMIN_PASSWORD } from '../helpers/running-app.ts';

/** Another IIIF server, over HTTPS; the browser's requests to it are answered from our own server. */
const REMOTE = 'https://iiif.example.org';

const TILE = /\/iiif\/3\/[^/]+\/[^/]+\/[^/]+\/0\/default\.jpg$/;

/** Reports every `securitypolicyviolation` of every frame, before any page script runs. */
const LISTEN_FOR_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (event) => {
  window.reportCspViolation([event.violatedDirective, event.blockedURI, event.sourceFile + ':' + event.lineNumber].join(' '));
});`;

async function watchPolicy(page: Page, problems: string[], current: () => string): Promise<void> {
  await page.exposeBinding('reportCspViolation', (source, text: string) => problems.push(`${current()}: violation ${text} in ${source.frame.url()}`));
  await page.addInitScript(LISTEN_FOR_VIOLATIONS);
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) problems.push(`${current()}: console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${current()}: ${error.message}`));
}

async function signInAsAdministrator(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/dang-nhap?tiep=/`, { waitUntil: 'networkidle' });
  await page.locator('#login-username').fill('admin');
  await page.locator('#login-password').fill(TEST_ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.locator('form.login-form button[type=submit]').click()]);
}

/** Answers the browser's requests to REMOTE with our server's responses, rewriting the ids in JSON. */
async function serveRemoteFromOurs(page: Page, baseUrl: string): Promise<void> {
  await page.route(`${REMOTE}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `${baseUrl}${url.pathname}${url.search}` });
    const json = (response.headers()['content-type'] ?? '').includes('json');
    await route.fulfill(json ? { response, body: (await response.text()).replaceAll(baseUrl, REMOTE) } : { response });
  });
}

const isTile = (response: Response, origin: string) => response.url().startsWith(origin) && TILE.test(response.url()) && response.status() === 200;

test('the pages and the viewer, ours or another server’s manifest, run under the Content-Security-Policy without a violation', async (t) => {
  const { baseUrl, close } = await startAppOnFreePort('web-csp');
  const browser = await launchChromium();
  try {
    const { itemId } = await digitisedItem(baseUrl, 'csp');
    const page = await browser.newPage();
    const problems: string[] = [];
    let current = '/dang-nhap';
    await watchPolicy(page, problems, () => current);
    await signInAsAdministrator(page, baseUrl);

    for (const path of ['/', `/bien-muc/tai-lieu/${itemId}`, '/quan-tri', '/tim-kiem?q=thu+vien']) {
      current = path;
      const response = await page.goto(`${baseUrl}${path}`, { waitUntil: 'networkidle' });
      t.is(response?.status(), 200, path);
      t.is(page.url(), `${baseUrl}${path}`, `${path} is shown, not a sign-in page`);
    }
    for (const path of [`/tai-lieu/${itemId}`, `/viewer/${itemId}`]) {
      current = path;
      const tile = page.waitForResponse((response) => isTile(response, baseUrl), { timeout: 60_000 });
      const manifest = page.waitForResponse(`${baseUrl}/iiif/manifest/${itemId}`);
      await page.goto(`${baseUrl}${path}`);
      t.is((await manifest).status(), 200, `${path}: manifest`);
      await tile;
      await page.waitForLoadState('networkidle');
    }

    current = '/viewer?manifest=(another IIIF server)';
    await serveRemoteFromOurs(page, baseUrl);
    const remoteTile = page.waitForResponse((response) => isTile(response, REMOTE), { timeout: 60_000 });
    const remoteManifest = page.waitForResponse(`${REMOTE}/iiif/manifest/${itemId}`);
    await page.goto(`${baseUrl}/viewer?manifest=${encodeURIComponent(`${REMOTE}/iiif/manifest/${itemId}`)}`);
    t.is((await remoteManifest).status(), 200, 'the other server’s manifest is fetched');
    await remoteTile;
    await page.getByText('Thư viện tỉnh Đắk Nông').first().waitFor({ timeout: 30_000 });
    await page.unrouteAll({ behavior: 'ignoreErrors' });

    t.deepEqual(problems, []);
  } finally {
    await browser.close();
    await close();
  }
});
