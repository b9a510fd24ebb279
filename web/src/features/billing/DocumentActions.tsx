/**
 * What can be done with an invoice or payout statement now, by its status and the user's role:
 * download the PDF (everyone who can see it); finalize a draft (with the review confirmed when it
 * is flagged); record a payment, issue a credit note, or void an issued one (billing.write). Each
 * command is a dialog that checks what it can before sending and shows the server's refusal, at
 * the field when it names one.
 */
import { Decimal } from 'decimal.js';
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useCan, useCurrentUser } from '../../app/hooks.ts';
import { todayDate } from '../../common/dates.ts';
import { humanize } from '../../common/format.ts';
import { currencyMinorUnits, formatMoney } from '../../common/format-money.ts';
import { useIdempotencyKeys } from '../../common/idempotency.ts';
import { fieldErrorsUnder, type Problem, toProblem } from '../../common/problem.ts';
import { Button } from '../../common/ui/Button.tsx';
import { Dialog } from '../../common/ui/Dialog.tsx';
import { DownloadButton } from '../../common/ui/DownloadButton.tsx';
import { Field } from '../../common/ui/Field.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import {
  type BillingDocument,
  documentPdfUrl,
  documentTitle,
  useFinalizeDocumentMutation,
  useGetBillingRunQuery,
  useIssueCreditNoteMutation,
  useRecordPaymentMutation,
  useVoidDocumentMutation,
} from './billing-api.ts';

type Action = 'finalize' | 'payment' | 'credit' | 'void';

const issuedStatuses = new Set(['finalized', 'partially_paid', 'paid']);

/** Whether a string is an amount the currency can hold: positive, at most its minor-unit decimals. */
export function amountProblem(amount: string, currency: string, atMost?: string): string | undefined {
  const trimmed = amount.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return 'An amount such as 1250.00';
  const decimals = trimmed.split('.')[1]?.length ?? 0;
  const minorUnits = currencyMinorUnits(currency);
  if (decimals > minorUnits) return `At most ${minorUnits} decimal places in ${currency}`;
  const value = new Decimal(trimmed);
  if (value.lessThanOrEqualTo(0)) return 'Must be greater than 0';
  if (atMost !== undefined && value.greaterThan(atMost)) return `At most ${formatMoney(atMost, currency)}`;
  return undefined;
}

export function DocumentActions({ document }: { document: BillingDocument }) {
  const canWrite = useCan('billing.write');
  const [open, setOpen] = useState<Action | null>(null);
  const [done, setDone] = useState<string | undefined>();
  const isDraft = document.status === 'draft' || document.status === 'needs_review';
  const isIssued = issuedStatuses.has(document.status);
  const due = new Decimal(document.amountDue);
  const settled = new Decimal(document.amountPaid).plus(document.amountCredited);
  const isInvoice = document.kind === 'invoice';
  const close = (message?: string) => {
    setOpen(null);
    if (message) setDone(message);
  };
  return (
    <section aria-label="Document actions" style={{ marginBottom: '1rem' }}>
      <div className="actions">
        <DownloadButton url={documentPdfUrl(document)} fallbackName={`${document.number ?? document.id}.pdf`}>
          Download PDF
        </DownloadButton>
        {canWrite && isDraft && (
          <Button variant="primary" onClick={() => setOpen('finalize')}>
            Finalize…
          </Button>
        )}
        {canWrite && isIssued && due.greaterThan(0) && (
          <Button variant="primary" onClick={() => setOpen('payment')}>
            {isInvoice ? 'Record payment…' : 'Record payout…'}
          </Button>
        )}
        {canWrite && isInvoice && isIssued && due.greaterThan(0) && <Button onClick={() => setOpen('credit')}>Credit note…</Button>}
        {canWrite && isIssued && settled.isZero() && (
          <Button variant="danger" onClick={() => setOpen('void')}>
            Void…
          </Button>
        )}
      </div>
      {done && (
        <div className="alert ok" role="status" style={{ marginTop: '0.75rem' }}>
          {done}
        </div>
      )}
      {canWrite && (
        <>
          <FinalizeDialog document={document} open={open === 'finalize'} onClose={close} />
          <PaymentDialog document={document} open={open === 'payment'} onClose={close} />
          <CreditNoteDialog document={document} open={open === 'credit'} onClose={close} />
          <VoidDialog document={document} open={open === 'void'} onClose={close} />
        </>
      )}
    </section>
  );
}

