import { chromium, type Browser } from 'playwright-core';

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
