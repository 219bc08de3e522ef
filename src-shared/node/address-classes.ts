import ipaddr from 'ipaddr.js';

/** An IP address as ipaddr.js parses it. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
/** A network: its first address and the prefix length. */
export type IpRange = [IpAddress, number];

/** The classes of address the strict outbound policy refuses. */
export type RefusedClass =
  | 'cloud metadata'
  | 'loopback'
  | 'link-local'
  | 'private'
  | 'site-local'
  | 'carrier-grade NAT'
  | 'benchmarking'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'unspecified';

/**
 * Each refused class and its networks, IPv4 and IPv6. The metadata addresses come first: they lie
 * inside a wider class and are named for what they are. 169.254.169.254 serves AWS, Google Cloud
 * (`metadata.google.internal`), Azure, OpenStack, DigitalOcean and Oracle Cloud; fd00:ec2::254
 * is AWS's IPv6 one; 100.100.100.200 is Alibaba Cloud's (in the shared 100.64/10, not refused
 * otherwise). 0.0.0.0/8 is "this network": Linux connects 0.0.0.0 to the local host. fec0::/10
 * (site-local) is deprecated but still routed inside some networks; 100.64/10 (carrier-grade NAT)
 * and 198.18/15 (benchmarking) are internal networks too.
 */
const REFUSED_NETWORKS: readonly { refused: RefusedClass; networks: readonly string[] }[] = [
  { refused: 'cloud metadata', networks: ['169.254.169.254/32', 'fd00:ec2::254/128', '100.100.100.200/32'] },
  { refused: 'loopback', networks: ['127.0.0.0/8', '::1/128'] },
  { refused: 'link-local', networks: ['169.254.0.0/16', 'fe80::/10'] },
  { refused: 'private', networks: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'] },
  { refused: 'site-local', networks: ['fec0::/10'] },
  { refused: 'carrier-grade NAT', networks: ['100.64.0.0/10'] },
  { refused: 'benchmarking', networks: ['198.18.0.0/15'] },
  { refused: 'multicast', networks: ['224.0.0.0/4', 'ff00::/8'] },
  { refused: 'broadcast', networks: ['255.255.255.255/32'] },
  { refused: 'reserved', networks: ['240.0.0.0/4'] },
  { refused: 'unspecified', networks: ['0.0.0.0/8', '::/128'] },
];

/**
 * IPv6 networks that carry an IPv4 address, and where: IPv4-compatible (::/96), IPv4-translated
 * (::ffff:0:0:0/96), NAT64 (64:ff9b::/96, 64:ff9b:1::/48) in the last 32 bits; 6to4 (2002::/16) in
 * bits 16–47. A host or gateway may forward to that IPv4 address, so it is judged as that address.
 */
const EMBEDDING_NETWORKS: readonly { range: IpRange; firstPart: number }[] = (
  [
    ['::/96', 6],
    ['::ffff:0:0:0/96', 6],
    ['64:ff9b::/96', 6],
    ['64:ff9b:1::/48', 6],
    ['2002::/16', 1],
  ] as const
).map(([network, firstPart]) => ({ range: ipaddr.parseCIDR(network), firstPart }));

const REFUSED_RANGES: readonly { refused: RefusedClass; range: IpRange }[] = REFUSED_NETWORKS.flatMap(({ refused, networks }) =>
  networks.map((network) => ({ refused, range: ipaddr.parseCIDR(network) })),
);

/**
 * The address `text` names (IPv6 brackets allowed), an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`,
 * `::ffff:7f00:1`) as the IPv4 address it maps; null when it is no address.
 */
export function parseAddress(text: string): IpAddress | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : null;
}

/** A CIDR (`10.0.0.0/8`, `fd00::/8`) or a single address (as /32 or /128); null when it is neither. */
export function parseRange(text: string): IpRange | null {
  if (ipaddr.isValidCIDR(text)) {
    const [address, bits] = ipaddr.parseCIDR(text);
    // A mapped network (::ffff:10.0.0.0/104) is the IPv4 network it maps, as its addresses are.
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return [address, bits];
  }
  const address = parseAddress(text);
  return address && [address, address.kind() === 'ipv4' ? 32 : 128];
}

export function inRange(address: IpAddress, [network, bits]: IpRange): boolean {
  return address.kind() === network.kind() && address.match(network, bits);
}

/** The IPv4 address an IPv6 address carries (see EMBEDDING_NETWORKS); null when it carries none. */
export function embeddedIPv4(address: IpAddress): ipaddr.IPv4 | null {
  if (address.kind() !== 'ipv6') return null;
  const embedding = EMBEDDING_NETWORKS.find(({ range }) => inRange(address, range));
  if (!embedding) return null;
  const [high, low] = (address as ipaddr.IPv6).parts.slice(embedding.firstPart, embedding.firstPart + 2) as [number, number];
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The refused class of an address (or of the IPv4 address it carries), or null for any other (public) address. */
export function refusedClassOf(address: IpAddress): RefusedClass | null {
  const own = REFUSED_RANGES.find(({ range }) => inRange(address, range))?.refused;
  if (own) return own;
  const embedded = embeddedIPv4(address);
  return embedded && refusedClassOf(embedded);
}
