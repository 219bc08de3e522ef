import { describe, expect, it } from 'vitest';
import { parseAddress, refusedClassOf } from '../../../../src-shared/node/address-classes';
import { OutboundPolicy, outboundSettings, outboundWorkerEnv } from '../../../../src-shared/node/outbound-policy';
import { ConfigError } from '../../../../src-shared/settings';
import { stricterOf } from '../../../../src-shared/node/namespace-outbound';

const classOf = (address: string) => refusedClassOf(parseAddress(address)!);
const strict = (allow: string[] = [], consoleUrl: string | null = null) => new OutboundPolicy({ mode: 'strict', allow }, () => consoleUrl);

describe('refusedClassOf', () => {
  const classes: Record<string, string[]> = {
    loopback: ['127.0.0.1', '127.255.0.9', '::1'],
    'link-local': ['169.254.1.1', 'fe80::1', 'febf::1'],
    private: ['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1', 'fc00::1', 'fd12:3456::1'],
    unspecified: ['0.0.0.0', '0.1.2.3', '::'],
    'cloud metadata': ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200'],
    'site-local': ['fec0::1', 'feff::1'],
    'carrier-grade NAT': ['100.64.0.1', '100.127.255.255'],
    benchmarking: ['198.18.0.1', '198.19.255.255'],
    multicast: ['224.0.0.1', '239.255.255.250', 'ff02::1', 'ff0e::1'],
    reserved: ['240.0.0.1', '255.255.255.254'],
    broadcast: ['255.255.255.255'],
  };
  for (const [refused, addresses] of Object.entries(classes)) {
    it(`names ${refused} addresses`, () => {
      for (const address of addresses) expect(classOf(address), address).toBe(refused);
    });
  }

  it('names IPv4-mapped IPv6 addresses by the IPv4 address they map, dotted or in hex', () => {
    expect(classOf('::ffff:127.0.0.1')).toBe('loopback');
    expect(classOf('::ffff:7f00:1')).toBe('loopback');
    expect(classOf('[::ffff:10.1.2.3]')).toBe('private');
    expect(classOf('::ffff:169.254.169.254')).toBe('cloud metadata');
    expect(classOf('::ffff:0.0.0.0')).toBe('unspecified');
    expect(classOf('::ffff:8.8.8.8')).toBeNull();
  });

  it('names IPv6 addresses that carry an IPv4 address by that address: IPv4-compatible, IPv4-translated, NAT64, 6to4', () => {
    expect(classOf('[::7f00:1]')).toBe('loopback');
    expect(classOf('::127.0.0.1')).toBe('loopback');
    expect(classOf('[::ffff:0:7f00:1]')).toBe('loopback');
    expect(classOf('[64:ff9b::a00:1]')).toBe('private');
    expect(classOf('64:ff9b::169.254.169.254')).toBe('cloud metadata');
    expect(classOf('64:ff9b:1::a9fe:101')).toBe('link-local');
    expect(classOf('[2002:a00:1::1]')).toBe('private');
    expect(classOf('2002:7f00:1::')).toBe('loopback');
    for (const address of ['64:ff9b::808:808', '2002:808:808::1', '::ffff:0:808:808']) expect(classOf(address), address).toBeNull();
  });

  it('refuses no public address, nor the neighbours of the refused networks', () => {
    for (const address of ['8.8.8.8', '172.15.255.255', '172.32.0.1', '192.169.0.1', '11.0.0.1', '100.63.255.255', '100.128.0.1', '198.17.255.255', '198.20.0.1', '223.255.255.255', '128.0.0.1', '2001:4860:4860::8888', 'fe00::1', 'fbff::1', '2003::1']) {
      expect(classOf(address), address).toBeNull();
    }
  });
});

