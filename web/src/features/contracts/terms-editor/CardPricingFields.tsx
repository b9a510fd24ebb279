/**
 * A flat cpm, cpcv or cpc rate priced from a rate card (SPEC §8): the card (in the contract's
 * currency), the model, the product (from the card's entries for that model), premiums and a
 * discount; and, as you type, the list rate, the net rate and the floor, with a warning below the
 * floor before the server refuses it. The net rate is the server's own arithmetic (quoteFromCard,
 * src/wire/rate-cards.ts) on the card version in force on the date the contract version takes effect
 * (an amendment's effectiveFrom, else the start date), as the server picks it; the server prices the
 * line again when it writes the version, and the terms read back carry what it used. A discount
 * beyond the approval policy's maxDiscountPercent says that the version will need more approvers.
 */
import { formatDecimal } from '../../../common/format-money.ts';
import { formatDate } from '../../../common/format.ts';
import { Money } from '../../../common/ui/Money.tsx';
import {
  cardModels,
  type CardQuote,
  discountPercentSchema,
  formatRate,
  premiumKey,
  quoteFromCard,
  type RateCardPremium,
} from '../../../../../src/wire/rate-cards.ts';
import { Decimal } from '../../../../../src/wire/money.ts';
import { isCalendarDate } from '../../../../../src/wire/terms-fields.ts';
import { PremiumFigure } from '../../rate-cards/PremiumFigure.tsx';
import {
  cardModelUnits,
  type CardVersionWithEtag,
  useGetRateCardQuery,
  useGetRateCardVersionQuery,
  useListRateCardsQuery,
  versionInForce,
} from '../../rate-cards/rate-cards-api.ts';
import { type ApprovalPolicy, DEFAULT_MAX_DISCOUNT_PERCENT, useGetApprovalPolicyQuery } from '../../settings/settings-api.ts';
import { DecimalAt, lineItemOf, SelectAt } from './fields.tsx';
import type { CardModel, CardPricingForm, TermsForm } from './terms-form.ts';
import { useEditor } from './use-terms-editor.ts';

/** The cards a line may be priced from: those in the contract's currency, one page of this many. */
const cardsListed = 100;

const modelLabels: Record<CardModel, string> = { cpm: 'CPM', cpcv: 'CPCV', cpc: 'CPC' };

const approverCounts = ['no', 'one', 'two', 'three', 'four', 'five'];

/**
 * What a discount typed means for approval: beyond the policy's maxDiscountPercent, the version needs
 * largeContractApprovals instead of requiredApprovals (requiredApprovalsFor on the server). Nothing
 * while the policy is unknown, the discount is not a valid one, or the policy asks no more for it.
 */
function deepDiscountHint(discountPercent: string, policy: ApprovalPolicy | undefined): string | undefined {
  const typed = discountPercent.trim();
  if (!policy || policy.largeContractApprovals <= policy.requiredApprovals || !discountPercentSchema.safeParse(typed).success)
    return undefined;
  const limit = policy.maxDiscountPercent ?? DEFAULT_MAX_DISCOUNT_PERCENT;
  if (!new Decimal(typed).gt(limit)) return undefined;
  const approvers = approverCounts[policy.largeContractApprovals] ?? String(policy.largeContractApprovals);
  return `Beyond ${formatDecimal(limit)} %: this version will need ${approvers} approvers.`;
}

