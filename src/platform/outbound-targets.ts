/**
 * Outbound targets (SPEC §9): every HTTP call Tally makes refuses loopback, private, link-local,
 * unique-local, CGNAT, multicast, unspecified and cloud-metadata addresses, unless the operator opts
 * in with TALLY_ALLOW_PRIVATE_TARGETS=1. A URL is checked when it is registered and again before
 * each request; the request then connects to the very address that was checked (pinnedLookup), so
 * a name cannot resolve to a public address for the check and a private one for the connection.
 */
import dns from 'node:dns';
import net from 'node:net';

/** Every range an outbound call must not reach. Node's BlockList matches IPv4-mapped IPv6 too. */
const privateRanges = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 included
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, 169.254.169.254 (cloud metadata) included
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, 255.255.255.255 included
] as const) {
  privateRanges.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 of any IPv4 address
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local (fd00::/8 included)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  privateRanges.addSubnet(prefix, bits, 'ipv6');
}

/** True when an IP address (v4 or v6) is one an outbound call must not reach; a text that is no IP is not public either. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = net.isIP(bare);
  if (family === 4) return privateRanges.check(bare, 'ipv4');
  if (family !== 6) return true;
  // An IPv4-mapped address (::ffff:127.0.0.1, ::ffff:7f00:1) is checked against the IPv4 ranges by the BlockList itself.
  return privateRanges.check(bare, 'ipv6');
}

/** Why an outbound target was refused: the message is kept in a delivery attempt, or shown at registration. */
export class PrivateTargetError extends Error {}

export interface CheckedTarget {
  /** The address to connect to: the one that was checked. */
  address: string;
  family: 4 | 6;
}

export type HostLookup = (host: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

const systemLookup: HostLookup = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/**
 * Checks a URL's host: an IP literal directly, a name by resolving it, where every address must be
 * public. Returns the address to connect to; throws PrivateTargetError when refused, or the
 * resolver's error when the name does not resolve. With `allowPrivate`, nothing is refused.
 */
export async function checkOutboundTarget(
  url: string | URL,
  options: { allowPrivate: boolean; lookup?: HostLookup },
): Promise<CheckedTarget> {
  const host = (typeof url === 'string' ? new URL(url) : url).hostname.replace(/^\[|\]$/g, '');
  const literal = net.isIP(host);
  const addresses = literal !== 0 ? [{ address: host, family: literal }] : await (options.lookup ?? systemLookup)(host);
  if (addresses.length === 0) throw new PrivateTargetError(`${host} resolves to no address`);
  if (!options.allowPrivate) {
    const refused = addresses.find((entry) => isPrivateAddress(entry.address));
    if (refused !== undefined) {
      const what = literal !== 0 ? host : `${host} (${refused.address})`;
      throw new PrivateTargetError(
        `${what} is a loopback, private, link-local or metadata address; set TALLY_ALLOW_PRIVATE_TARGETS=1 to allow such targets`,
      );
    }
  }
  const first = addresses[0] as { address: string; family: number };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** A `lookup` for node:http(s) that answers every name with the checked address: no second resolution. */
export function pinnedLookup(target: CheckedTarget): net.LookupFunction {
  return ((_host: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as net.LookupFunction;
}
