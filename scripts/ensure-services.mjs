#!/usr/bin/env node
// ensure-services.mjs — make sure RabbitMQ, Redis and PostgreSQL answer at AMQP_URL,
// REDIS_URL and DATABASE_URL before `npm start` / `npm test` go on.
//
// For each service: probe host:port (about 1 s; the server must answer a protocol greeting,
// an open port alone is not enough). Only a service at its DEFAULT address (a loopback name
// and the default port) that does not answer is started, from its installed server, then
// waited for, bounded, saying what we wait for; any other URL that does not answer stops the
// script with the probe's error (a typo in a port must not start a second, empty server).
// Changing the system — installing packages with apt, creating a PostgreSQL role, prepending
// `trust` lines to pg_hba.conf — happens only when allowed: `--install`, JOBDECK_INSTALL=1 or
// CI=true (and as root); otherwise the script prints the exact commands and stops.
// Anything we cannot fix ends in exit 1 with the exact command or variable to change. With
// --for-tests it also makes sure Debian's Chromium is at /usr/bin/chromium (never a browser
// download) and python3 is on PATH (the example command kind).
//
// Node built-ins only: this runs before (and without) the npm packages.
// The pure helpers are exported for the unit tests; the main routine runs only when this
// file is the entry point.

import { spawn } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const PROBE_TIMEOUT_MS = 1000;
const TICK_MS = 10_000;
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const START_TIMEOUT_MS = 60_000;
const CHROMIUM_PATH = '/usr/bin/chromium';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '0:0:0:0:0:0:0:1']);

/** The three services, in the order they are checked. */
export const SERVICES = [
  {
    key: 'postgres',
    name: 'PostgreSQL',
    envVar: 'DATABASE_URL',
    defaultUrl: 'postgres://127.0.0.1:5432/jobdeck',
    defaultPort: 5432,
    aptPackage: 'postgresql',
    waitSeconds: 60,
  },
  {
    key: 'redis',
    name: 'Redis',
    envVar: 'REDIS_URL',
    defaultUrl: 'redis://127.0.0.1:6379',
    defaultPort: 6379,
    aptPackage: 'redis-server',
    waitSeconds: 20,
  },
  {
    key: 'rabbitmq',
    name: 'RabbitMQ',
    envVar: 'AMQP_URL',
    defaultUrl: 'amqp://guest:guest@127.0.0.1:5672',
    defaultPort: 5672,
    aptPackage: 'rabbitmq-server',
    waitSeconds: 120,
  },
];

// ───────────────────────────── pure helpers (unit-tested) ─────────────────────────────

/** Replace the password of every URL in `text` (and any `password=` parameter) by `***`. */
export function maskSecrets(text) {
  return String(text)
    .replace(/(\/\/[^\s/@:]*:)[^\s/@]*@/g, '$1***@')
    .replace(/(password=)[^\s&]*/gi, '$1***');
}

