/** The outbound-target classifier (SPEC §9): which addresses a webhook may never reach unless allowed, and the pinned connection. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkOutboundTarget, isPrivateAddress, pinnedLookup, PrivateTargetError } from '../../src/platform/outbound-targets.ts';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['0.0.0.0', true],
    ['10.0.0.1', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['100.127.255.255', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['::1', true],
    ['::', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:10.0.0.1', true],
    ['[::1]', true],
    ['fd00::1', true],
    ['fc00::1', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['ff02::1', true],
    ['not an address', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['172.32.0.1', false],
    ['100.128.0.1', false],
    ['11.0.0.1', false],
    ['::ffff:8.8.8.8', false],
    ['2606:4700:4700::1111', false],
    ['2001:4860:4860::8888', false],
  ])('%s → private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('checkOutboundTarget', () => {
  const resolvesTo =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('checks IP literals without resolving and refuses private ones', async () => {
    const lookup = async () => {
      throw new Error('must not resolve a literal');
    };
    await expect(checkOutboundTarget('http://127.0.0.1:9/x', { allowPrivate: false, lookup })).rejects.toBeInstanceOf(PrivateTargetError);
    await expect(checkOutboundTarget('http://[::1]/x', { allowPrivate: false, lookup })).rejects.toBeInstanceOf(PrivateTargetError);
    await expect(checkOutboundTarget('http://169.254.169.254/latest/meta-data', { allowPrivate: false, lookup })).rejects.toThrow(
      /TALLY_ALLOW_PRIVATE_TARGETS/,
    );
    await expect(checkOutboundTarget('https://8.8.8.8/', { allowPrivate: false, lookup })).resolves.toEqual({
      address: '8.8.8.8',
      family: 4,
    });
  });

  it('refuses a name when any of its addresses is private, and pins the first checked one otherwise', async () => {
    await expect(
      checkOutboundTarget('https://hooks.example.com/', { allowPrivate: false, lookup: resolvesTo('93.184.216.34', '10.0.0.5') }),
    ).rejects.toThrow(/hooks\.example\.com \(10\.0\.0\.5\)/);
    await expect(
      checkOutboundTarget('https://hooks.example.com/', { allowPrivate: false, lookup: resolvesTo('93.184.216.34', '2606:4700::1') }),
    ).resolves.toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('allows everything when the operator opts in', async () => {
    await expect(checkOutboundTarget('http://127.0.0.1:9/x', { allowPrivate: true })).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(checkOutboundTarget('http://internal.example/', { allowPrivate: true, lookup: resolvesTo('::1') })).resolves.toEqual({
      address: '::1',
      family: 6,
    });
  });
});

describe('pinnedLookup', () => {
  it('connects to the checked address without resolving the name again (no DNS rebinding)', async () => {
    const hosts: (string | undefined)[] = [];
    const server = http.createServer((request, response) => {
      hosts.push(request.headers.host);
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // `.invalid` never resolves (RFC 6761): only the pinned address can have answered.
      const url = new URL(`http://rebound.invalid:${port}/hook`);
      const lookup = pinnedLookup({ address: '127.0.0.1', family: 4 });
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request(url, { lookup, agent: false }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        request.end();
      });
      expect(status).toBe(200);
      // The request still names the host it was made for.
      expect(hosts).toEqual([`rebound.invalid:${port}`]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
