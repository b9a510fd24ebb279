/**
 * A new postback source: a name, an offer and one of its line items priced per conversion. The answer
 * carries the signing secret, shown here once with the URL to hand over; once the user says the
 * secret is stored, the page forgets it and opens the source's page, which never shows it.
 */
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { postbackSourceNameLengthMax } from '../../../../src/wire/postbacks.ts';
import { useFieldErrors } from '../../common/form-errors.ts';
import { toProblem } from '../../common/problem.ts';
import { Field } from '../../common/ui/Field.tsx';
import { FormActions } from '../../common/ui/FormActions.tsx';
import { PageHeader } from '../../common/ui/Page.tsx';
import { ProblemAlert } from '../../common/ui/states.tsx';
import { OfferPicker, useOffer } from './OfferPicker.tsx';
import { type CreatePostbackSourceInput, type PostbackSourceWithSecret, useCreatePostbackSourceMutation } from './postbacks-api.ts';
import { PostbackSetup } from './PostbackSetup.tsx';
import { SecretOnce } from './SecretOnce.tsx';

export default function NewPostbackSourcePage() {
  const [created, setCreated] = useState<PostbackSourceWithSecret | undefined>();
  const navigate = useNavigate();
  if (created) {
    const { secret, ...source } = created;
    return (
      <>
        <PageHeader
          title={`Postback source ${source.name} created`}
          subtitle="Hand the URL and the secret to the advertiser's developers."
        />
        <SecretOnce
          secret={secret}
          previousSecretExpiresAt={null}
          onDone={() => {
            setCreated(undefined);
            navigate(`/affiliate/postback-sources/${source.id}`, { replace: true });
          }}
        />
        <PostbackSetup source={source} />
      </>
    );
  }
  return <SourceForm onCreated={setCreated} />;
}

/** What the form lacks, in words (the selects offer only what the API takes, and the name's length is capped as typed). */
function sourceErrors(input: CreatePostbackSourceInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.name === '') errors.name = 'A name is required, such as “Shop & Co server-to-server”';
  if (input.contractId === '') errors.contractId = 'Choose the offer';
  if (input.lineItem === '') errors.lineItem = 'Choose the line item its conversions go to';
  return errors;
}

function SourceForm({ onCreated }: { onCreated: (source: PostbackSourceWithSecret) => void }) {
  const [name, setName] = useState('');
  const [contractId, setContractId] = useState('');
  const [lineItem, setLineItem] = useState('');
  const offer = useOffer(contractId);
  const [create, state] = useCreatePostbackSourceMutation();
  const problem = toProblem(state.error);
  const conversionItems = offer.lineItems.filter((item) => item.pricesConversions);
  const input: CreatePostbackSourceInput = { name: name.trim(), contractId, lineItem };
  const errors = useFieldErrors(sourceErrors(input));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.readyToSubmit()) return;
    const request = create(input);
    const result = await request;
    if (result.data) {
      // The secret goes to the page's state alone, not kept in the store's record of the request.
      request.reset();
      onCreated(result.data);
      return;
    }
    errors.showRefusal(result.error);
  };

  return (
    <>
      <PageHeader
        title="New postback source"
        subtitle="One signed URL through which an advertiser's system reports conversions of one line item."
      />
      <form className="card" onSubmit={onSubmit} noValidate>
        <ProblemAlert problem={problem} showFieldErrors={false} />
        <div className="form-grid">
          <Field label="Name" error={errors.errorAt('name')}>
            <input
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                errors.touch('name');
              }}
              maxLength={postbackSourceNameLengthMax}
            />
          </Field>
        </div>
        <div style={{ marginTop: '0.75rem' }}>
          <OfferPicker
            value={contractId}
            onChange={(id) => {
              setContractId(id);
              setLineItem('');
              errors.touch('contractId');
            }}
            error={errors.errorAt('contractId')}
          />
        </div>
        <div className="form-grid" style={{ marginTop: '0.75rem' }}>
          <Field
            label="Line item"
            error={errors.errorAt('lineItem')}
            hint={
              contractId !== '' && !offer.isLoading && conversionItems.length === 0
                ? 'This offer prices no line item per conversion (cpa or hybrid).'
                : 'Only line items priced per conversion (cpa or hybrid) take postbacks.'
            }
          >
            <select
              value={lineItem}
              onChange={(event) => {
                setLineItem(event.target.value);
                errors.touch('lineItem');
              }}
              disabled={contractId === ''}
            >
              <option value="">Choose a line item…</option>
              {conversionItems.map((item) => (
                <option key={item.key} value={item.key}>
                  {item.key} ({item.model})
                </option>
              ))}
            </select>
          </Field>
        </div>
        <FormActions submitLabel="Create source" busy={state.isLoading} />
      </form>
    </>
  );
}
