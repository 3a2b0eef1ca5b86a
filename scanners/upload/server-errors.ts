import { StationError } from '../station-error.ts';

/** The server did not answer (down, unreachable, 5xx, timed out): the document waits in the offline queue and is tried again. */
export class ServerUnavailableError extends StationError {}

/** The document cannot be delivered as it is (retrying will not help): it goes to rejected/ with the reason. */
export class DocumentRefusedError extends StationError {}

/**
 * The server answered and refused (4xx): trying again will not help. `status` and the server's
 * own `message` are kept so the station can tell the operator what to fix.
 */
export class ServerRefusedError extends DocumentRefusedError {
  readonly status: number;
  readonly serverMessage: string;

  constructor(status: number, serverMessage: string, what: string) {
    super(`${what}: the server refused (${status}): ${serverMessage}`);
    this.status = status;
    this.serverMessage = serverMessage;
  }
}

/** The `{ error: { message } }` of a server answer, or its first 500 characters when it has none. */
export function serverMessage(body: string): string {
  try {
    return (JSON.parse(body) as { error: { message: string } }).error.message;
  } catch {
    return body.slice(0, 500);
  }
}
