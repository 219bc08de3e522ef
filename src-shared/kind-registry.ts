import type { KindDefinition } from './kind-definition';
import type { JobKind, KindNames } from './kinds';
import type { FieldError } from './problem';
import type { ResolvedPayload } from './schemas';

/** What a submitted payload turned out to be: checked (its schema's defaults in), or its errors. */
export type PayloadVerdict = { payload: Record<string, unknown> } | { errors: FieldError[] };

/** What the console fills in when a built-in kind's payload leaves a field out. */
export interface PayloadDefaults {
  /** Kind B's callback target: the embedded webhook inbox. */
  callbackUrl(jobId: string): string;
  /** Kind C's recipient. */
  recipient: string;
}

/** One kind as the registry holds it: its definition and the checks its payloads pass. */
export interface KindEntry {
  definition: KindDefinition;
  /** Checks a submitted payload; errors name `<prefix>.<field>` and the rule. */
  check(input: unknown, prefix: string): PayloadVerdict;
  /** The checked payload with the console's defaults filled in (what the worker receives). */
  resolve(payload: Record<string, unknown>, jobId: string, defaults: PayloadDefaults): ResolvedPayload;
  /**
   * What a job message's resolved payload lacks that the kind's handler needs, in one line, or
   * null: the console fills in every default, a message from another publisher may not.
   */
  messageError(payload: Record<string, unknown>): string | null;
  /** The payload's fields that hold a URL the worker POSTs to: the outbound URL policy checks them at submit. */
  urlFields?: readonly string[];
}

/**
 * Every job kind this process knows: the built-in kinds first, then the kinds file's. Built once
 * at start (main and worker alike) and passed to whatever takes a kind.
 */
export class KindRegistry implements KindNames {
  private readonly byName: ReadonlyMap<JobKind, KindEntry>;
  private readonly byLetter: ReadonlyMap<string, JobKind>;
  readonly names: readonly JobKind[];

  constructor(readonly entries: readonly KindEntry[]) {
    this.byName = new Map(entries.map((entry) => [entry.definition.name, entry]));
    this.names = [...this.byName.keys()];
    this.byLetter = new Map(
      entries.flatMap(({ definition }) => (definition.letter ? [[definition.letter.toUpperCase(), definition.name] as const] : [])),
    );
  }

  get(kind: JobKind): KindEntry | undefined {
    return this.byName.get(kind);
  }

  /** The entry of a kind the registry must know (a consumed message's, a route's parsed one). */
  entry(kind: JobKind): KindEntry {
    const entry = this.byName.get(kind);
    if (!entry) throw new Error(`unknown kind ${kind}`);
    return entry;
  }

  resolve(value: string): JobKind | undefined {
    if (this.byName.has(value)) return value;
    return this.byLetter.get(value.toUpperCase());
  }

  describe(): string {
    const letters = [...this.byLetter.keys()];
    return `${this.names.join(', ')}${letters.length > 0 ? ` (or ${letters.join(', ')})` : ''}`;
  }
}
