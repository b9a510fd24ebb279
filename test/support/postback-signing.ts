/**
 * Signed postback URLs as an advertiser's server sends them (SPEC §9): the parameters in the order
 * given, each value percent-encoded, `sig` last: the HMAC-SHA256 (hex) of the sorted `name=value`
 * pairs with the source's secret.
 */
import { createHmac } from 'node:crypto';

export type PostbackParameters = [name: string, value: string][];

/** The signing text: each `name=value` with the value percent-encoded as it will be sent, sorted by name. */
export function signingText(parameters: PostbackParameters): string {
  return [...parameters]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}

export function sign(secret: string, parameters: PostbackParameters): string {
  return createHmac('sha256', secret).update(signingText(parameters)).digest('hex');
}

/** A postback URL with its parameters in the order given and `sig` last. */
export function postbackUrl(key: string, parameters: PostbackParameters, sig: string): string {
  const query = parameters.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  return `/v1/postbacks/${key}?${query}${query === '' ? '' : '&'}sig=${sig}`;
}

export function signedUrl(key: string, secret: string, parameters: PostbackParameters): string {
  return postbackUrl(key, parameters, sign(secret, parameters));
}
