/** A placeholder that says where billing stands: the API answers, its screens are the next slice. */
import { PageHeader } from '../../common/ui/Page.tsx';

export default function BillingPage() {
  return (
    <>
      <PageHeader title="Billing (preview)" subtitle="Billing runs, invoices, payout statements, the trial balance and exports." />
      <div className="alert info">
        <strong>The billing screens come in the next release of the web app.</strong>
        This server already answers the billing API: runs, invoices with their lines and explanations, payout statements, payments, credit notes,
        the trial balance and the exports. Until the screens arrive, use it through the <a href="/docs">API documentation</a> or the command line
        (<code>./bin/tally bill --period YYYY-MM</code>).
      </div>
    </>
  );
}
