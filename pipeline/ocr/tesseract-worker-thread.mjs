/**
 * The script of each Tesseract worker thread: tesseract.js's own Node worker script, plus one
 * guard. When loading the core, the language data or the models fails, tesseract.js reports it
 * but leaves its `createWorker` promise pending and the thread alive, and the caller never gets
 * a handle to stop it: an idle thread that keeps the process from exiting. Here the thread
 * ends itself after reporting such a failure (`process.exit` in a worker thread ends the thread).
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const START_ACTIONS = new Set(['load', 'loadLanguage', 'initialize']);

if (parentPort !== null) {
  const port = parentPort;
  const post = port.postMessage.bind(port);
  port.postMessage = (packet, transferList) => {
    post(packet, transferList);
    if (packet !== null && typeof packet === 'object' && packet.status === 'reject' && START_ACTIONS.has(packet.action)) {
      setImmediate(() => process.exit(1));
    }
  };
}

const require = createRequire(import.meta.url);
await import(require.resolve('tesseract.js/src/worker-script/node/index.js'));
