/** One part's way to stop. */
type Close = () => unknown;

/**
 * What has been started, to be stopped in reverse order. `close()` runs once however often it is
 * called (the promise is kept, so concurrent callers wait for the same run); every failure is
 * logged with the part's name and the next part is closed anyway. A part added after closing
 * began is closed at once, so a step still opening when the close came does not leak.
 */
export class Closers {
  private readonly stack: { name: string; close: Close }[] = [];
  private closing: Promise<void> | null = null;

  constructor(private readonly log: (line: string) => void) {}

  add(name: string, close: Close): void {
    if (this.closing) {
      void this.closeOne({ name, close });
      return;
    }
    this.stack.push({ name, close });
  }

  get closed(): boolean {
    return this.closing !== null;
  }

  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    for (let part = this.stack.pop(); part; part = this.stack.pop()) await this.closeOne(part);
  }

  private async closeOne(part: { name: string; close: Close }): Promise<void> {
    try {
      await part.close();
    } catch (error) {
      this.log(`closing the ${part.name} failed: ${(error as Error).message ?? String(error)}`);
    }
  }
}