describe('OutboundPolicy.refusalOfUrl', () => {
  it('refuses IP literals of each class and localhost names before any lookup, naming the class', () => {
    const policy = strict();
    expect(policy.refusalOfUrl('http://127.0.0.1:6379/')).toBe('127.0.0.1 is a loopback address');
    expect(policy.refusalOfUrl('http://[::1]:6379/')).toBe('::1 is a loopback address');
    expect(policy.refusalOfUrl('http://[::ffff:127.0.0.1]/')).toBe('::ffff:7f00:1 is a loopback address');
    expect(policy.refusalOfUrl('http://169.254.169.254/latest/meta-data/')).toBe('169.254.169.254 is a cloud metadata address');
    expect(policy.refusalOfUrl('http://[fd00:ec2::254]/')).toBe('fd00:ec2::254 is a cloud metadata address');
    expect(policy.refusalOfUrl('http://0.0.0.0:8000/')).toBe('0.0.0.0 is an unspecified address');
    expect(policy.refusalOfUrl('https://192.168.0.10/hook')).toBe('192.168.0.10 is a private address');
    expect(policy.refusalOfUrl('http://[fe80::1]/')).toBe('fe80::1 is a link-local address');
    // The URL parser's own spellings of an IPv4 address are the address.
    expect(policy.refusalOfUrl('http://2130706433/')).toBe('127.0.0.1 is a loopback address');
    expect(policy.refusalOfUrl('http://LOCALHOST:9/')).toBe('localhost names a loopback address');
    expect(policy.refusalOfUrl('http://api.localhost./')).toBe('api.localhost names a loopback address');
  });

  it('leaves names to the lookup, and public addresses through', () => {
    const policy = strict();
    for (const url of ['https://example.org/hook', 'http://metadata.google.internal/', 'http://8.8.8.8/', 'not a url']) {
      expect(policy.refusalOfUrl(url), url).toBeNull();
    }
  });

  it('lets through what the allow list names: a host, a CIDR (IPv4 or IPv6), an address', () => {
    expect(strict(['localhost']).refusalOfUrl('http://localhost:3000/')).toBeNull();
    expect(strict(['127.0.0.0/8']).refusalOfUrl('http://127.0.0.1:3000/')).toBeNull();
    expect(strict(['127.0.0.0/8']).refusalOfUrl('http://localhost:3000/')).toBeNull();
    expect(strict(['10.1.0.0/16']).refusalOfUrl('http://10.1.2.3/')).toBeNull();
    expect(strict(['10.1.0.0/16']).refusalOfUrl('http://10.2.0.1/')).toBe('10.2.0.1 is a private address');
    expect(strict(['10.1.0.0/16']).refusalOfUrl('http://[::ffff:10.1.2.3]/')).toBeNull();
    expect(strict(['fd00::/8']).refusalOfUrl('http://[fd12::1]/')).toBeNull();
    expect(strict(['::1']).refusalOfUrl('http://[::1]:6379/')).toBeNull();
    expect(strict(['::1']).refusalOfUrl('http://127.0.0.1:6379/')).toBe('127.0.0.1 is a loopback address');
  });

  it("keeps the console's own inbox allowed, and nothing else at its address", () => {
    const policy = strict([], 'http://127.0.0.1:8000');
    expect(policy.refusalOfUrl('http://127.0.0.1:8000/api/v1/inbox/jobs/1')).toBeNull();
    expect(policy.refusalOfUrl('http://127.0.0.1:8000/api/v1/jobs')).toMatch(/console's own address, where only its webhook inbox/);
    expect(policy.refusalOfUrl('http://127.0.0.1:8001/api/v1/inbox/x')).toBe('127.0.0.1 is a loopback address');
    expect(policy.allowsHost('127.0.0.1', 8000)).toBe(true);
    expect(policy.allowsHost('127.0.0.1', 6379)).toBe(false);
  });

  it('refuses nothing when off', () => {
    expect(OutboundPolicy.OFF.refusalOfUrl('http://169.254.169.254/')).toBeNull();
    expect(OutboundPolicy.OFF.refusalOfAddress('metadata.google.internal', '169.254.169.254')).toBeNull();
  });
});

describe('OutboundPolicy.refusalOfAddress', () => {
  it('judges a name by what it resolved to', () => {
    expect(strict().refusalOfAddress('metadata.google.internal', '169.254.169.254')).toBe(
      'metadata.google.internal resolves to a cloud metadata address',
    );
    expect(strict().refusalOfAddress('rebind.example', '::ffff:127.0.0.1')).toBe('rebind.example resolves to a loopback address');
    expect(strict().refusalOfAddress('vm', '127.0.1.1')).toBe('vm resolves to a loopback address');
    expect(strict().refusalOfAddress('cgnat.example', '100.64.0.1')).toBe('cgnat.example resolves to a carrier-grade NAT address');
  });

  it('never says the address a name resolved to', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', 'fd00::1', '::ffff:192.168.0.9']) {
      expect(strict().refusalOfAddress('internal.example', address)).not.toContain(address);
    }
    expect(strict().refusalOfAddress('example.org', '93.184.216.34')).toBeNull();
    expect(strict(['127.0.0.1/32']).refusalOfAddress('vm', '127.0.0.1')).toBeNull();
  });

  it('skips the check for a host the allow list names', () => {
    expect(strict(['Receiver.Internal']).allowsHost('receiver.internal', 80)).toBe(true);
    expect(strict(['receiver.internal']).allowsHost('other.internal', 80)).toBe(false);
  });
});