export function CardPricingFields({ index, path, card }: { index: number; path: string; card: CardPricingForm }) {
  const editor = useEditor();
  const { currency } = editor.form;
  // The card version in force on the date the contract version takes effect, as the server prices it.
  const pricingDate = editor.effectiveFrom;
  const policy = useGetApprovalPolicyQuery().data;
  const cardOf = (draft: TermsForm) => lineItemOf(draft, index).pricing.card;
  const cards = useListRateCardsQuery({ currency, limit: cardsListed }, { skip: !/^[A-Z]{3}$/.test(currency) });
  const listed = cards.data?.data.find((candidate) => candidate.id === card.rateCardId);
  // A card that is not listed (past the first page, or in another currency) is read on its own.
  const single = useGetRateCardQuery(card.rateCardId, { skip: card.rateCardId === '' || listed !== undefined || cards.isFetching });
  const rateCard = listed ?? single.data;
  const inForce = rateCard && isCalendarDate(pricingDate) ? versionInForce(rateCard, pricingDate) : undefined;
  const version = useGetRateCardVersionQuery({ rateCardId: card.rateCardId, number: inForce?.number ?? 0 }, { skip: !inForce }).data;
  const entries = version?.entries.filter((entry) => entry.model === card.model) ?? [];

  const cardOptions = [
    { value: '', label: cards.isLoading ? 'Loading rate cards…' : `Choose a rate card in ${currency}` },
    ...(cards.data?.data ?? []).map((candidate) => ({ value: candidate.id, label: candidate.name })),
    ...(card.rateCardId !== '' && !listed
      ? [{ value: card.rateCardId, label: rateCard ? `${rateCard.name} (${rateCard.currency})` : card.rateCardId }]
      : []),
  ];
  const productOptions = [
    { value: '', label: version ? `Choose a product sold by ${card.model}` : 'Choose the card first' },
    ...entries.map((entry) => ({ value: entry.product, label: `${entry.product} (list ${entry.listRate})` })),
    ...(card.product !== '' && !entries.some((entry) => entry.product === card.product)
      ? [{ value: card.product, label: `${card.product} (no ${card.model} rate on this card)` }]
      : []),
  ];

  return (
    <div className="card-pricing">
      <div className="form-grid">
        <SelectAt
          path={`${path}.rateCard.id`}
          label="Rate card"
          value={card.rateCardId}
          options={cardOptions}
          set={(draft, value) => {
            cardOf(draft).rateCardId = value;
          }}
        />
        <SelectAt
          path={`${path}.model`}
          label="Sold"
          value={card.model}
          options={cardModels.map((model) => ({ value: model, label: `${modelLabels[model]}, ${cardModelUnits[model]}` }))}
          set={(draft, value) => {
            cardOf(draft).model = value;
          }}
        />
        <SelectAt
          path={`${path}.rateCard.product`}
          label="Product"
          value={card.product}
          options={productOptions}
          set={(draft, value) => {
            cardOf(draft).product = value;
          }}
        />
        <DecimalAt
          path={`${path}.rateCard.discountPercent`}
          label="Discount %"
          value={card.discountPercent}
          placeholder="0"
          hint={deepDiscountHint(card.discountPercent, policy)}
          set={(draft, value) => {
            cardOf(draft).discountPercent = value;
          }}
        />
      </div>
      <PremiumChoices path={path} card={card} premiums={version?.premiums ?? []} currency={currency} index={index} />
      {card.rateCardId !== '' && rateCard && !inForce && (
        <p className="alert warn">
          {rateCard.name} has no approved version in force on {formatDate(pricingDate)}, when this version takes effect: a line cannot be
          priced from it yet.
        </p>
      )}
      {version && <CardPrice card={card} version={version} currency={currency} lineNumber={index + 1} pricingDate={pricingDate} />}
      {card.saved && (
        <p className="hint">
          As saved: <Money amount={card.saved.rate} currency={currency} /> {cardModelUnits[card.saved.model]}
          {card.saved.version !== undefined && `, from card version ${card.saved.version}`}
          {card.saved.listRate !== undefined && ` (list ${card.saved.listRate})`}. Saving prices the line again from the card version in
          force.
        </p>
      )}
    </div>
  );
}

