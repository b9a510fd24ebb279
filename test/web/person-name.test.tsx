/**
 * People are shown by name wherever the API gives a user id: the name, the email on hover, one
 * request for all the ids of a screen, and the id itself when the API knows no such person.
 */
import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PersonName } from '../../web/src/features/people/PersonName.tsx';
import { renderSignedIn, signedInUser, stubApi } from './api-stub.tsx';

const directory: Record<string, { id: string; name: string; email: string | null }> = {
  usr_olivia: { id: 'usr_olivia', name: 'Olivia Ops', email: 'olivia@demo.tally.dev' },
  usr_fiona: { id: 'usr_fiona', name: 'Fiona Finance', email: 'fiona@demo.tally.dev' },
  usr_staff: { id: 'usr_staff', name: 'Sam Staff', email: null },
};

/** The stand-in for GET /v1/people: answers the ids it knows. */
function stubPeople() {
  return stubApi((url) => {
    const ids = (url.searchParams.get('ids') ?? '').split(',');
    return { body: { data: ids.flatMap((id) => (directory[id] ? [directory[id]] : [])) } };
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('<PersonName>', () => {
  it('shows the name with the email in the title, one request for every id on the screen', async () => {
    const requests = stubPeople();
    await renderSignedIn(
      <ul>
        <li>
          <PersonName id="usr_olivia" />
        </li>
        <li>
          <PersonName id="usr_fiona" />
        </li>
        <li>
          <PersonName id="usr_olivia" />
        </li>
      </ul>,
    );
    const olivia = await screen.findAllByText('Olivia Ops');
    expect(olivia).toHaveLength(2);
    expect(olivia[0]?.getAttribute('title')).toBe('olivia@demo.tally.dev');
    expect(screen.getByText('Fiona Finance').getAttribute('title')).toBe('fiona@demo.tally.dev');
    expect(requests.map((url) => url.pathname)).toEqual(['/v1/people']);
    expect(requests[0]?.searchParams.get('ids')?.split(',').sort()).toEqual(['usr_fiona', 'usr_olivia']);
  });

  it('falls back to the id when the API knows no such person', async () => {
    stubPeople();
    await renderSignedIn(<PersonName id="usr_gone" />);
    const shown = await screen.findByText('usr_gone');
    expect(shown.className).toContain('mono');
  });

  it('leaves the title out when the caller may not see the email (a party user reading staff)', async () => {
    stubPeople();
    await renderSignedIn(<PersonName id="usr_staff" />);
    expect((await screen.findByText('Sam Staff')).hasAttribute('title')).toBe(false);
  });

  it('names Tally itself and the signed-in user without asking the API', async () => {
    const requests = stubPeople();
    await renderSignedIn(
      <>
        <PersonName id="system" />
        <PersonName id={signedInUser.id} />
        <PersonName id={null} />
      </>,
    );
    expect(screen.getByText('Tally (automatic)')).toBeTruthy();
    const me = screen.getByText(signedInUser.name, { exact: false });
    expect(me.textContent).toBe(`${signedInUser.name} (you)`);
    expect(me.getAttribute('title')).toBe(signedInUser.email);
    expect(screen.getByText('—')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(requests).toEqual([]);
  });

  it('asks for at most 100 ids a request', async () => {
    const requests = stubPeople();
    const ids = Array.from({ length: 150 }, (_, index) => `usr_${String(index).padStart(3, '0')}`);
    await renderSignedIn(
      <>
        {ids.map((id) => (
          <PersonName key={id} id={id} />
        ))}
      </>,
    );
    await screen.findByText('usr_149');
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(requests.map((url) => url.searchParams.get('ids')?.split(',').length).sort()).toEqual([100, 50]);
  });

  it('shows the id when the look-up fails, rather than nothing', async () => {
    stubApi(() => ({ status: 503, body: { code: 'store_unavailable', title: 'The store is unavailable' } }));
    await renderSignedIn(<PersonName id="usr_olivia" />);
    expect(await screen.findByText('usr_olivia')).toBeTruthy();
  });
});