describe('outboundSettings', () => {
  const settings = (env: { JOBDECK_OUTBOUND_POLICY?: 'strict' | 'off'; JOBDECK_OUTBOUND_ALLOW?: string; JOBDECK_HOST?: string }) =>
    outboundSettings({ JOBDECK_OUTBOUND_ALLOW: '', JOBDECK_HOST: '127.0.0.1', ...env });

  it('is off on loopback and strict beyond it by default; JOBDECK_OUTBOUND_POLICY decides when set', () => {
    expect(settings({}).mode).toBe('off');
    expect(settings({ JOBDECK_HOST: '::1' }).mode).toBe('off');
    expect(settings({ JOBDECK_HOST: 'localhost' }).mode).toBe('off');
    expect(settings({ JOBDECK_HOST: '0.0.0.0' }).mode).toBe('strict');
    expect(settings({ JOBDECK_HOST: '::' }).mode).toBe('strict');
    expect(settings({ JOBDECK_HOST: '192.168.1.5' }).mode).toBe('strict');
    expect(settings({ JOBDECK_OUTBOUND_POLICY: 'strict' }).mode).toBe('strict');
    expect(settings({ JOBDECK_HOST: '0.0.0.0', JOBDECK_OUTBOUND_POLICY: 'off' }).mode).toBe('off');
  });

  it('reads the allow list, and refuses an entry that is no host, address or CIDR, naming the variable', () => {
    expect(settings({ JOBDECK_OUTBOUND_ALLOW: ' Receiver.internal, 10.0.0.0/8,[::1], fd00::/8,' }).allow).toEqual([
      'receiver.internal',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ]);
    expect(() => settings({ JOBDECK_OUTBOUND_ALLOW: '10.0.0.0/33' })).toThrow(ConfigError);
    expect(() => settings({ JOBDECK_OUTBOUND_ALLOW: 'http://x' })).toThrow(/JOBDECK_OUTBOUND_ALLOW: "http:\/\/x" must be a host name/);
  });

  it("gives spawned workers the console's effective mode, its allow list and its address", () => {
    const effective = settings({ JOBDECK_HOST: '0.0.0.0', JOBDECK_OUTBOUND_ALLOW: '10.0.0.0/8,hooks.internal' });
    expect(outboundWorkerEnv(effective, 'http://127.0.0.1:8000', 'secret')).toEqual({
      JOBDECK_OUTBOUND_POLICY: 'strict',
      JOBDECK_OUTBOUND_ALLOW: '10.0.0.0/8,hooks.internal',
      JOBDECK_CONSOLE_URL: 'http://127.0.0.1:8000',
      JOBDECK_INBOX_TOKEN: 'secret',
    });
  });
});

describe('OutboundPolicy.isOwnInbox', () => {
  it("is the console's origin and a path under the inbox, whatever the mode", () => {
    const own = new OutboundPolicy({ mode: 'off', allow: [] }, () => 'http://127.0.0.1:8000');
    expect(own.isOwnInbox('http://127.0.0.1:8000/api/v1/inbox/jobs/1')).toBe(true);
    expect(own.isOwnInbox('http://127.0.0.1:8000/api/v1/jobs')).toBe(false);
    expect(own.isOwnInbox('http://127.0.0.1:8001/api/v1/inbox/jobs/1')).toBe(false);
    expect(own.isOwnInbox('https://127.0.0.1:8000/api/v1/inbox/jobs/1')).toBe(false);
    expect(own.isOwnInbox('http://evil.example/api/v1/inbox/jobs/1')).toBe(false);
    expect(strict().isOwnInbox('http://127.0.0.1:8000/api/v1/inbox/jobs/1')).toBe(false);
  });
});

describe('stricterOf', () => {
  it('is strict when either is, with the allow entries of both', () => {
    const off = { mode: 'off' as const, allow: ['10.0.0.0/8'] };
    expect(stricterOf(off, { mode: 'strict', allow: ['hooks.internal'] })).toEqual({ mode: 'strict', allow: ['hooks.internal', '10.0.0.0/8'] });
    expect(stricterOf({ mode: 'strict', allow: [] }, { mode: 'off', allow: [] }).mode).toBe('strict');
    expect(stricterOf(off, { mode: 'off', allow: ['10.0.0.0/8'] })).toEqual(off);
  });
});