/** The card's premiums as checkboxes; premiums asked for that the version lacks stay listed, checked, to be unticked. */
function PremiumChoices({
  path,
  card,
  premiums,
  currency,
  index,
}: {
  path: string;
  card: CardPricingForm;
  premiums: RateCardPremium[];
  currency: string;
  index: number;
}) {
  const editor = useEditor();
  const premiumsPath = `${path}.rateCard.premiums`;
  const keys = premiums.map(premiumKey);
  const missing = card.premiums.filter((key) => !keys.includes(key));
  if (premiums.length === 0 && missing.length === 0) return null;
  const toggle = (key: string, checked: boolean) =>
    editor.edit(premiumsPath, (draft) => {
      const target = lineItemOf(draft, index).pricing.card;
      const chosen = new Set(target.premiums);
      if (checked) chosen.add(key);
      else chosen.delete(key);
      // In the card's order, then any the card lacks: the same key list whatever the clicking order.
      target.premiums = [...keys, ...missing].filter((candidate) => chosen.has(candidate));
    });
  const errors = editor.errorsUnder(premiumsPath);
  return (
    <fieldset className="premiums" aria-label={`Premiums of line item ${index + 1}`}>
      <legend>Premiums</legend>
      {premiums.map((premium) => {
        const key = premiumKey(premium);
        return (
          <label key={key} className="checkbox" style={{ marginRight: '1.25rem' }}>
            <input type="checkbox" checked={card.premiums.includes(key)} onChange={(event) => toggle(key, event.target.checked)} />
            <span className="mono">{key}</span> (<PremiumFigure premium={premium} currency={currency} />)
          </label>
        );
      })}
      {missing.map((key) => (
        <label key={key} className="checkbox" style={{ marginRight: '1.25rem' }}>
          <input type="checkbox" checked onChange={(event) => toggle(key, event.target.checked)} />
          <span className="mono">{key}</span> <span className="muted">(not on this card version)</span>
        </label>
      ))}
      {errors.map((message) => (
        <span key={message} className="error" role="alert">
          {message}
        </span>
      ))}
    </fieldset>
  );
}

/** The price as you type: list rate, premiums, discount, net rate and floor, from the version in force. */
function CardPrice({
  card,
  version,
  currency,
  lineNumber,
  pricingDate,
}: {
  card: CardPricingForm;
  version: CardVersionWithEtag;
  currency: string;
  lineNumber: number;
  pricingDate: string;
}) {
  const discountValid = card.discountPercent.trim() === '' || discountPercentSchema.safeParse(card.discountPercent.trim()).success;
  const quote: CardQuote | undefined =
    card.product === '' || !discountValid
      ? undefined
      : quoteFromCard(version, card.model, {
          product: card.product,
          premiums: card.premiums,
          discountPercent: card.discountPercent.trim() || undefined,
        });
  const unit = cardModelUnits[card.model];
  return (
    <section className="card-price" role="status" aria-label={`Card price of line item ${lineNumber}`}>
      <div className="small muted">
        From version {version.number} of the card (effective {formatDate(version.effectiveFrom)}), the one in force on{' '}
        {formatDate(pricingDate)}, when this version takes effect.
      </div>
      {!quote?.entry ? (
        <div className="muted">
          {card.product === ''
            ? 'Choose a product to see its rates.'
            : discountValid
              ? `No ${card.model} rate for ${card.product} on this card version.`
              : 'Enter a valid discount to see the net rate.'}
        </div>
      ) : (
        <>
          <dl className="facts">
            <dt>List rate</dt>
            <dd>
              <Money amount={quote.entry.listRate} currency={currency} /> {unit}
            </dd>
            <dt>Premiums</dt>
            <dd>
              {quote.applied.length === 0
                ? 'none'
                : quote.applied.map((premium, position) => (
                    <span key={premiumKey(premium)}>
                      {position > 0 && ', '}
                      <PremiumFigure premium={premium} currency={currency} /> {premiumKey(premium)}
                    </span>
                  ))}
            </dd>
            <dt>Discount</dt>
            <dd>{formatDecimal(card.discountPercent.trim() || '0')}%</dd>
            <dt>Net rate</dt>
            <dd>
              <strong data-testid={`net-rate-${lineNumber}`}>
                <Money amount={formatRate(quote.netRate)} currency={currency} />
              </strong>{' '}
              {unit}
            </dd>
            <dt>Floor rate</dt>
            <dd>{quote.entry.floorRate === undefined ? 'none' : <Money amount={quote.entry.floorRate} currency={currency} />}</dd>
          </dl>
          {quote.belowFloor && (
            <div className="alert warn" role="alert">
              <strong>Below the floor rate</strong>
              The net rate {formatRate(quote.netRate)} is under the floor rate {quote.entry.floorRate} of {card.product}: saving will be
              refused (below_floor_rate). Lower the discount or add premiums.
            </div>
          )}
        </>
      )}
    </section>
  );
}
