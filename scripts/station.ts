import { parseStationCommand, runStationCommand, StationError } from '../scanners/index.ts';

/** `npm run station -- watch|upload|status …`: the scan station's command line (see `--help`). */
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());

try {
  const command = parseStationCommand(process.argv.slice(2), process.env);
  process.exitCode = await runStationCommand(command, { out: process.stdout, log: process.stderr, signal: controller.signal });
} catch (error) {
  if (!(error instanceof StationError)) throw error;
  process.stderr.write(`Lỗi: ${error.message}\n(npm run station -- --help)\n`);
  process.exitCode = 2;
}
