/** Bad input the user can fix (unreadable file, bad JSON, schema failure, bad arguments): exit code 2, no stack trace. */
export class InputError extends Error {
  override name = "InputError";
}
