/**
 * The affiliate area (SPEC §9): a tab per screen, each shown only to roles that may use it. The
 * offer chosen on one tab (`?contractId=`) goes along to the others.
 */
import { Suspense } from 'react';
import { NavLink, Outlet, useSearchParams } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { Loading } from '../../common/ui/states.tsx';

export default function AffiliateLayout() {
  const canReadSettings = useCan('settings.read');
  const canReadScrub = useCan('scrub.read');
  const [searchParams] = useSearchParams();
  const contractId = searchParams.get('contractId');
  const offer = contractId ? `?contractId=${encodeURIComponent(contractId)}` : '';
  const tab = (to: string, label: string) => (
    <NavLink to={`${to}${offer}`} end={false}>
      {label}
    </NavLink>
  );
  return (
    <>
      <nav className="tabs" aria-label="Affiliate sections">
        {tab('/affiliate/conversions', 'Conversions')}
        {tab('/affiliate/clicks', 'Clicks')}
        {canReadSettings && tab('/affiliate/postback-sources', 'Postback sources')}
        {canReadScrub && tab('/affiliate/scrub-rules', 'Scrub rules')}
        {canReadScrub && tab('/affiliate/held', 'Held queue')}
        {canReadScrub && tab('/affiliate/scrub-report', 'Scrub report')}
      </nav>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}
