/**
 * GET /v1/people: the names behind the user ids that other answers carry (createdBy, approvals,
 * audit actors, …), for every role that reads. Staff see names and emails; a party's user sees
 * staff by name only, its own party's users in full, and nothing of another party's users.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { castOf, type Cast, createDraftContract, createParty } from '../support/scenario-helpers.ts';
import { cpmTerms } from '../support/fixtures.ts';

interface Person {
  id: string;
  name: string;
  email: string | null;
}

describeStore('people', () => {
  let h: Harness;
  let cast: Cast;
  let viewer: { id: string; token: string };
  let partyA: { id: string; token: string };
  let colleagueA: { id: string; token: string };
  let partyB: { id: string; token: string };

  beforeAll(async () => {
    h = await startHarness();
    cast = await castOf(h);
    viewer = await h.user('viewer');
    const a = await createParty(cast, 'advertiser', 'People A');
    const b = await createParty(cast, 'advertiser', 'People B');
    partyA = await h.user('party', { partyId: a });
    colleagueA = await h.user('party', { partyId: a });
    partyB = await h.user('party', { partyId: b });
  });
  afterAll(async () => h?.close());

  const people = async (ids: string[], token: string): Promise<Person[]> => {
    const response = await h.call('GET', `/v1/people?ids=${ids.join(',')}`, { token });
    expect(response.status, response.text).toBe(200);
    return response.body.data as Person[];
  };

  it('names the user behind a version’s createdBy, with the email, for any staff role', async () => {
    const partyId = await createParty(cast, 'advertiser', 'People C');
    const contractId = await createDraftContract(cast, partyId, 'sell', 'People IO', cpmTerms());
    const version = await h.call('GET', `/v1/contracts/${contractId}/versions/1`, { token: cast.finance.token });
    expect(version.body.createdBy).toBe(cast.ops.id);
    for (const token of [cast.finance.token, viewer.token, cast.ops.token]) {
      const [person, ...rest] = await people([version.body.createdBy as string], token);
      expect(rest).toEqual([]);
      expect(person).toMatchObject({ id: cast.ops.id, name: expect.stringMatching(/^ops /) });
      expect(person?.email).toMatch(/^ops-.*@test\.tally\.dev$/);
    }
  });

  it('leaves out unknown ids and the system actor, answers each person once, in id order', async () => {
    const found = await people(['usr_01unknown', cast.finance.id, 'system', cast.ops.id, cast.finance.id, 'admin'], viewer.token);
    expect(found.map((person) => person.id)).toEqual([cast.ops.id, cast.finance.id, 'admin'].sort());
    expect(found.find((person) => person.id === 'admin')?.email).toBe('admin@tally.local');
  });

  it('shows a party’s user staff by name only, its own party in full, and nothing of another party', async () => {
    const found = await people([cast.ops.id, cast.finance.id, partyA.id, colleagueA.id, partyB.id], partyA.token);
    const byId = new Map(found.map((person) => [person.id, person]));
    expect(byId.get(cast.ops.id)).toEqual({ id: cast.ops.id, name: expect.any(String), email: null });
    expect(byId.get(cast.finance.id)?.email).toBeNull();
    expect(byId.get(colleagueA.id)?.email).toMatch(/@test\.tally\.dev$/);
    expect(byId.get(partyA.id)?.email).toMatch(/@test\.tally\.dev$/);
    expect(byId.has(partyB.id)).toBe(false);
    expect(found).toHaveLength(4);
    // And the other way round: B sees nothing of A's users.
    expect(await people([partyA.id, colleagueA.id], partyB.token)).toEqual([]);
  });

  it('takes at most 100 ids, and only ids', async () => {
    const hundred = Array.from({ length: 100 }, (_, index) => `usr_${String(index).padStart(26, '0')}`);
    expect(await people([...hundred.slice(1), cast.ops.id], viewer.token)).toHaveLength(1);
    for (const url of [
      `/v1/people?ids=${[...hundred, cast.ops.id].join(',')}`,
      '/v1/people?ids=',
      '/v1/people',
      '/v1/people?ids=usr_a,,usr_b',
      `/v1/people?ids=${encodeURIComponent("usr_a' or 1=1")}`,
      `/v1/people?ids=${'x'.repeat(65)}`,
      `/v1/people?ids=${cast.ops.id}&role=admin`,
    ]) {
      const response = await h.call('GET', url, { token: viewer.token });
      expect(response.status, `${url}: ${response.text}`).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.errors[0].path, url).toMatch(/^querystring\.(ids|role)$/);
    }
  });

  it('asks for credentials like every /v1 route', async () => {
    const response = await h.call('GET', `/v1/people?ids=${cast.ops.id}`, { token: null });
    expect(response.status).toBe(401);
  });
});
