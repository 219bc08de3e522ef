// Unit tests for scripts/ensure-services.mjs: the pure helpers, the protocol probe against
// in-process fake servers, and the script's failure path for an unreachable remote host.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import * as services from '../../../scripts/ensure-services.mjs';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts/ensure-services.mjs');

describe('maskSecrets', () => {
  it('hides the password of a URL and keeps the rest', () => {
    expect(services.maskSecrets('amqp://guest:guest@127.0.0.1:5672')).toBe('amqp://guest:***@127.0.0.1:5672');
    expect(services.maskSecrets('redis://:s3cret@host:6379/0')).toBe('redis://:***@host:6379/0');
  });

  it('hides every password in a longer text and password= parameters', () => {
    const text = 'a postgres://u:p1@h/db b amqp://x:p2@h c ?password=p3&x=1';
    const masked = services.maskSecrets(text);
    expect(masked).not.toMatch(/p1|p2|p3/);
    expect(masked).toContain('postgres://u:***@h/db');
    expect(masked).toContain('password=***&x=1');
  });

  it('leaves URLs without a password alone', () => {
    expect(services.maskSecrets('postgres://127.0.0.1:5432/jobdeck')).toBe('postgres://127.0.0.1:5432/jobdeck');
    expect(services.maskSecrets('postgres://root@127.0.0.1/jobdeck')).toBe('postgres://root@127.0.0.1/jobdeck');
  });
});

describe('parseServiceUrl', () => {
  it('reads host, port and credentials', () => {
    expect(services.parseServiceUrl('amqp://guest:g%40st@10.0.0.5:5673/vhost', 5672)).toEqual({
      host: '10.0.0.5',
      port: 5673,
      username: 'guest',
      password: 'g@st',
    });
  });

  it('falls back to the default port and strips IPv6 brackets', () => {
    expect(services.parseServiceUrl('redis://[::1]', 6379)).toMatchObject({ host: '::1', port: 6379 });
    expect(services.parseServiceUrl('postgres://localhost/jobdeck', 5432)).toMatchObject({ host: 'localhost', port: 5432 });
  });

  it('rejects a malformed URL without echoing its password', () => {
    expect(() => services.parseServiceUrl('nonsense//user:pw@', 1)).toThrow(/not a valid URL/);
  });
});

describe('resolveServices', () => {
  it('uses the defaults and the OS user for PostgreSQL', () => {
    const list = services.resolveServices({}, 'alice');
    expect(list.map((s: { envVar: string; target: { port: number } }) => [s.envVar, s.target.port])).toEqual([
      ['DATABASE_URL', 5432],
      ['REDIS_URL', 6379],
      ['AMQP_URL', 5672],
    ]);
    expect(list[0].pgUser).toBe('alice');
    expect(list[2].url).toBe('amqp://guest:***@127.0.0.1:5672');
  });

  it('takes the URLs from the environment, the URL user first', () => {
    const list = services.resolveServices({ DATABASE_URL: 'postgres://bob@db:6543/x', REDIS_URL: 'redis://cache' }, 'alice');
    expect(list[0]).toMatchObject({ pgUser: 'bob', target: { host: 'db', port: 6543 } });
    expect(list[1].target).toMatchObject({ host: 'cache', port: 6379 });
  });
});

describe('small decisions', () => {
  it('knows the loopback names', () => {
    for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST', '::1']) expect(services.isLocalHost(host)).toBe(true);
    for (const host of ['10.0.0.1', 'db', '127.0.0.2.example']) expect(services.isLocalHost(host)).toBe(false);
  });

  it('picks the highest PostgreSQL version numerically', () => {
    expect(services.highestVersion(['9.6', '13', '15', 'README'])).toBe('15');
    expect(services.highestVersion(['9.6', '10'])).toBe('10');
    expect(services.highestVersion([])).toBeNull();
  });

  it('picks the cluster configured for the port, else main of the highest version', () => {
    const clusters = [
      { version: '13', name: 'main', port: 5433 },
      { version: '15', name: 'main', port: 5432 },
      { version: '15', name: 'other', port: 5440 },
    ];
    expect(services.pickCluster(clusters, 5440)).toMatchObject({ version: '15', name: 'other' });
    expect(services.pickCluster(clusters, 5433)).toMatchObject({ version: '13', name: 'main' });
    expect(services.pickCluster(clusters, 6000)).toMatchObject({ version: '15', name: 'main' });
    expect(services.pickCluster([], 5432)).toBeNull();
  });

  it('tells a missing role from a password prompt', () => {
    expect(services.classifyPsqlError('FATAL:  role "root" does not exist')).toBe('role');
    expect(services.classifyPsqlError('fe_sendauth: no password supplied')).toBe('auth');
    expect(services.classifyPsqlError('FATAL:  password authentication failed for user "root"')).toBe('auth');
    expect(services.classifyPsqlError('could not connect to server')).toBe('other');
  });

  it('starts a throwaway Redis on the asked port without persistence', () => {
    const args = services.redisServerArgs(6390, '/d', '/d/ci.log');
    const option = (name: string) => args[args.indexOf(name) + 1];
    expect(option('--port')).toBe('6390');
    expect(option('--save')).toBe('');
    expect(option('--appendonly')).toBe('no');
    expect(option('--daemonize')).toBe('yes');
  });
});

