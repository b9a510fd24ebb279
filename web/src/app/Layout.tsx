/** The signed-in shell: navigation by role, who is signed in, and the routed screen. */
import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';
import { Button } from '../common/ui/Button.tsx';
import { Loading } from '../common/ui/states.tsx';
import { useSignOutMutation } from '../features/session/session-api.ts';
import { useCan, useCurrentUser } from './hooks.ts';

export function Layout() {
  const me = useCurrentUser();
  const isParty = me.role === 'party';
  const canApprove = useCan('contracts.approve');
  const canLoadDelivery = useCan('delivery.write');
  const canPostConversions = useCan('conversions.write');
  const canReadAudit = useCan('audit.read');
  const canReadRates = useCan('rates.read');
  const canReadSettings = useCan('settings.read');
  const [signOut, signOutState] = useSignOutMutation();
  const onSignOut = async () => {
    await signOut();
    // A fresh page: nothing of this user's data stays in memory for whoever signs in next.
    window.location.assign('/');
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Tally</div>
        {isParty ? (
          <>
            <NavLink to="/portal">Our account</NavLink>
            {canPostConversions && <NavLink to="/delivery">Upload conversions</NavLink>}
          </>
        ) : (
          <>
            <NavLink to="/contracts">Contracts</NavLink>
            <NavLink to="/parties">Parties</NavLink>
            {canReadRates && (
              <>
                <NavLink to="/rate-cards">Rate cards</NavLink>
                <NavLink to="/products">Products</NavLink>
                <NavLink to="/reports/below-card">Below card</NavLink>
              </>
            )}
            <NavLink to="/reports/shortfall">Shortfall</NavLink>
            {canApprove && <NavLink to="/approvals">Approvals</NavLink>}
            {(canLoadDelivery || canPostConversions) && <NavLink to="/delivery">Delivery</NavLink>}
            <NavLink to="/affiliate">Affiliate</NavLink>
            <NavLink to="/billing">Billing</NavLink>
            {canReadSettings && (
              <>
                <NavLink to="/entities">Entities</NavLink>
                <NavLink to="/fx-rates">FX rates</NavLink>
              </>
            )}
            {canReadAudit && <NavLink to="/audit">Audit log</NavLink>}
          </>
        )}
        <div className="who">
          <div>
            <strong>{me.name}</strong>
          </div>
          <div className="small">
            {me.email} · {me.role}
          </div>
          <Button size="small" onClick={onSignOut} busy={signOutState.isLoading}>
            Sign out
          </Button>
        </div>
      </nav>
      <main className="main" id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
