import { parentPort, workerData } from 'node:worker_threads';

import { loadNomModels, type NomModels } from './load-nom-models.ts';
import { modelsWithCorrections } from './nom-column-recognizer.ts';
import type { NomThreadReply, NomThreadRequest, NomThreadSetup } from './nom-thread-messages.ts';
import { recognizeNomColumn } from './recognize-nom-column.ts';

/** The Nôm recogniser's worker thread: loads the models once, then answers requests in order. */
async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('nom-thread.ts runs as a worker thread only');
  const setup = workerData as NomThreadSetup;
  const reply = (message: NomThreadReply) => port.postMessage(message);
  let base: NomModels;
  try {
    base = await loadNomModels(setup.dataDir);
  } catch (error) {
    reply({ kind: 'failed', id: 0, message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  let models = base;
  reply({ kind: 'ready' });
  port.on('message', (request: NomThreadRequest) => {
    try {
      if (request.kind === 'corrections') {
        models = modelsWithCorrections(base, request.crops);
        reply({ kind: 'done', id: request.id });
      } else {
        const columns = request.crops.map((crop) => recognizeNomColumn(crop, models, setup.options));
        reply({ kind: 'columns', id: request.id, columns });
      }
    } catch (error) {
      reply({ kind: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
}

await serve();