interface DialogProps {
  document: BillingDocument;
  open: boolean;
  onClose: (message?: string) => void;
}

/** A command's dialog: the form, its refusal, submit and cancel. */
function CommandDialog(props: {
  title: string;
  open: boolean;
  onClose: () => void;
  onSubmit: () => void;
  busy: boolean;
  submitLabel: string;
  danger?: boolean;
  problem: Problem | undefined;
  children: ReactNode;
}) {
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <form onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={props.problem} showFieldErrors={false} />
        <div style={{ display: 'flex', flexDirection: 'column', gap: '0.75rem' }}>{props.children}</div>
        <div className="actions" style={{ marginTop: '1rem' }}>
          <Button type="submit" variant={props.danger ? 'danger' : 'primary'} busy={props.busy}>
            {props.submitLabel}
          </Button>
          <Button onClick={props.onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

function FinalizeDialog({ document, open, onClose }: DialogProps) {
  const me = useCurrentUser();
  const canRun = useCan('billing.run');
  const [finalize, state] = useFinalizeDocumentMutation();
  const [reviewed, setReviewed] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const [missing, setMissing] = useState(false);
  const reviewErrorId = useId();
  const flagged = document.status === 'needs_review';
  const isStatement = document.kind === 'payout_statement';
  const run = useGetBillingRunQuery(document.runId, { skip: !open || !isStatement || !canRun }).data;
  const onSubmit = async () => {
    if (flagged && !reviewed) {
      setMissing(true);
      return;
    }
    setProblem(undefined);
    const result = await finalize({ kind: document.kind, id: document.id, reviewed: flagged && reviewed });
    if ('error' in result) {
      setProblem(toProblem(result.error));
      return;
    }
    onClose(`${documentTitle(result.data)} is finalized and posted to the ledger.`);
  };
  return (
    <CommandDialog
      title={`Finalize this ${isStatement ? 'payout statement' : 'invoice'}`}
      open={open}
      onClose={() => onClose()}
      onSubmit={onSubmit}
      busy={state.isLoading}
      submitLabel="Finalize"
      problem={problem}
    >
      <p>
        It gets the next number of the series, is posted to the ledger and can never change afterwards: corrections are credit notes or a
        void.
      </p>
      {isStatement && run?.startedBy === me.id && (
        <div className="alert warn">
          <strong>Maker-checker</strong>
          You started the run that drafted this statement, so the server will ask for another user to finalize it.
        </div>
      )}
      {flagged && (
        <div className="field">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={reviewed}
              onChange={(event) => setReviewed(event.target.checked)}
              aria-invalid={missing && !reviewed ? true : undefined}
              aria-describedby={missing && !reviewed ? reviewErrorId : undefined}
              autoFocus
            />
            I reviewed the flagged lines ({document.flags.map(humanize).join(', ')})
          </label>
          {missing && !reviewed && (
            <span className="error" id={reviewErrorId} role="alert">
              Confirm the review first
            </span>
          )}
        </div>
      )}
    </CommandDialog>
  );
}

function PaymentDialog({ document, open, onClose }: DialogProps) {
  const [record, state] = useRecordPaymentMutation();
  const keys = useIdempotencyKeys();
  const [amount, setAmount] = useState(document.amountDue);
  const [date, setDate] = useState(todayDate);
  const [reference, setReference] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  // Each time it opens, it offers what is outstanding now.
  useEffect(() => {
    if (open) setAmount(document.amountDue);
  }, [open, document.amountDue]);
  const local = {
    amount: amountProblem(amount, document.currency, document.amountDue),
    date: /^\d{4}-\d{2}-\d{2}$/.test(date) ? undefined : 'A date',
    reference: reference.trim() === '' ? 'Say how it was paid (a bank reference)' : undefined,
  };
  const server = fieldErrorsUnder(problem, '');
  const onSubmit = async () => {
    setSubmitted(true);
    if (local.amount || local.date || local.reference) return;
    setProblem(undefined);
    const body = { amount: amount.trim(), date, reference: reference.trim() };
    const result = await record({ kind: document.kind, id: document.id, ...body, idempotencyKey: keys.keyFor(body) });
    if ('error' in result) {
      setProblem(toProblem(result.error));
      return;
    }
    keys.renew();
    setReference('');
    setSubmitted(false);
    onClose(`${document.kind === 'invoice' ? 'Payment' : 'Payout'} of ${formatMoney(result.data.amount, document.currency)} recorded.`);
  };
  return (
    <CommandDialog
      title={document.kind === 'invoice' ? 'Record a payment received' : 'Record the payout as paid'}
      open={open}
      onClose={() => onClose()}
      onSubmit={onSubmit}
      busy={state.isLoading}
      submitLabel="Record"
      problem={problem}
    >
      <Field
        label={`Amount (${document.currency})`}
        error={(submitted && local.amount) || server.amount}
        hint={`Outstanding: ${formatMoney(document.amountDue, document.currency)}`}
      >
        <input inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} autoFocus />
      </Field>
      <Field label="Date" error={(submitted && local.date) || server.date}>
        <input type="date" value={date} onChange={(event) => setDate(event.target.value)} />
      </Field>
      <Field label="Reference" error={(submitted && local.reference) || server.reference}>
        <input value={reference} onChange={(event) => setReference(event.target.value)} maxLength={200} />
      </Field>
    </CommandDialog>
  );
}

function CreditNoteDialog({ document, open, onClose }: DialogProps) {
  const [issue, state] = useIssueCreditNoteMutation();
  const keys = useIdempotencyKeys();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const local = {
    amount: amountProblem(amount, document.currency, document.amountDue),
    reason: reason.trim() === '' ? 'Say why the invoice is credited' : undefined,
  };
  const server = fieldErrorsUnder(problem, '');
  const onSubmit = async () => {
    setSubmitted(true);
    if (local.amount || local.reason) return;
    setProblem(undefined);
    const body = { invoiceId: document.id, amount: amount.trim(), reason: reason.trim() };
    const result = await issue({ ...body, idempotencyKey: keys.keyFor(body) });
    if ('error' in result) {
      setProblem(toProblem(result.error));
      return;
    }
    keys.renew();
    setAmount('');
    setReason('');
    setSubmitted(false);
    onClose(`Credit note ${result.data.number} of ${formatMoney(result.data.amount, document.currency)} issued.`);
  };
  return (
    <CommandDialog
      title="Issue a credit note"
      open={open}
      onClose={() => onClose()}
      onSubmit={onSubmit}
      busy={state.isLoading}
      submitLabel="Issue credit note"
      problem={problem}
    >
      <Field
        label={`Amount (${document.currency})`}
        error={(submitted && local.amount) || server.amount}
        hint={`At most what remains due: ${formatMoney(document.amountDue, document.currency)}`}
      >
        <input inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} autoFocus />
      </Field>
      <Field label="Reason" error={(submitted && local.reason) || server.reason}>
        <textarea rows={3} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} />
      </Field>
    </CommandDialog>
  );
}

function VoidDialog({ document, open, onClose }: DialogProps) {
  const [voidDocument, state] = useVoidDocumentMutation();
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const missing = reason.trim() === '';
  const onSubmit = async () => {
    setSubmitted(true);
    if (missing) return;
    setProblem(undefined);
    const result = await voidDocument({ kind: document.kind, id: document.id, reason: reason.trim() });
    if ('error' in result) {
      setProblem(toProblem(result.error));
      return;
    }
    onClose(`${documentTitle(result.data)} is void; its ledger postings are reversed.`);
  };
  return (
    <CommandDialog
      title={`Void ${documentTitle(document)}`}
      open={open}
      onClose={() => onClose()}
      onSubmit={onSubmit}
      busy={state.isLoading}
      submitLabel="Void"
      danger
      problem={problem}
    >
      <p>Voiding reverses its ledger postings. The document and its number stay, marked void.</p>
      <Field label="Reason" error={submitted && missing ? 'Say why it is voided' : fieldErrorsUnder(problem, '').reason}>
        <textarea rows={3} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} autoFocus />
      </Field>
    </CommandDialog>
  );
}
