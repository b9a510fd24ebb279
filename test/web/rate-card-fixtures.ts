/**
 * A rate card for the web tests (SPEC §8's example: list 40.00, premiums 20 % and 15 %), its two
 * versions, a product catalog, and a stand-in API that sees each request's method and body.
 */

import type { Person } from '../../src/wire/people.ts';
import type { Product, RateCard, RateCardVersion } from '../../src/wire/rate-cards.ts';
import { type SentRequest, type StubAnswer, stubRequests } from './api-stub.tsx';

export const people: Person[] = [{ id: 'usr_olivia', name: 'Olivia Ops', email: 'olivia@example.com' }];

export const products: Product[] = [
  {
    id: 'prd_1',
    key: 'ctv-prime-30',
    name: 'CTV prime time, 30 s',
    description: null,
    createdBy: 'usr_olivia',
    createdAt: '2026-01-02T09:00:00.000Z',
  },
  {
    id: 'prd_2',
    key: 'ctv-ron',
    name: 'CTV run of network',
    description: 'Any daypart',
    createdBy: 'usr_olivia',
    createdAt: '2026-01-02T09:00:00.000Z',
  },
  {
    id: 'prd_3',
    key: 'display',
    name: 'Standard display',
    description: null,
    createdBy: 'usr_olivia',
    createdAt: '2026-01-02T09:00:00.000Z',
  },
];

export const card: RateCard = {
  id: 'rcd_1',
  name: 'CTV 2026',
  currency: 'USD',
  currentVersion: 1,
  createdBy: 'usr_olivia',
  createdAt: '2026-01-02T09:00:00.000Z',
  versions: [
    { number: 1, status: 'approved', effectiveFrom: '2026-01-01', createdBy: 'usr_olivia', createdAt: '2026-01-02T09:00:00.000Z' },
    { number: 2, status: 'pending_approval', effectiveFrom: '2026-12-01', createdBy: 'usr_olivia', createdAt: '2026-11-20T09:00:00.000Z' },
  ],
};

const lifecycle = {
  rateCardId: card.id,
  currency: 'USD',
  createdBy: 'usr_olivia',
  submittedBy: 'usr_olivia',
  rejection: null,
};

export const version1: RateCardVersion = {
  ...lifecycle,
  number: 1,
  status: 'approved',
  effectiveFrom: '2026-01-01',
  createdAt: '2026-01-02T09:00:00.000Z',
  submittedAt: '2026-01-02T10:00:00.000Z',
  approvedAt: '2026-01-03T10:00:00.000Z',
  approvals: [{ by: 'usr_me', at: '2026-01-03T10:00:00.000Z', comment: 'Matches the sales deck' }],
  revision: 3,
  entries: [
    { product: 'ctv-prime-30', model: 'cpm', listRate: '40.00', floorRate: '30.00' },
    { product: 'ctv-prime-30', model: 'cpcv', listRate: '0.0500', floorRate: '0.0350' },
    { product: 'display', model: 'cpc', listRate: '1.50', floorRate: '1.00' },
  ],
  premiums: [
    { dimension: 'geo', value: 'dma', percent: '20' },
    { dimension: 'audience', value: 'first_party', percent: '15' },
    { dimension: 'daypart', value: 'prime', amount: '2.00' },
  ],
};

/** Version 2: prime time up to 42, display dropped, run of network added; one premium dropped, one changed, one written otherwise. */
export const version2: RateCardVersion = {
  ...lifecycle,
  number: 2,
  status: 'pending_approval',
  effectiveFrom: '2026-12-01',
  createdAt: '2026-11-20T09:00:00.000Z',
  submittedAt: '2026-11-20T10:00:00.000Z',
  approvedAt: null,
  approvals: [],
  revision: 2,
  entries: [
    { product: 'ctv-prime-30', model: 'cpm', listRate: '42.00', floorRate: '30.00' },
    { product: 'ctv-prime-30', model: 'cpcv', listRate: '0.05', floorRate: '0.035' },
    { product: 'ctv-ron', model: 'cpm', listRate: '24.00' },
  ],
  premiums: [
    { dimension: 'geo', value: 'dma', percent: '20.00' },
    { dimension: 'daypart', value: 'prime', amount: '2.50' },
  ],
};

const notFound = (path: string): StubAnswer => ({
  status: 404,
  body: { type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: path },
});

/** People, products and the card's reads. */
function cardReads(request: SentRequest): StubAnswer {
  const path = request.url.pathname;
  if (path === '/v1/people') return { body: { data: people } };
  if (path === '/v1/products') return { body: { data: products, nextCursor: null } };
  if (path === '/v1/rate-cards') return { body: { data: [card], nextCursor: null } };
  if (path === `/v1/rate-cards/${card.id}`) return { body: card };
  if (path === `/v1/rate-cards/${card.id}/versions/1`) return { body: version1 };
  if (path === `/v1/rate-cards/${card.id}/versions/2`) return { body: version2 };
  return notFound(path);
}

/**
 * Makes `fetch` answer through `answer` (its method, URL and JSON body), with people, products and
 * the card's reads answered by default, a version's with an ETag; returns the requests sent, in order.
 */
export function stubRateCards(answer: (request: SentRequest) => StubAnswer | undefined = () => undefined): SentRequest[] {
  return stubRequests(answer, cardReads, (request): Record<string, string> =>
    request.url.pathname.includes('/versions/') ? { etag: `"${request.url.pathname}"` } : {},
  );
}
