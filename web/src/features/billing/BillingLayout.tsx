/**
 * The billing area: a tab per screen, each shown only to roles that may use it (the runs need
 * `billing.run`; the ledger, its reports (aging, revenue, tax, margin) and exports `ledger.read`;
 * every staff role reads documents, and so the overdue ones and the dunning schedule).
 */
import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useCan } from '../../app/hooks.ts';
import { Loading } from '../../common/ui/states.tsx';

export default function BillingLayout() {
  const canRun = useCan('billing.run');
  const canReadLedger = useCan('ledger.read');
  const tab = (to: string, label: string) => (
    <NavLink to={to} end={false}>
      {label}
    </NavLink>
  );
  return (
    <>
      <nav className="tabs" aria-label="Billing sections">
        {canRun && tab('/billing/runs', 'Billing runs')}
        {tab('/billing/invoices', 'Invoices')}
        {tab('/billing/overdue', 'Overdue')}
        {tab('/billing/statements', 'Payout statements')}
        {canReadLedger && tab('/billing/trial-balance', 'Trial balance')}
        {canReadLedger && tab('/billing/ar-aging', 'AR aging')}
        {canReadLedger && tab('/billing/revenue', 'Revenue')}
        {canReadLedger && tab('/billing/tax-report', 'Tax report')}
        {canReadLedger && tab('/billing/margin', 'Margin')}
        {canReadLedger && tab('/billing/exports', 'Exports')}
      </nav>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}
