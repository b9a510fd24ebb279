/**
 * Routes. Every screen is its own chunk (React.lazy), so the first load carries only the shell and
 * sign-in; a screen's code arrives when it is first opened.
 */
import { lazy, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, useRouteError } from 'react-router';
import { Button } from '../common/ui/Button.tsx';
import { EmptyState } from '../common/ui/states.tsx';
import { type Permission, useCan, useCurrentUser } from './hooks.ts';
import { Layout } from './Layout.tsx';

const ContractListPage = lazy(() => import('../features/contracts/ContractListPage.tsx'));
const ContractDetailPage = lazy(() => import('../features/contracts/ContractDetailPage.tsx'));
const CreateContractPage = lazy(() => import('../features/contracts/CreateContractPage.tsx'));
const EditVersionPage = lazy(() => import('../features/contracts/EditVersionPage.tsx'));
const AmendContractPage = lazy(() => import('../features/contracts/AmendContractPage.tsx'));
const PartyListPage = lazy(() => import('../features/parties/PartyListPage.tsx'));
const PartyDetailPage = lazy(() => import('../features/parties/PartyDetailPage.tsx'));
const PartyFormPage = lazy(() => import('../features/parties/PartyFormPage.tsx'));
const ApprovalsPage = lazy(() => import('../features/approvals/ApprovalsPage.tsx'));
const DeliveryPage = lazy(() => import('../features/delivery/DeliveryPage.tsx'));
const AuditPage = lazy(() => import('../features/audit/AuditPage.tsx'));
const PortalPage = lazy(() => import('../features/portal/PortalPage.tsx'));
const BillingLayout = lazy(() => import('../features/billing/BillingLayout.tsx'));
const RunsPage = lazy(() => import('../features/billing/RunsPage.tsx'));
const RunDetailPage = lazy(() => import('../features/billing/RunDetailPage.tsx'));
const DocumentListPage = lazy(() => import('../features/billing/DocumentListPage.tsx'));
const DocumentPage = lazy(() => import('../features/billing/DocumentPage.tsx'));
const TrialBalancePage = lazy(() => import('../features/billing/TrialBalancePage.tsx'));
const MarginPage = lazy(() => import('../features/billing/MarginPage.tsx'));
const ExportsPage = lazy(() => import('../features/billing/ExportsPage.tsx'));
const ProductsPage = lazy(() => import('../features/products/ProductsPage.tsx'));
const ShortfallPage = lazy(() => import('../features/reports/ShortfallPage.tsx'));
const BelowCardPage = lazy(() => import('../features/reports/BelowCardPage.tsx'));
const RateCardListPage = lazy(() => import('../features/rate-cards/RateCardListPage.tsx'));
const CreateRateCardPage = lazy(() => import('../features/rate-cards/CreateRateCardPage.tsx'));
const RateCardPage = lazy(() => import('../features/rate-cards/RateCardPage.tsx'));
const CardVersionFormPage = lazy(() => import('../features/rate-cards/CardVersionFormPage.tsx'));
const AffiliateLayout = lazy(() => import('../features/affiliate/AffiliateLayout.tsx'));
const ConversionsPage = lazy(() => import('../features/affiliate/ConversionsPage.tsx'));
const ConversionPage = lazy(() => import('../features/affiliate/ConversionPage.tsx'));
const ClicksPage = lazy(() => import('../features/affiliate/ClicksPage.tsx'));
const PostbackSourcesPage = lazy(() => import('../features/affiliate/PostbackSourcesPage.tsx'));
const NewPostbackSourcePage = lazy(() => import('../features/affiliate/NewPostbackSourcePage.tsx'));
const PostbackSourcePage = lazy(() => import('../features/affiliate/PostbackSourcePage.tsx'));
const ScrubRulesPage = lazy(() => import('../features/affiliate/ScrubRulesPage.tsx'));
const ScrubRuleEditorPage = lazy(() => import('../features/affiliate/ScrubRuleEditorPage.tsx'));
const ScrubRulePage = lazy(() => import('../features/affiliate/ScrubRulePage.tsx'));
const HeldQueuePage = lazy(() => import('../features/affiliate/HeldQueuePage.tsx'));
const ScrubReportPage = lazy(() => import('../features/affiliate/ScrubReportPage.tsx'));
const EntityListPage = lazy(() => import('../features/entities/EntityListPage.tsx'));
const EntityPage = lazy(() => import('../features/entities/EntityPage.tsx'));
const EntityFormPage = lazy(() => import('../features/entities/EntityFormPage.tsx'));
const FxRatesPage = lazy(() => import('../features/fx/FxRatesPage.tsx'));
const TaxReportPage = lazy(() => import('../features/billing/TaxReportPage.tsx'));
const ArAgingPage = lazy(() => import('../features/billing/ArAgingPage.tsx'));
const OverduePage = lazy(() => import('../features/billing/OverduePage.tsx'));
const RevenuePage = lazy(() => import('../features/billing/RevenuePage.tsx'));

