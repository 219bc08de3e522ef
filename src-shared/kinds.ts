/**
 * A job kind by name: one of the registry's (the built-in kinds and the kinds file's). The
 * registry (`KindRegistry`) decides which names exist; everything else carries the name along.
 */
export type JobKind = string;

/** A kind's name: lowercase letters, digits and `-`, starting with a letter or digit (at most 64). */
export const KIND_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Reserved: the kind-like name of batch events in filters. */
export const BATCH_KIND = 'batch';

/** Which kinds exist: what every schema that takes a kind checks it against. */
export interface KindNames {
  /** Every kind's name, the built-in ones first. */
  readonly names: readonly JobKind[];
  /** A kind by name or by a built-in kind's letter (`A`, `a`); undefined when unknown. */
  resolve(value: string): JobKind | undefined;
  /** How the kind is listed in a message: `log, callback, email (or A, B, C)`. */
  describe(): string;
}
