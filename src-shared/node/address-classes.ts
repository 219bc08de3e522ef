import ipaddr from 'ipaddr.js';

/** An IP address as ipaddr.js parses it. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
/** A network: its first address and the prefix length. */
export type IpRange = [IpAddress, number];

/** The classes of address the strict outbound policy refuses. */
export type RefusedClass = 'cloud metadata' | 'loopback' | 'link-local' | 'private' | 'unspecified';

/**
 * Each refused class and its networks, IPv4 and IPv6. The metadata addresses come first: they lie
 * inside a wider class and are named for what they are. 169.254.169.254 serves AWS, Google Cloud
 * (`metadata.google.internal`), Azure, OpenStack, DigitalOcean and Oracle Cloud; fd00:ec2::254
 * is AWS's IPv6 one; 100.100.100.200 is Alibaba Cloud's (in the shared 100.64/10, not refused
 * otherwise). 0.0.0.0/8 is "this network": Linux connects 0.0.0.0 to the local host.
 */
const REFUSED_NETWORKS: readonly { refused: RefusedClass; networks: readonly string[] }[] = [
  { refused: 'cloud metadata', networks: ['169.254.169.254/32', 'fd00:ec2::254/128', '100.100.100.200/32'] },
  { refused: 'loopback', networks: ['127.0.0.0/8', '::1/128'] },
  { refused: 'link-local', networks: ['169.254.0.0/16', 'fe80::/10'] },
  { refused: 'private', networks: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'] },
  { refused: 'unspecified', networks: ['0.0.0.0/8', '::/128'] },
];

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

/** The refused class of an address, or null for any other (public) address. */
export function refusedClassOf(address: IpAddress): RefusedClass | null {
  return REFUSED_RANGES.find(({ range }) => inRange(address, range))?.refused ?? null;
}