/** Host and port of a service URL, with the scheme's default port; IPv6 brackets removed. */
export function parseServiceUrl(url, defaultPort) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a valid URL: ${maskSecrets(url)}`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = parsed.port ? Number(parsed.port) : defaultPort;
  return {
    host,
    port,
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** True for the names this machine answers to as a loopback host. */
export function isLocalHost(host) {
  return LOCAL_HOSTS.has(String(host).toLowerCase());
}

/** True when the service's URL names its default address: a loopback host and the default port. */
export function isDefaultAddress(service) {
  return isLocalHost(service.target.host) && service.target.port === service.defaultPort;
}

/** Whether the user allowed changes to the system: `--install`, JOBDECK_INSTALL=1|true, or CI=true. */
export function installAllowed(argv, env) {
  return argv.includes('--install') || ['1', 'true'].includes(env.JOBDECK_INSTALL ?? '') || env.CI === 'true';
}

/** How a user allows the script to change the system, for the messages. */
export const INSTALL_HINT = 'JOBDECK_INSTALL=1 npm start (or npm test; as root)';

/**
 * What to do about a service that does not answer: `start` its installed server, `install` it
 * first, or `fail` with a message naming the error and the fix. Only the default address is
 * ever started: any other URL is the user's own server, or a typo.
 */
export function planForDown(service, { error, installed, mayInstall, canApt }) {
  const where = `${service.name} is not reachable at ${describeTarget(service)}: ${error}.`;
  if (!isDefaultAddress(service)) {
    const local = isLocalHost(service.target.host)
      ? `Only the default ${service.defaultUrl} is started by this script. `
      : '';
    return {
      action: 'fail',
      message: `${where}\n${local}Start that server, or set ${service.envVar} to a running one (unset, it means ${service.defaultUrl}).`,
    };
  }
  if (installed) return { action: 'start' };
  if (mayInstall && canApt) return { action: 'install' };
  const command = `sudo apt-get install -y ${service.aptPackage}`;
  const letMe = canApt ? `, or let this script install it: ${INSTALL_HINT}` : '';
  return {
    action: 'fail',
    message:
      `${where}\n${service.name} is not installed. Install it (Debian/Ubuntu: ${command})${letMe}, ` +
      `or set ${service.envVar} to a running server.`,
  };
}

/**
 * What to do when the PostgreSQL user cannot log in (`problem` from classifyPsqlError):
 * `create-role` or `trust-loopback` when allowed and possible, else `fail` with the exact
 * commands that fix it by hand; `warn` for a problem we cannot name.
 */
export function planForLogin(service, problem, { mayInstall, root }) {
  const user = service.pgUser;
  if (problem === 'role') {
    if (mayInstall && root) return { action: 'create-role' };
    return {
      action: 'fail',
      message:
        `PostgreSQL at ${describeTarget(service)} has no role "${user}". Create it:\n` +
        `  sudo -u postgres psql -p ${service.target.port} -c ${shellQuote(createRoleSql(user))}\n` +
        `or set ${service.envVar} to a user that exists${root ? `, or let this script do it: ${INSTALL_HINT}` : ''}.`,
    };
  }
  if (problem === 'auth' && !service.target.password) {
    if (mayInstall && root) return { action: 'trust-loopback' };
    return {
      action: 'fail',
      message:
        `PostgreSQL at ${describeTarget(service)} asks "${user}" for a password. Put it in ${service.envVar} ` +
        `(postgres://${user}:PASSWORD@${hostPort(service)}/jobdeck), or let loopback logins in without one:\n` +
        `  sudo -u postgres psql -p ${service.target.port} -tAc 'SHOW hba_file'   # the file to edit\n` +
        `  # put these lines first in that file:\n${trustHbaLines().slice(1).map((l) => `  ${l}`).join('\n')}\n` +
        `  sudo -u postgres psql -p ${service.target.port} -c 'SELECT pg_reload_conf()'\n` +
        `${root ? `or let this script do it: ${INSTALL_HINT}` : ''}`.trimEnd(),
    };
  }
  return { action: 'warn' };
}

/** The SQL that creates the project's PostgreSQL user. */
export function createRoleSql(user) {
  return `CREATE ROLE ${quoteIdent(user)} SUPERUSER LOGIN`;
}

/** The highest PostgreSQL version among directory names like `13`, `15`, `9.6`. */
export function highestVersion(names) {
  const versions = names.filter((n) => /^\d+(\.\d+)?$/.test(n));
  const key = (v) => v.split('.').map(Number);
  versions.sort((a, b) => {
    const [a1 = 0, a2 = 0] = key(a);
    const [b1 = 0, b2 = 0] = key(b);
    return a1 - b1 || a2 - b2;
  });
  return versions.at(-1) ?? null;
}

/**
 * The cluster to start for `port`: the one configured for that port (highest version first),
 * else `main` of the highest version; null when there is neither.
 */
export function pickCluster(clusters, port) {
  const best = (list) => {
    const version = highestVersion(list.map((c) => c.version));
    return list.find((c) => c.version === version && c.name === 'main') ?? list.find((c) => c.version === version) ?? null;
  };
  const onPort = clusters.filter((c) => c.port === port);
  if (onPort.length > 0) return best(onPort);
  return best(clusters.filter((c) => c.name === 'main'));
}

/** Arguments for a throwaway, non-persistent redis-server on `port`. */
export function redisServerArgs(port, dir, logfile) {
  return [
    '--daemonize', 'yes',
    '--bind', '127.0.0.1', '-::1',
    '--port', String(port),
    '--save', '',
    '--appendonly', 'no',
    '--dir', dir,
    '--logfile', logfile,
  ];
}

/** What a failed `psql` connection says is wrong: 'auth', 'role', or 'other'. */
export function classifyPsqlError(stderr) {
  const text = String(stderr);
  if (/role "[^"]*" does not exist/.test(text)) return 'role';
  if (/password authentication failed|no password supplied|authentication failed/i.test(text)) return 'auth';
  return 'other';
}

