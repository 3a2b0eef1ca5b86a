import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface RunningS3rver {
  /** `http://127.0.0.1:PORT`; access and secret key are both `S3RVER`. */
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * s3rver on an ephemeral loopback port with its own empty directory: a real S3 protocol
 * server over HTTP standing in for MinIO (it lacks ListMultipartUploads; see README).
 */
export async function startS3rver(): Promise<RunningS3rver> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
