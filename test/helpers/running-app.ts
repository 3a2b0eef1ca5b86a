import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startApplication, type Application } from '../../scripts/app/application.ts';
import { loadConfig, type Config } from '../../scripts/config.ts';

/** The administrator every test server is started with (BOOTSTRAP_ADMIN_TOKEN / BOOTSTRAP_ADMIN_PASSWORD). */
export const TEST_ADMIN_TOKEN = 'tvs_test-administrator-token-0123456789abcdef';
export const TEST_ADMIN_PASSWORD = 'mật khẩu thử nghiệm của quản trị';
/** Headers of a request made as that administrator. */
export const ADMIN_HEADERS: Readonly<Record<string, string>> = Object.freeze({ Authorization: `Bearer ${TEST_ADMIN_TOKEN}` });

export interface RunningApp {
  application: Application;
  config: Config;
  /** `http://127.0.0.1:PORT`, also the app's PUBLIC_BASE_URL, so the links it builds work. */
  baseUrl: string;
  /** Stops the app and removes its data folder. */
  close(): Promise<void>;
}

/** A TCP port on loopback that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The product on embedded defaults in a fresh data folder, on a free loopback port known
 * before start, so PUBLIC_BASE_URL (and every link and IIIF id) points at it — what a
 * browser test needs.
 */
export async function startAppOnFreePort(prefix: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: baseUrl,
    BOOTSTRAP_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    BOOTSTRAP_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    ...env,
  });
  const application = await startApplication(config, pino({ level: 'silent' }));
  return {
    application,
    config,
    baseUrl,
    close: async () => {
      await application.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
