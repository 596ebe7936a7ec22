/**
 * An error reported to the client as a SQL Server ERROR token: number, severity class and message
 * follow SQL Server's own (2627 duplicate key, 208 invalid object, 18456 login failed, …) so client
 * code that inspects `err.number` behaves as against the real server.
 */
export class SqlError extends Error {
  constructor(
    readonly number: number,
    message: string,
    readonly severity = 16,
    readonly state = 1,
  ) {
    super(message);
    this.name = "SqlError";
  }
}

/** Raised by THROW: ends the batch (unless inside BEGIN TRY). */
export class ThrowError extends SqlError {}

/** Something this test server cannot emulate (named in the message): ends the batch, so nothing runs on a guess. */
export class Unsupported extends SqlError {
  constructor(message: string) {
    super(50000, message, 16, 1);
  }
}
