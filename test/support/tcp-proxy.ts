import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy a test owns, placed between Jobdeck and one service: `cut()` severs every
 * connection through it and refuses new ones (accepted, then reset at once) until `heal()`;
 * `stall()` keeps connections open but forwards nothing (a partition where no reset arrives), and
 * `heal()` then severs the stalled ones; `partition()` stalls and also keeps a close at either end
 * from reaching the other. The service itself is never touched.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private severed = false;
  private stalled = false;
  private partitioned = false;
  /** Connections severed or refused while cut. */
  refused = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Listens on a free loopback port; returns it. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return this.port;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get isCut(): boolean {
    return this.severed;
  }

  /** Rewrites a service URL to go through this proxy. */
  urlFor(serviceUrl: string): string {
    const url = new URL(serviceUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** Destroys every open connection and refuses new ones until {@link heal}. */
  cut(): void {
    this.severed = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Forwards nothing in either direction, and closes nothing, until {@link heal}. */
  stall(): void {
    this.stalled = true;
  }

  /**
   * Like {@link stall}, and a close at one end does not reach the other either (a partition
   * carries no FIN or reset): each end learns of the partition only by its own timeouts (AMQP
   * heartbeats), or when {@link heal} severs what was left open.
   */
  partition(): void {
    this.stalled = true;
    this.partitioned = true;
  }

  heal(): void {
    if (this.stalled) this.cut();
    this.stalled = false;
    this.partitioned = false;
    this.severed = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.severed) {
      this.refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.target);
    this.sockets.add(client).add(upstream);
    const drop = (): void => {
      if (this.partitioned) return; // heal() ends both
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk: Buffer) => this.stalled || upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => this.stalled || client.write(chunk));
  }
}
