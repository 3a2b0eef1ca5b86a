import { chromium, type Browser, type Page } from 'playwright-core';
import { TEST_ADMIN_PASSWORD } from './running-app.ts';

/**
 * Debian's Chromium (installed by the test bootstrap), headless, with the flags that keep it
 * off the network: this machine has none, and Chromium would otherwise keep trying.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs the page in as the test administrator through the sign-in form, as a librarian would. */
export async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/dang-nhap`);
  await page.locator('#login-username').fill('admin');
  await page.locator('#login-password').fill(TEST_ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.locator('.login-form button[type="submit"]').click()]);
}

/** Mirador 4's bundle carries React 19, which warns about Mirador's own use of `element.ref`: not a fault of these pages. */
const MIRADOR_REACT_WARNING = 'Accessing element.ref was removed in React 19';

/** What a page test must end without, collected from the moment `watchPage` is called. */
export interface PageWatch {
  /** Console errors (with the address of the script or resource when `withSource`) and uncaught exceptions. */
  consoleErrors: string[];
  /** Requests to any host but the app's (no CDN, nothing off-site). */
  offSite: string[];
  /** `STATUS URL` of every response with a status of 400 or more. */
  failedResponses: string[];
}

export function watchPage(page: Page, baseUrl: string, options: { withSource?: boolean } = {}): PageWatch {
  const watch: PageWatch = { consoleErrors: [], offSite: [], failedResponses: [] };
  page.on('console', (message) => {
    if (message.type() !== 'error' || message.text().startsWith(MIRADOR_REACT_WARNING)) return;
    watch.consoleErrors.push(options.withSource === true ? `${message.text()} @ ${message.location().url}` : message.text());
  });
  page.on('pageerror', (error) => watch.consoleErrors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) watch.offSite.push(request.url());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) watch.failedResponses.push(`${response.status()} ${response.url()}`);
  });
  return watch;
}