describe('what the script may do', () => {
  type Service = { envVar: string; target: { host: string; port: number; password: string }; pgUser: string };
  const resolve = (env: Record<string, string>): Service[] => services.resolveServices(env, 'alice');
  const redisAt = (url: string) => resolve({ REDIS_URL: url })[1]!;
  const postgresAt = (url: string) => resolve({ DATABASE_URL: url })[0]!;
  const down = { error: 'connect ECONNREFUSED', installed: true, mayInstall: false, canApt: false };

  it('treats only a loopback name with the default port as the default address', () => {
    for (const url of ['redis://127.0.0.1:6379', 'redis://localhost', 'redis://[::1]:6379/2']) {
      expect(services.isDefaultAddress(redisAt(url))).toBe(true);
    }
    for (const url of ['redis://127.0.0.1:6399', 'redis://cache:6379', 'redis://10.0.0.2']) {
      expect(services.isDefaultAddress(redisAt(url))).toBe(false);
    }
  });

  it('changes the system only with --install, JOBDECK_INSTALL or CI=true', () => {
    expect(services.installAllowed([], {})).toBe(false);
    expect(services.installAllowed(['--for-tests'], { CI: 'false', JOBDECK_INSTALL: '0' })).toBe(false);
    expect(services.installAllowed(['--install'], {})).toBe(true);
    expect(services.installAllowed([], { JOBDECK_INSTALL: '1' })).toBe(true);
    expect(services.installAllowed([], { CI: 'true' })).toBe(true);
  });

  it('never starts a server for a URL other than the default, installed or not', () => {
    for (const options of [down, { ...down, mayInstall: true, canApt: true }]) {
      const plan = services.planForDown(redisAt('redis://127.0.0.1:6399'), options);
      expect(plan.action).toBe('fail');
      expect(plan.message).toContain('Redis is not reachable at 127.0.0.1:6399 (REDIS_URL=redis://127.0.0.1:6399): connect ECONNREFUSED');
      expect(plan.message).toContain('Only the default redis://127.0.0.1:6379 is started');
    }
    const remote = services.planForDown(redisAt('redis://cache:6379'), down);
    expect(remote).toMatchObject({ action: 'fail' });
    expect(remote.message).not.toContain('Only the default');
  });

  it('starts an installed server at the default address without asking', () => {
    expect(services.planForDown(redisAt('redis://127.0.0.1:6379'), down)).toEqual({ action: 'start' });
  });

  it('installs a missing server only when allowed, else prints the command', () => {
    const service = redisAt('redis://127.0.0.1:6379');
    const missing = { ...down, installed: false };
    expect(services.planForDown(service, { ...missing, mayInstall: true, canApt: true })).toEqual({ action: 'install' });
    const asked = services.planForDown(service, { ...missing, canApt: true });
    expect(asked.action).toBe('fail');
    expect(asked.message).toContain('sudo apt-get install -y redis-server');
    expect(asked.message).toContain(services.INSTALL_HINT);
    const notRoot = services.planForDown(service, { ...missing, mayInstall: true });
    expect(notRoot.action).toBe('fail');
    expect(notRoot.message).toContain('sudo apt-get install -y redis-server');
    expect(notRoot.message).not.toContain(services.INSTALL_HINT);
  });

  it('creates a PostgreSQL role only when allowed and root, else prints the exact command', () => {
    const service = postgresAt('postgres://bob@127.0.0.1:5432/jobdeck');
    expect(services.planForLogin(service, 'role', { mayInstall: true, root: true })).toEqual({ action: 'create-role' });
    for (const options of [{ mayInstall: false, root: true }, { mayInstall: true, root: false }]) {
      const plan = services.planForLogin(service, 'role', options);
      expect(plan.action).toBe('fail');
      expect(plan.message).toContain(`sudo -u postgres psql -p 5432 -c 'CREATE ROLE "bob" SUPERUSER LOGIN'`);
    }
  });

  it('edits pg_hba.conf only when allowed and root, else prints the lines and the reload', () => {
    const service = postgresAt('postgres://bob@127.0.0.1:5432/jobdeck');
    expect(services.planForLogin(service, 'auth', { mayInstall: true, root: true })).toEqual({ action: 'trust-loopback' });
    const plan = services.planForLogin(service, 'auth', { mayInstall: false, root: true });
    expect(plan.action).toBe('fail');
    expect(plan.message).toContain('host all all 127.0.0.1/32 trust');
    expect(plan.message).toContain('host all all ::1/128 trust');
    expect(plan.message).toContain("SHOW hba_file");
    expect(plan.message).toContain('pg_reload_conf()');
    const withPassword = postgresAt('postgres://bob:pw@127.0.0.1:5432/jobdeck');
    expect(services.planForLogin(withPassword, 'auth', { mayInstall: true, root: true })).toEqual({ action: 'warn' });
    expect(services.planForLogin(service, 'other', { mayInstall: true, root: true })).toEqual({ action: 'warn' });
  });
});