/** Shows a screen only to roles that may use it; the server refuses the rest anyway. */
function Allow({ permission, staffOnly = false, children }: { permission: Permission; staffOnly?: boolean; children: ReactNode }) {
  const me = useCurrentUser();
  const allowed = useCan(permission) && !(staffOnly && me.role === 'party');
  if (!allowed) return <EmptyState title="Not available to your role">Ask an administrator if you need this.</EmptyState>;
  return children;
}

/** `/billing`: the runs for whoever runs billing, the invoices for everyone else. */
function BillingHome() {
  const canRun = useCan('billing.run');
  return <Navigate to={canRun ? '/billing/runs' : '/billing/invoices'} replace />;
}

function Home() {
  const me = useCurrentUser();
  return <Navigate to={me.role === 'party' ? '/portal' : '/contracts'} replace />;
}

/** A failed route: most often a chunk of an older build after an upgrade, which a reload fixes. */
function RouteError() {
  const error = useRouteError() as { message?: string } | undefined;
  return (
    <div className="state" role="alert">
      <div className="title">This screen could not be shown</div>
      <p>{error?.message ?? 'Something went wrong.'}</p>
      <Button onClick={() => window.location.reload()}>Reload</Button>
    </div>
  );
}

export function createRouter() {
  return createBrowserRouter([
    {
      path: '/',
      element: <Layout />,
      errorElement: <RouteError />,
      children: [
        { index: true, element: <Home /> },
        { path: 'portal', element: <PortalPage /> },
        {
          path: 'contracts',
          element: (
            <Allow permission="read" staffOnly>
              <ContractListPage />
            </Allow>
          ),
        },
        {
          path: 'contracts/new',
          element: (
            <Allow permission="contracts.write">
              <CreateContractPage />
            </Allow>
          ),
        },
        { path: 'contracts/:contractId', element: <ContractDetailPage /> },
        {
          path: 'contracts/:contractId/amend',
          element: (
            <Allow permission="contracts.write">
              <AmendContractPage />
            </Allow>
          ),
        },
        {
          path: 'contracts/:contractId/versions/:versionNumber/edit',
          element: (
            <Allow permission="contracts.write">
              <EditVersionPage />
            </Allow>
          ),
        },
        {
          path: 'parties',
          element: (
            <Allow permission="read" staffOnly>
              <PartyListPage />
            </Allow>
          ),
        },
        {
          path: 'parties/new',
          element: (
            <Allow permission="parties.write">
              <PartyFormPage />
            </Allow>
          ),
        },
        {
          path: 'parties/:partyId',
          element: (
            <Allow permission="read" staffOnly>
              <PartyDetailPage />
            </Allow>
          ),
        },
        {
          path: 'parties/:partyId/edit',
          element: (
            <Allow permission="parties.write">
              <PartyFormPage />
            </Allow>
          ),
        },
        {
          path: 'reports/shortfall',
          element: (
            <Allow permission="read" staffOnly>
              <ShortfallPage />
            </Allow>
          ),
        },
        {
          path: 'reports/below-card',
          element: (
            <Allow permission="rates.read">
              <BelowCardPage />
            </Allow>
          ),
        },
        {
          path: 'products',
          element: (
            <Allow permission="rates.read">
              <ProductsPage />
            </Allow>
          ),
        },
        {
          path: 'rate-cards',
          element: (
            <Allow permission="rates.read">
              <RateCardListPage />
            </Allow>
          ),
        },
        {
          path: 'rate-cards/new',
          element: (
            <Allow permission="contracts.write">
              <CreateRateCardPage />
            </Allow>
          ),
        },
        {
          path: 'rate-cards/:rateCardId',
          element: (
            <Allow permission="rates.read">
              <RateCardPage />
            </Allow>
          ),
        },
        {
          path: 'rate-cards/:rateCardId/versions/new',
          element: (
            <Allow permission="contracts.write">
              <CardVersionFormPage />
            </Allow>
          ),
        },
        {
          path: 'rate-cards/:rateCardId/versions/:versionNumber/edit',
          element: (
            <Allow permission="contracts.write">
              <CardVersionFormPage />
            </Allow>
          ),
        },
        {
          path: 'approvals',
          element: (
            <Allow permission="contracts.approve">
              <ApprovalsPage />
            </Allow>
          ),
        },
        {
          path: 'delivery',
          element: (
            <Allow permission="conversions.write">
              <DeliveryPage />
            </Allow>
          ),
        },
        // Billing entities and their tax rates: every staff role reads them; admins and finance write them.
        {
          path: 'entities',
          element: (
            <Allow permission="settings.read" staffOnly>
              <EntityListPage />
            </Allow>
          ),
        },
        {
          path: 'entities/new',
          element: (
            <Allow permission="entities.write">
              <EntityFormPage />
            </Allow>
          ),
        },
        {
          path: 'entities/:entityId',
          element: (
            <Allow permission="settings.read" staffOnly>
              <EntityPage />
            </Allow>
          ),
        },
        {
          path: 'entities/:entityId/edit',
          element: (
            <Allow permission="entities.write">
              <EntityFormPage />
            </Allow>
          ),
        },
        // Exchange rates, beside the entities whose books they convert into base: read the same way, written the same way.
        {
          path: 'fx-rates',
          element: (
            <Allow permission="settings.read" staffOnly>
              <FxRatesPage />
            </Allow>
          ),
        },
        {
          path: 'audit',
          element: (
            <Allow permission="audit.read">
              <AuditPage />
            </Allow>
          ),
        },
        {
          path: 'billing',
          element: (
            <Allow permission="read" staffOnly>
              <BillingLayout />
            </Allow>
          ),
          children: [
            { index: true, element: <BillingHome /> },
            {
              path: 'runs',
              element: (
                <Allow permission="billing.run">
                  <RunsPage />
                </Allow>
              ),
            },
            {
              path: 'runs/:runId',
              element: (
                <Allow permission="billing.run">
                  <RunDetailPage />
                </Allow>
              ),
            },
            { path: 'invoices', element: <DocumentListPage key="invoice" kind="invoice" /> },
            { path: 'overdue', element: <OverduePage /> },
            { path: 'statements', element: <DocumentListPage key="payout_statement" kind="payout_statement" /> },
            {
              path: 'trial-balance',
              element: (
                <Allow permission="ledger.read">
                  <TrialBalancePage />
                </Allow>
              ),
            },
            {
              path: 'margin',
              element: (
                <Allow permission="ledger.read">
                  <MarginPage />
                </Allow>
              ),
            },
            {
              path: 'exports',
              element: (
                <Allow permission="ledger.read">
                  <ExportsPage />
                </Allow>
              ),
            },
            {
              path: 'ar-aging',
              element: (
                <Allow permission="ledger.read">
                  <ArAgingPage />
                </Allow>
              ),
            },
            {
              path: 'revenue',
              element: (
                <Allow permission="ledger.read">
                  <RevenuePage />
                </Allow>
              ),
            },
            {
              path: 'tax-report',
              element: (
                <Allow permission="ledger.read">
                  <TaxReportPage />
                </Allow>
              ),
            },
          ],
        },
        {
          path: 'affiliate',
          element: (
            <Allow permission="read" staffOnly>
              <AffiliateLayout />
            </Allow>
          ),
          children: [
            { index: true, element: <Navigate to="/affiliate/conversions" replace /> },
            { path: 'conversions', element: <ConversionsPage /> },
            { path: 'conversions/:conversionId', element: <ConversionPage /> },
            { path: 'clicks', element: <ClicksPage /> },
            {
              path: 'postback-sources',
              element: (
                <Allow permission="settings.read">
                  <PostbackSourcesPage />
                </Allow>
              ),
            },
            {
              path: 'postback-sources/new',
              element: (
                <Allow permission="contracts.write">
                  <NewPostbackSourcePage />
                </Allow>
              ),
            },
            {
              path: 'postback-sources/:sourceId',
              element: (
                <Allow permission="settings.read">
                  <PostbackSourcePage />
                </Allow>
              ),
            },
            {
              path: 'scrub-rules',
              element: (
                <Allow permission="scrub.read">
                  <ScrubRulesPage />
                </Allow>
              ),
            },
            {
              path: 'scrub-rules/new',
              element: (
                <Allow permission="scrub.write">
                  <ScrubRuleEditorPage />
                </Allow>
              ),
            },
            {
              path: 'scrub-rules/:ruleId',
              element: (
                <Allow permission="scrub.read">
                  <ScrubRulePage />
                </Allow>
              ),
            },
            {
              path: 'held',
              element: (
                <Allow permission="scrub.read">
                  <HeldQueuePage />
                </Allow>
              ),
            },
            {
              path: 'scrub-report',
              element: (
                <Allow permission="scrub.read">
                  <ScrubReportPage />
                </Allow>
              ),
            },
          ],
        },
        // A party user opens its own issued documents from the portal; the server answers 404 for the rest.
        { path: 'invoices/:documentId', element: <DocumentPage key="invoice" kind="invoice" /> },
        { path: 'payout-statements/:documentId', element: <DocumentPage key="payout_statement" kind="payout_statement" /> },
        { path: '*', element: <EmptyState title="No such page">Use the navigation to find your way.</EmptyState> },
      ],
    },
  ]);
}
