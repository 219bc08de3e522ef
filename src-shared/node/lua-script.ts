/** The part of an ioredis client a script runs on (structural, so shared code stays pure). */
export interface ScriptRunner {
  evalsha(sha: string, numberOfKeys: number, ...args: string[]): Promise<unknown>;
  script(subcommand: 'LOAD', script: string): Promise<unknown>;
}

/**
 * A Lua script run by its SHA (`EVALSHA`), loaded into Redis (`SCRIPT LOAD`, which answers the
 * SHA) on first use and again whenever Redis has forgotten it (a restart: `NOSCRIPT`).
 * ioredis's `defineCommand` does the same per socket, but under `enableAutoPipelining` every
 * pipeline counts as a new socket, so it sent the whole script (kilobytes, which Redis then
 * hashes) with nearly every call; a plain `evalsha` is pipelined like any other command.
 */
export class LuaScript {
  private sha: Promise<string> | null = null;

  constructor(
    readonly lua: string,
    private readonly numberOfKeys: number,
  ) {}

  async run(redis: ScriptRunner, ...keysThenArgs: string[]): Promise<unknown> {
    const sha = await this.load(redis, false);
    try {
      return await redis.evalsha(sha, this.numberOfKeys, ...keysThenArgs);
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return redis.evalsha(await this.load(redis, true), this.numberOfKeys, ...keysThenArgs);
    }
  }

  private load(redis: ScriptRunner, again: boolean): Promise<string> {
    if (!this.sha || again) {
      const loading = redis.script('LOAD', this.lua).then(String);
      // A failed load (Redis down) is tried again on the next run.
      loading.catch(() => {
        if (this.sha === loading) this.sha = null;
      });
      this.sha = loading;
    }
    return this.sha;
  }
}
