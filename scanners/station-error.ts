/**
 * An error the station reports to its operator. `message` is plain English for the logs; the
 * station shows the operator its own Vietnamese text, so nothing here needs translating.
 * A station is another machine and imports nothing of the server's, so it has its own base
 * class instead of the server's `AppError`.
 */
export class StationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