describe('answers (protocol probe)', () => {
  const servers: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  /** A local server that replies `reply` to whatever it is sent (or stays silent). */
  async function fakeServer(reply: Buffer | null): Promise<number> {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => {
        if (reply) socket.write(reply);
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as net.AddressInfo).port;
  }

  it('accepts the answer each kind of server gives', async () => {
    const redis = await fakeServer(Buffer.from('+PONG\r\n'));
    const postgres = await fakeServer(Buffer.from('N'));
    const amqp = await fakeServer(Buffer.from([0x01, 0x00, 0x00]));
    expect(await services.answers('127.0.0.1', redis, services.GREETINGS.redis)).toBe(true);
    expect(await services.answers('127.0.0.1', postgres, services.GREETINGS.postgres)).toBe(true);
    expect(await services.answers('127.0.0.1', amqp, services.GREETINGS.rabbitmq)).toBe(true);
  });

  it('refuses a server of another kind and a silent one', async () => {
    const http = await fakeServer(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const silent = await fakeServer(null);
    expect(await services.answers('127.0.0.1', http, services.GREETINGS.postgres)).toBe(false);
    expect(await services.answers('127.0.0.1', silent, services.GREETINGS.rabbitmq, 300)).toBe(false);
  });

  it('reports a closed port as not answering', async () => {
    const port = await fakeServer(null);
    await new Promise((r) => servers.pop()!.close(r));
    expect(await services.answers('127.0.0.1', port, services.GREETINGS.redis)).toBe(false);
  });
});

describe('the script', () => {
  it('stops at a local URL with a mistyped port and starts nothing there', async () => {
    const port = await closedPort();
    const run = spawnSync(process.execPath, [SCRIPT], {
      env: { ...process.env, CI: 'true', REDIS_URL: `redis://127.0.0.1:${port}` },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toContain(`Redis is not reachable at 127.0.0.1:${port} (REDIS_URL=redis://127.0.0.1:${port}): connect ECONNREFUSED`);
    expect(await services.answers('127.0.0.1', port, services.GREETINGS.redis)).toBe(false);
  });

  it('stops at an unreachable remote host, names the variable and hides the password', () => {
    const run = spawnSync(process.execPath, [SCRIPT], {
      env: { ...process.env, DATABASE_URL: 'postgres://app:hunter2@db.example.invalid:5432/jobdeck' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const output = run.stdout + run.stderr;
    expect(run.status).toBe(1);
    expect(output).toContain('PostgreSQL is not reachable at db.example.invalid:5432');
    expect(output).toContain('set DATABASE_URL');
    expect(output).toContain('postgres://app:***@db.example.invalid');
    expect(output).not.toContain('hunter2');
  });
});

/** A port nothing listens on (just closed by us). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