/** The pg_hba.conf lines that let local TCP clients in without a password. */
export function trustHbaLines() {
  return [
    '# added by jobdeck scripts/ensure-services.mjs: local development trusts loopback TCP',
    'host all all 127.0.0.1/32 trust',
    'host all all ::1/128 trust',
  ];
}

/** A PostgreSQL identifier, quoted. */
export function quoteIdent(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}

// ───────────────────────────── probing ─────────────────────────────

/**
 * The greeting each server answers at once, and the first bytes its answer may start with:
 * Redis answers PING with `+PONG` or an error (`-NOAUTH`, `-LOADING`); PostgreSQL answers an
 * SSLRequest with `S`, `N` or an error `E`; RabbitMQ answers the AMQP 0-9-1 header with a
 * method frame (Connection.Start, 0x01) or its own header (`A`) on a version mismatch.
 */
export const GREETINGS = {
  redis: { send: Buffer.from('PING\r\n'), firstBytes: '+-' },
  postgres: { send: Buffer.from([0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f]), firstBytes: 'SNE' },
  rabbitmq: { send: Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'), firstBytes: '\x01A' },
};

/**
 * Whether the server at host:port answers the greeting as that kind of server does, within
 * `timeoutMs`: resolves { ok, error } with the reason when it does not. An open port alone is
 * not enough: a broker opens it before it accepts clients, and a proxy may accept any connection.
 */
export function reach(host, port, { send, firstBytes }, timeoutMs = PROBE_TIMEOUT_MS) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (error) => {
      socket.destroy();
      resolve({ ok: error === null, error });
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => socket.write(send));
    socket.once('data', (chunk) =>
      done(chunk.length > 0 && firstBytes.includes(String.fromCharCode(chunk[0])) ? null : 'answered as another kind of server'),
    );
    socket.once('error', (err) => done(err.message));
    socket.once('end', () => done('closed the connection without an answer'));
  });
}

/** True when the server at host:port answers the greeting (see `reach`). */
export async function answers(host, port, greeting, timeoutMs = PROBE_TIMEOUT_MS) {
  return (await reach(host, port, greeting, timeoutMs)).ok;
}

