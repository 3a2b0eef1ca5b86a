/**
 * Addresses of the real services the test runner (`scripts/run-tests.ts`) made sure are
 * running. Tests never start or guess services themselves: run them with `npm test`
 * (which accepts ava arguments, e.g. `npm test -- test/storage`).
 */
export interface TestServices {
  /**
   * s3rver on loopback, e.g. `http://127.0.0.1:45678`, with keys `S3RVER`/`S3RVER`; or a
   * real MinIO when TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY and TEST_S3_SECRET_KEY point at one.
   */
  s3Endpoint: string;
  s3AccessKey: string;
  s3SecretKey: string;
  /** PostgreSQL server database `test`, trust auth. */
  databaseUrl: string;
  redisUrl: string;
}

export function testServices(): TestServices {
  const { TEST_S3_ENDPOINT, TEST_DATABASE_URL, TEST_REDIS_URL } = process.env;
  if (!TEST_S3_ENDPOINT || !TEST_DATABASE_URL || !TEST_REDIS_URL) {
    throw new Error(
      'Test services are not configured: run the tests through `npm test` (it starts Redis, PostgreSQL and s3rver and sets TEST_S3_ENDPOINT, TEST_DATABASE_URL, TEST_REDIS_URL).',
    );
  }
  return {
    s3Endpoint: TEST_S3_ENDPOINT,
    s3AccessKey: process.env.TEST_S3_ACCESS_KEY ?? 'S3RVER',
    s3SecretKey: process.env.TEST_S3_SECRET_KEY ?? 'S3RVER',
    databaseUrl: TEST_DATABASE_URL,
    redisUrl: TEST_REDIS_URL,
  };
}
