import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { ensureDebianPackages, hasCommand } from './system-packages.ts';

const SERVER = 'postgres://postgres@127.0.0.1:5432';
export const TEST_DATABASE_URL = `${SERVER}/test`;

type Probe = 'ok' | 'down' | 'auth';

async function probe(): Promise<Probe> {
  const client = new pg.Client({ connectionString: `${SERVER}/postgres`, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rowCount } = await client.query(`select 1 from pg_database where datname = 'test'`);
    if (rowCount === 0) await client.query('create database test');
    return 'ok';
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === '28P01' || code === '28000' ? 'auth' : 'down';
  } finally {
    await client.end().catch(() => {});
  }
}

function clusterVersions(): string[] {
  return existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').sort() : [];
}

/**
 * The tests' PostgreSQL is a local server with trust authentication on loopback, as on
 * the developer and CI machines. A server this script installed itself gets that rule.
 */
function trustLoopback(version: string, log: (line: string) => void): void {
  const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
  const rules = 'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n';
  const current = readFileSync(hba, 'utf8');
  if (current.startsWith(rules)) return;
  log(`allowing trust authentication on loopback in ${hba} (test machines only)`);
  writeFileSync(hba, rules + current);
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'reload'], { stdio: 'ignore' });
}

/** Makes sure PostgreSQL answers on 127.0.0.1:5432 with a database `test`: starts or installs it. */
export async function ensurePostgres(log: (line: string) => void): Promise<string> {
  let state = await probe();
  if (state === 'ok') return TEST_DATABASE_URL;
  if (state === 'down') {
    if (!hasCommand('pg_ctlcluster') || clusterVersions().length === 0) ensureDebianPackages(['postgresql'], log);
    const version = clusterVersions().at(-1);
    if (version === undefined) throw new Error('PostgreSQL is installed but has no cluster under /etc/postgresql');
    log(`starting PostgreSQL ${version} cluster main`);
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'ignore' });
    for (let attempt = 0; attempt < 60; attempt++) {
      state = await probe();
      if (state !== 'down') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  if (state === 'auth') {
    const version = clusterVersions().at(-1);
    if (version === undefined) throw new Error('PostgreSQL refuses the password-less test login and has no local cluster to configure');
    trustLoopback(version, log);
    state = await probe();
  }
  if (state !== 'ok') throw new Error(`PostgreSQL does not answer on 127.0.0.1:5432 (${state})`);
  return TEST_DATABASE_URL;
}