/** The readiness check of one service: { ok, error }. */
function probe(service) {
  const { host, port } = service.target;
  return reach(host, port, GREETINGS[service.key]);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ───────────────────────────── output and failure ─────────────────────────────

const say = (line) => console.log(`[services] ${maskSecrets(line)}`);

class SetupError extends Error {}

/** Stop with a message the user can act on. */
function fail(message) {
  throw new SetupError(maskSecrets(message));
}

// ───────────────────────────── running commands ─────────────────────────────

let logDir;
/** A private temp directory for command logs (files, not pipes: daemons may keep fds). */
function commandLogDir() {
  logDir ??= mkdtempSync(path.join(os.tmpdir(), 'jobdeck-services-'));
  return logDir;
}

/** Remove the command logs (on success; on failure they stay for the user to read). */
function removeCommandLogs() {
  if (logDir) rmSync(logDir, { recursive: true, force: true });
}

function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Run a command with its output in a log file, bounded by `timeoutMs`, printing a line every
 * ~10 s while it runs. Resolves { status, log, output }.
 */
function runLogged(label, command, args, { timeoutMs = START_TIMEOUT_MS, env = {}, cwd } = {}) {
  const log = path.join(commandLogDir(), `${label.replace(/\W+/g, '-')}.log`);
  const fd = openSync(log, 'a');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, ...env },
      cwd,
    });
    const ticker = setInterval(() => {
      say(`still ${label} (${Math.round((Date.now() - started) / 1000)} s, log: ${log})`);
    }, TICK_MS);
    const timer = setTimeout(() => {
      say(`${label} took longer than ${timeoutMs / 1000} s; stopping it`);
      child.kill('SIGTERM');
    }, timeoutMs);
    let finished = false;
    const finish = (status) => {
      if (finished) return;
      finished = true;
      clearInterval(ticker);
      clearTimeout(timer);
      closeSync(fd);
      resolve({ status, log, output: tail(log) });
    };
    child.once('error', (err) => {
      writeFileSync(log, `${err.message}\n`, { flag: 'a' });
      finish(127);
    });
    child.once('exit', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

/** Path of an executable on PATH (or in the sbin directories root tools live in), or null. */
export function findExecutable(name, searchPath = process.env.PATH ?? '') {
  const dirs = [...searchPath.split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

// ───────────────────────────── installing ─────────────────────────────

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = () => existsSync('/etc/debian_version');
const canApt = () => isRoot() && isDebian() && findExecutable('apt-get') !== null;

let aptUpdated = false;

/** apt-get install the package (apt-get update once per run); fail with its log tail. */
async function aptInstall(pkg, why) {
  say(`${why}: installing it with apt-get install -y ${pkg}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    const update = await runLogged('running apt-get update', 'apt-get', ['update'], { timeoutMs: INSTALL_TIMEOUT_MS, env });
    if (update.status !== 0) fail(`apt-get update failed:\n${update.output}\n(full log: ${update.log})`);
    aptUpdated = true;
  }
  const install = await runLogged(`installing ${pkg}`, 'apt-get', ['install', '-y', pkg], {
    timeoutMs: INSTALL_TIMEOUT_MS,
    env,
  });
  if (install.status !== 0) fail(`apt-get install -y ${pkg} failed:\n${install.output}\n(full log: ${install.log})`);
}

function postgresVersion() {
  try {
    return highestVersion(readdirSync('/etc/postgresql'));
  } catch {
    return null;
  }
}

function isInstalled(service) {
  switch (service.key) {
    case 'postgres':
      return findExecutable('pg_ctlcluster') !== null && postgresVersion() !== null;
    case 'redis':
      return findExecutable('redis-server') !== null;
    case 'rabbitmq':
      return findExecutable('rabbitmq-server') !== null;
    default:
      return false;
  }
}

// ───────────────────────────── starting ─────────────────────────────

/** A writable directory: `preferred` (created if missing) or a fresh temp directory. */
function writableDir(preferred, tempPrefix) {
  try {
    mkdirSync(preferred, { recursive: true });
    accessSync(preferred, constants.W_OK);
    return preferred;
  } catch {
    return mkdtempSync(path.join(os.tmpdir(), tempPrefix));
  }
}

/** The PostgreSQL clusters under /etc/postgresql: [{ version, name, port }]. */
function postgresClusters(root = '/etc/postgresql') {
  const clusters = [];
  for (const version of safeReaddir(root)) {
    for (const name of safeReaddir(path.join(root, version))) {
      const conf = path.join(root, version, name, 'postgresql.conf');
      if (!existsSync(conf)) continue;
      const port = /^\s*port\s*=\s*(\d+)/m.exec(readFileSync(conf, 'utf8'))?.[1];
      clusters.push({ version, name, port: port ? Number(port) : 5432 });
    }
  }
  return clusters;
}

function safeReaddir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function startPostgres(service) {
  const clusters = postgresClusters();
  const cluster = pickCluster(clusters, service.target.port);
  if (!cluster) {
    const version = postgresVersion();
    fail(`PostgreSQL ${version} has no cluster "main". Create it: sudo pg_createcluster ${version} main`);
  }
  if (cluster.port !== service.target.port) {
    say(`note: cluster ${cluster.version}/${cluster.name} listens on port ${cluster.port}, ${service.envVar} asks for ${service.target.port}`);
  }
  const args = ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start'];
  say(`starting PostgreSQL: pg_ctlcluster ${args.join(' ')}`);
  return runLogged('starting PostgreSQL', 'pg_ctlcluster', args);
}

async function startRedis(service) {
  const { port } = service.target;
  const dir = writableDir('/var/lib/redis', 'jobdeck-redis-');
  const logfile = path.join(writableDir('/var/log/redis', 'jobdeck-redis-log-'), 'ci.log');
  say(`starting Redis on port ${port} (data dir ${dir}, log ${logfile})`);
  const result = await runLogged('starting Redis', 'redis-server', redisServerArgs(port, dir, logfile));
  return { ...result, log: logfile };
}

async function startRabbitmq() {
  say('starting RabbitMQ: rabbitmq-server -detached');
  return runLogged('starting RabbitMQ', 'rabbitmq-server', ['-detached']);
}

const STARTERS = { postgres: startPostgres, redis: startRedis, rabbitmq: startRabbitmq };

/** Start a local service's server; a failing start command is reported, then we still wait. */
async function startService(service) {
  const result = await STARTERS[service.key](service);
  if (result.status !== 0) {
    say(`the start command for ${service.name} exited with ${result.status}:\n${result.output}`);
  }
  service.startLog = result.log;
}

// ───────────────────────────── waiting ─────────────────────────────

function hostPort(service) {
  const { host, port } = service.target;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function describeTarget(service) {
  return `${hostPort(service)} (${service.envVar}=${service.url})`;
}

/** Wait until the service answers, bounded by its waitSeconds, with a line every ~10 s. */
async function waitForService(service) {
  const limitMs = service.waitSeconds * 1000;
  const started = Date.now();
  let nextTick = started + TICK_MS;
  say(`waiting for ${service.name} at ${describeTarget(service)}, up to ${service.waitSeconds} s`);
  while (Date.now() - started < limitMs) {
    if ((await probe(service)).ok) {
      say(`${service.name} is up (${Math.round((Date.now() - started) / 1000)} s)`);
      return;
    }
    if (Date.now() >= nextTick) {
      say(`still waiting for ${service.name} (${Math.round((Date.now() - started) / 1000)} s of ${service.waitSeconds} s)`);
      nextTick += TICK_MS;
    }
    await sleep(500);
  }
  const log = service.startLog ? `\nIts log: ${service.startLog}\n${tail(service.startLog, 10)}` : '';
  fail(
    `${service.name} did not answer at ${describeTarget(service)} within ${service.waitSeconds} s.${log}\n` +
      `Start it yourself, or set ${service.envVar} to a running server.`,
  );
}

// ───────────────────────────── PostgreSQL access ─────────────────────────────

/** Try `select 1` as the connecting user over TCP; resolves { ok, stderr }. */
async function psqlCheck(service) {
  const { host, port } = service.target;
  const result = await runLogged(
    'checking PostgreSQL login',
    'psql',
    ['-h', host, '-p', String(port), '-U', service.pgUser, '-d', 'postgres', '-w', '-tAc', 'select 1'],
    { timeoutMs: 15_000, env: { PGCONNECT_TIMEOUT: '5', ...(service.target.password ? { PGPASSWORD: service.target.password } : {}) } },
  );
  return { ok: result.status === 0, stderr: result.output };
}

/** Run SQL as the postgres OS user over the local socket (root only). */
function psqlAsPostgres(service, sql) {
  const command = `psql -p ${service.target.port} -v ON_ERROR_STOP=1 -tAc ${shellQuote(sql)}`;
  return runLogged('running psql as postgres', 'su', ['postgres', '-s', '/bin/sh', '-c', command], {
    timeoutMs: 15_000,
    cwd: '/',
  });
}

function shellQuote(text) {
  return `'${String(text).replace(/'/g, `'\\''`)}'`;
}

async function createRole(service) {
  const sql = createRoleSql(service.pgUser);
  say(`PostgreSQL has no role "${service.pgUser}"; creating it: ${sql}`);
  const result = await psqlAsPostgres(service, sql);
  if (result.status !== 0) say(`could not create the role:\n${result.output}`);
  return result.status === 0;
}

/** Prepend loopback trust lines to the server's pg_hba.conf and reload it. */
async function trustLoopback(service) {
  const shown = await psqlAsPostgres(service, 'SHOW hba_file');
  const hbaFile = shown.status === 0 ? shown.output.trim().split('\n').at(-1) : '';
  if (!hbaFile || !existsSync(hbaFile)) {
    say(`could not find pg_hba.conf to allow local logins:\n${shown.output}`);
    return false;
  }
  const current = readFileSync(hbaFile, 'utf8');
  writeFileSync(hbaFile, `${trustHbaLines().join('\n')}\n${current}`);
  const reload = await psqlAsPostgres(service, 'SELECT pg_reload_conf()');
  say(`PostgreSQL asked for a password; ${hbaFile} now trusts 127.0.0.1 and ::1 for local development (reloaded)`);
  return reload.status === 0;
}

/**
 * Make sure the project can log in to a local PostgreSQL as the URL's user (or the OS user)
 * without a password; the role and pg_hba.conf are fixed only when allowed (see planForLogin).
 */
async function ensurePostgresLogin(service, mayInstall) {
  if (!isLocalHost(service.target.host) || !findExecutable('psql')) return;
  const fixers = { 'create-role': createRole, 'trust-loopback': trustLoopback };
  const tried = new Set();
  for (let attempt = 0; attempt < 3; attempt++) {
    const { ok, stderr } = await psqlCheck(service);
    if (ok) return;
    const plan = planForLogin(service, classifyPsqlError(stderr), { mayInstall, root: isRoot() && findExecutable('su') !== null });
    if (plan.action === 'fail') fail(`${plan.message}\n(psql said: ${stderr.trim()})`);
    if (plan.action === 'warn' || tried.has(plan.action) || !(await fixers[plan.action](service))) {
      say(`warning: cannot log in to PostgreSQL as "${service.pgUser}":\n${stderr}\nCheck ${service.envVar}.`);
      return;
    }
    tried.add(plan.action);
  }
}

// ───────────────────────────── Test tools: Chromium, Python 3 ─────────────────────────────

/** What the tests need besides the services: Debian's Chromium (end-to-end) and Python 3 (the example command kind). */
const TEST_TOOLS = [
  { pkg: 'chromium', found: () => existsSync(CHROMIUM_PATH), where: `Chromium at ${CHROMIUM_PATH}`, usedBy: 'the end-to-end tests' },
  { pkg: 'python3', found: () => findExecutable('python3') !== null, where: 'python3 on PATH', usedBy: 'the command kind tests and examples/kinds' },
];

async function ensureTestTool(tool, mayInstall) {
  if (tool.found()) return;
  if (!canApt() || !mayInstall) {
    const letMe = canApt() ? `, or let this script install it: ${INSTALL_HINT}` : '';
    fail(`${tool.usedBy} need ${tool.where}. Install it: sudo apt-get install -y ${tool.pkg}${letMe}`);
  }
  await aptInstall(tool.pkg, `${tool.where} is missing (needed by ${tool.usedBy})`);
  if (!tool.found()) fail(`apt installed ${tool.pkg} but ${tool.where} is still missing; install Debian's ${tool.pkg} package`);
}

// ───────────────────────────── main ─────────────────────────────

/** The services with their URL, target and PostgreSQL user resolved from the environment. */
export function resolveServices(env = process.env, osUser = os.userInfo().username) {
  return SERVICES.map((s) => {
    const url = env[s.envVar] || s.defaultUrl;
    const target = parseServiceUrl(url, s.defaultPort);
    return { ...s, url: maskSecrets(url), target, pgUser: target.username || env.PGUSER || osUser };
  });
}

/** Probe one service; start (and install, when allowed) it when it is down at its default address. Returns whether to wait. */
async function bringUp(service, mayInstall) {
  const { ok, error } = await probe(service);
  if (ok) return false;
  const plan = planForDown(service, { error, installed: isInstalled(service), mayInstall, canApt: canApt() });
  if (plan.action === 'fail') fail(plan.message);
  say(`${service.name} is not reachable at ${describeTarget(service)}: ${error}`);
  if (plan.action === 'install') {
    await aptInstall(service.aptPackage, `${service.name} is not installed`);
    if (!isInstalled(service)) fail(`${service.aptPackage} was installed but its server was not found; try: sudo apt-get install -y ${service.aptPackage}`);
    if ((await probe(service)).ok) return false; // the package's install script may have started it
  }
  await startService(service);
  return true;
}

async function main(argv) {
  const forTests = argv.includes('--for-tests');
  const mayInstall = installAllowed(argv, process.env);
  let services;
  try {
    services = resolveServices();
  } catch (err) {
    fail(err.message);
  }
  const toWait = [];
  for (const service of services) {
    if (await bringUp(service, mayInstall)) toWait.push(service);
  }
  const waits = await Promise.allSettled(toWait.map(waitForService));
  const failures = waits.filter((w) => w.status === 'rejected').map((w) => w.reason);
  if (failures.length > 0) throw failures.length === 1 ? failures[0] : new SetupError(failures.map((f) => f.message).join('\n\n'));
  await ensurePostgresLogin(services.find((s) => s.key === 'postgres'), mayInstall);
  if (forTests) for (const tool of TEST_TOOLS) await ensureTestTool(tool, mayInstall);
  removeCommandLogs();
  say(`ready: ${services.map((s) => `${s.name} ${hostPort(s)}`).join(', ')}${forTests ? `, ${TEST_TOOLS.map((t) => t.where).join(', ')}` : ''}`);
}

function isEntryPoint() {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err) => {
      const message = err instanceof SetupError ? err.message : `unexpected error: ${err?.stack ?? err}`;
      console.error(`[services] ${maskSecrets(message)}`);
      process.exit(1);
    },
  );
}
