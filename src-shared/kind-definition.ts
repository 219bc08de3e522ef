/**
 * A job kind as the registry holds it: the three built-in kinds and every entry of the kinds
 * file (`JOBDECK_KINDS`). Paths are absolute once loaded (the file's are relative to its folder).
 */

/** A JavaScript ES module run inside the worker: its default export is `async (job, ctx) => result`. */
export interface ModuleHandlerSpec {
  module: string;
}

/** Any program: the job as one JSON line on stdin, JSON lines on stdout. */
export interface CommandHandlerSpec {
  command: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/** Jobdeck POSTs the job; a 2xx JSON answer is the result. */
export interface HttpHandlerSpec {
  http: {
    url: string;
    timeout_ms?: number;
    /** A Standard Webhooks secret (`whsec_…`) the POST is signed with. */
    secret?: string;
    /** Or the name of the environment variable that holds it. */
    secret_env?: string;
  };
}

/** One of the book's kinds, run by Jobdeck's own handler. */
export interface BuiltinHandlerSpec {
  builtin: 'log' | 'callback' | 'email';
}

export type HandlerSpec = ModuleHandlerSpec | CommandHandlerSpec | HttpHandlerSpec | BuiltinHandlerSpec;

export interface KindDefinition {
  /** Lowercase letters, digits and `-`; unique; not `batch`. */
  name: string;
  description: string;
  /** The book's letter (`A`, `B`, `C`) of a built-in kind; a user kind has none. */
  letter?: string;
  /** JSON Schema (draft 2020-12) of the payload. */
  payload_schema: Record<string, unknown>;
  handler: HandlerSpec;
  max_attempts?: number;
  /** Per attempt; at most 15 minutes. */
  timeout_ms?: number;
  /** Worker processes this console runs (0: they run elsewhere). */
  workers?: number;
  prefetch?: number;
}
