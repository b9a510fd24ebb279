/**
 * The event entries of a cpa pricing or of an offer's payout level (SPEC §9): each entry's event
 * type, when it applies (countries, new customers), and its price: a fixed amount, a revenue share,
 * or tiers by the period's count (graduated or volume) with their levels. Entries of one event type
 * may repeat with different conditions; the first matching one prices a conversion, so entries can
 * be moved up, and each keeps its own React key (its form id) whatever its place.
 */
import { Button } from '../../../common/ui/Button.tsx';
import { at, DecimalAt, ListFoot, RemoveItem, SelectAt, TextAt } from './fields.tsx';
import { type CpaEventBasis, type CpaEventForm, emptyCpaEvent, emptyCpaLevel, type TermsForm } from './terms-form.ts';
import { TierRows } from './TierRows.tsx';
import { listEdit, useEditor } from './use-terms-editor.ts';

export function CpaEventsFields({
  path,
  events,
  eventsOf,
  shareOf,
}: {
  /** The terms path of the list: `lineItems[0].pricing.events`, `partnerPayouts.default.events`. */
  path: string;
  events: CpaEventForm[];
  eventsOf: (draft: TermsForm) => CpaEventForm[];
  /** What a revenue share is a share of, in words: "its value", "what the advertiser is billed for it". */
  shareOf: string;
}) {
  return (
    <>
      {events.map((event, index) => (
        <CpaEventFields
          key={event.id}
          path={`${path}[${index}]`}
          listPath={path}
          index={index}
          count={events.length}
          event={event}
          eventOf={(draft) => at(eventsOf(draft), index)}
          eventsOf={eventsOf}
          shareOf={shareOf}
        />
      ))}
      <ListFoot
        path={path}
        noun="event"
        add={(draft) => {
          eventsOf(draft).push(emptyCpaEvent());
        }}
      />
    </>
  );
}

function CpaEventFields({
  path,
  listPath,
  index,
  count,
  event,
  eventOf,
  eventsOf,
  shareOf,
}: {
  path: string;
  listPath: string;
  index: number;
  count: number;
  event: CpaEventForm;
  eventOf: (draft: TermsForm) => CpaEventForm;
  eventsOf: (draft: TermsForm) => CpaEventForm[];
  shareOf: string;
}) {
  const editor = useEditor();
  // Errors about the entry as a whole: no price given, or `when` as a whole (an entry an earlier one always wins over).
  const entryErrors = [editor.errorAt(path), editor.errorAt(`${path}.when`), editor.errorAt(`${path}.tiers`)].filter(
    (message): message is string => message !== undefined,
  );
  const basisOptions: { value: CpaEventBasis; label: string }[] = [
    { value: 'amount', label: 'an amount per conversion' },
    { value: 'revenueSharePercent', label: `a share of ${shareOf} (%)` },
    { value: 'tiers', label: 'tiers by count in the period' },
  ];
  return (
    <fieldset className="cpa-event" style={{ marginBottom: '0.5rem' }}>
      <legend className="small">
        Event {index + 1}
        {event.eventType.trim() ? `: ${event.eventType.trim()}` : ''}
      </legend>
      <div className="form-grid">
        <TextAt
          path={`${path}.eventType`}
          label="Event type"
          value={event.eventType}
          placeholder="purchase"
          set={(draft, value) => {
            eventOf(draft).eventType = value;
          }}
        />
        <TextAt
          path={`${path}.when.countries`}
          label="Only for countries"
          value={event.whenCountries}
          placeholder="any"
          includeNested
          set={(draft, value) => {
            eventOf(draft).whenCountries = value.toUpperCase();
          }}
        />
        <SelectAt
          path={`${path}.when.newCustomer`}
          label="Only for customers"
          value={event.whenNewCustomer}
          options={[
            { value: '', label: 'any customer' },
            { value: 'true', label: 'new customers' },
            { value: 'false', label: 'not new customers (or unknown)' },
          ]}
          set={(draft, value) => {
            eventOf(draft).whenNewCustomer = value;
          }}
        />
        <SelectAt
          path={`${path}.basis`}
          label="Paid as"
          value={event.basis}
          options={basisOptions}
          set={(draft, value) => {
            eventOf(draft).basis = value;
          }}
        />
        {event.basis === 'tiers' ? (
          <SelectAt
            path={`${path}.tiers.mode`}
            label="Tier mode"
            value={event.tierMode}
            hint={
              event.tierMode === 'graduated'
                ? 'Each conversion at the level its place in the period falls in.'
                : "All the period's conversions at the level their count reaches."
            }
            options={[
              { value: 'graduated', label: 'graduated' },
              { value: 'volume', label: 'volume' },
            ]}
            set={(draft, value) => {
              eventOf(draft).tierMode = value;
            }}
          />
        ) : (
          <DecimalAt
            path={`${path}.${event.basis}`}
            label={event.basis === 'amount' ? 'Amount' : 'Revenue share %'}
            value={event.value}
            set={(draft, value) => {
              eventOf(draft).value = value;
            }}
          />
        )}
        <div className="field">
          <span className="label">&nbsp;</span>
          <span className="actions">
            <Button
              size="small"
              disabled={index === 0}
              aria-label={`Move event ${index + 1} up`}
              onClick={() =>
                editor.edit(listEdit(listPath), (draft) => {
                  const list = eventsOf(draft);
                  const [moved] = list.splice(index, 1);
                  if (moved) list.splice(index - 1, 0, moved);
                })
              }
            >
              Move up
            </Button>
            <RemoveItem path={listPath} listOf={eventsOf} index={index} disabled={count === 1} label={`Remove event ${index + 1}`} />
          </span>
        </div>
      </div>
      {event.basis === 'tiers' && (
        <TierRows
          listPath={`${path}.tiers.levels`}
          rows={event.levels}
          rowsOf={(draft) => eventOf(draft).levels}
          emptyRow={emptyCpaLevel}
          noun="Level"
          units="conversions"
          firstUpToPlaceholder="100"
          columns={[{ field: 'amount', termsField: 'amount', header: 'Amount per conversion', label: 'amount' }]}
        />
      )}
      {entryErrors.map((message) => (
        <span key={message} className="error wide" role="alert">
          {message}
        </span>
      ))}
    </fieldset>
  );
}
