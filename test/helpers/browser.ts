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
