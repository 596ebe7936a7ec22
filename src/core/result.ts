/**
 * The one result type of the core: a success carries its values, a refusal carries a Dutch reason
 * a person can read. Refusals are values, not exceptions: the caller decides what a refusal means.
 */
export type Refusal = { ok: false; reason: string };
export type Result<T extends object = object> = ({ ok: true } & T) | Refusal;

export const refuse = (reason: string): Refusal => ({ ok: false, reason });
