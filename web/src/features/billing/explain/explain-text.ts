/**
 * Reading a line's `explain` (SPEC §4.6: the version, inputs, rule and rounding that made it) in
 * words. The explain is open-ended JSON that grows with the rating engine, so this does two things:
 * sentences for the shapes it knows (rules, formulas with their values put in, tiers, caps,
 * discrepancy, rounding, adjustments; CPA's own in explain-cpa-text.ts), and a value formatter that the generic view uses for
 * everything else. Pure functions: no React, so that they are tested directly.
 */
import { formatCount, formatDate, formatInstant, humanize } from '../../../common/format.ts';
import { formatDecimal, formatMoney } from '../../../common/format-money.ts';
import { cpaEntrySentences, cpaTierSentences, payoutLevelSentence } from './explain-cpa-text.ts';
import { type Explain, humanizeWord, isObject, type JsonValue, text } from './explain-json.ts';

export type { Explain, JsonValue };

const ruleLabels: Record<string, string> = {
  'cpm.flat': 'CPM at one rate',
  'cpm.graduated': 'CPM, graduated tiers (each impression priced by the tier it falls in)',
  'cpm.volume': 'CPM, volume tiers (all impressions priced by the tier the total reaches)',
  'cpcv.flat': 'CPCV at one rate per completed view',
  'cpcv.graduated': 'CPCV, graduated tiers (each completed view priced by the tier it falls in)',
  'cpcv.volume': 'CPCV, volume tiers (all completed views priced by the tier the total reaches)',
  'cpc.flat': 'CPC at one rate per click',
  'cpc.graduated': 'CPC, graduated tiers (each click priced by the tier it falls in)',
  'cpc.volume': 'CPC, volume tiers (all clicks priced by the tier the total reaches)',
  cpa: 'CPA',
  'cpa.fixed': 'CPA, a fixed amount per conversion',
  'cpa.revenue_share': 'CPA, a share of the conversion value',
  'cpa.graduated': "CPA, graduated tiers (each conversion priced by the level its place in the period's count falls in)",
  'cpa.volume': "CPA, volume tiers (all conversions priced by the level the period's count reaches)",
  'cpa.reversal': 'CPA reversal: a billed conversion was reversed',
  'hybrid.lesser_of': 'Hybrid: the lesser of media (CPM, CPCV or CPC) and CPA',
  'hybrid.greater_of': 'Hybrid: the greater of media (CPM, CPCV or CPC) and CPA',
  'flat.period': 'Flat amount per period',
  'flat.prorated': 'Flat amount, prorated by active days',
  'fee.percent_of_media': 'Fee: a percentage of media',
  'fee.flat': 'Fee: a flat amount per period',
  'fee.flat.prorated': 'Fee: a flat amount, prorated by active days',
  'minimum_spend.period': 'Minimum spend true-up for the period',
  'minimum_spend.contract': 'Minimum spend true-up over the contract',
  adjustment: 'Adjustment to an issued document (delivery changed after it was issued)',
};

/** A rule code ("cpm.graduated") in words. */
export function ruleLabel(rule: string): string {
  return ruleLabels[rule] ?? humanize(rule.replaceAll('.', ', '));
}

const keyLabels: Record<string, string> = {
  ratePerMille: 'rate per 1,000',
  ratePerView: 'rate per completed view',
  ratePerClick: 'rate per click',
  firstPartyImpressions: 'first-party impressions',
  thirdPartyImpressions: 'third-party impressions',
  missingThirdPartyDates: 'dates without a third-party count',
  billingSource: 'billing source',
  upTo: 'up to',
  fromImpression: 'from impression',
  exactAmount: 'exact amount',
  lineBudgetCap: 'line budget cap',
  contractBudgetCap: 'contract budget cap',
  periodOffset: 'impressions earlier in the period',
  periodTotal: 'period total',
  periodCount: 'conversions counted in the period',
  reversedInCount: 'reversed, keeping their place in the count',
  fromConversion: 'from conversion',
  tierLevels: 'tier levels',
  tierBreakdown: 'tier breakdown',
  tierBreakdowns: 'tier breakdowns',
  payoutLevel: 'paid by',
};

/** A camelCase key of the explain as words ("firstPartyImpressions" → "first-party impressions"). */
export function humanizeKey(key: string): string {
  return keyLabels[key] ?? humanize(key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
}

const decimalPattern = /^-?\d+(\.\d+)?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Keys whose decimal values are amounts of the document's currency. */
const moneyKeys = new Set([
  'amount',
  'exactAmount',
  'ratePerMille',
  'ratePerView',
  'ratePerClick',
  'flatAmount',
  'cap',
  'billedBefore',
  'amountBefore',
  'capped',
  'amountBeforeCaps',
  'cappedAmount',
  'mediaAmount',
  'minimum',
  'requiredAmount',
  'billedAmount',
  'minValue',
  'rate',
  'base',
  'from',
  'to',
]);

export type ValueKind = 'money' | 'percent' | 'decimal' | 'count' | 'date' | 'instant' | 'boolean' | 'none' | 'text';

/** What a value is, by its key and shape. */
export function classify(key: string, value: JsonValue): ValueKind {
  if (value === null) return 'none';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'count';
  if (typeof value !== 'string') return 'text';
  if (datePattern.test(value)) return 'date';
  if (instantPattern.test(value)) return 'instant';
  if (!decimalPattern.test(value)) return 'text';
  if (/percent$/i.test(key)) return 'percent';
  return moneyKeys.has(key) ? 'money' : 'decimal';
}

/** A primitive of the explain for people: money in the currency (exact, never rounded), counts grouped, dates in the locale. */
export function formatValue(key: string, value: JsonValue, currency: string, locale?: string): string {
  switch (classify(key, value)) {
    case 'none':
      return 'none';
    case 'boolean':
      return value ? 'yes' : 'no';
    case 'count':
      return formatCount(value as number, locale);
    case 'date':
      return formatDate(value as string, locale);
    case 'instant':
      return formatInstant(value as string, locale);
    case 'percent':
      return `${formatDecimal(value as string, { locale })} %`;
    case 'money':
      return formatMoney(value as string, currency, { locale });
    case 'decimal':
      return formatDecimal(value as string, { locale });
    case 'text':
      return typeof value === 'string' ? humanizeWord(value) : JSON.stringify(value);
  }
}

/**
 * A formula with its values put in: "impressions × ratePerMille / 1000" with
 * {impressions: 1333521, ratePerMille: "28.50"} → "1,333,521 × $28.50 / 1,000". Names that are
 * not in scope stay as written.
 */
export function formulaWithValues(formula: string, scope: Explain, currency: string, locale?: string): string {
  return formula.replace(/[A-Za-z][A-Za-z0-9]*|\d+(\.\d+)?/g, (token) => {
    if (/^\d/.test(token)) return formatDecimal(token, { locale });
    const value = scope[token];
    if (value === undefined || isObject(value) || Array.isArray(value)) return token;
    // Inside a formula a percentage is the number the formula divides by 100, not "15 %".
    if (classify(token, value) === 'percent') return formatDecimal(value as string, { locale });
    return formatValue(token, value, currency, locale);
  });
}

/** The sentences that say how a line was computed, most important first. */
export function explainSummary(explain: Explain, currency: string, locale?: string): string[] {
  const money = (value: JsonValue | undefined) =>
    typeof value === 'string' && decimalPattern.test(value) ? formatMoney(value, currency, { locale }) : String(value ?? '—');
  const count = (value: JsonValue | undefined) => (typeof value === 'number' ? formatCount(value, locale) : String(value ?? '—'));
  const sentences: string[] = [];
  const rule = text(explain.rule);
  if (rule) sentences.push(`Rule: ${ruleLabel(rule)}.`);
  const payoutLevel = text(explain.payoutLevel);
  if (payoutLevel) sentences.push(payoutLevelSentence(payoutLevel));
  if (isObject(explain.version) && typeof explain.version.number === 'number') {
    const from = text(explain.version.effectiveFrom);
    sentences.push(
      `Priced by version ${explain.version.number} of the contract${from ? `, in force from ${formatDate(from, locale)}` : ''}.`,
    );
  }
  if (isObject(explain.segment)) {
    const { from, to, days } = explain.segment;
    sentences.push(`Delivery from ${formatDate(text(from), locale)} to ${formatDate(text(to), locale)} (${count(days)} days).`);
  }
  if (rule === 'adjustment') sentences.push(...adjustmentSentences(explain, money, count));
  // A hybrid's media part is under the key of its model: cpm, cpcv or cpc (SPEC §8).
  const hybridMediaKey = (['cpm', 'cpcv', 'cpc'] as const).find((key) => isObject(explain[key]));
  const hybridMedia = hybridMediaKey === undefined ? undefined : (explain[hybridMediaKey] as Explain);
  if (rule?.startsWith('hybrid.') && hybridMedia && isObject(explain.cpa)) {
    sentences.push(
      `${String(hybridMediaKey).toUpperCase()} would bill ${money(hybridMedia.amount)}, CPA ${money(explain.cpa.amount)}: ${String(explain.chosen ?? '').toUpperCase()} is billed.`,
    );
  }
  const inputs = isObject(explain.inputs) ? explain.inputs : hybridMedia && isObject(hybridMedia.inputs) ? hybridMedia.inputs : undefined;
  if (inputs) sentences.push(...inputSentences(inputs, count, locale));
  const pricing = isObject(explain.pricing) ? explain.pricing : undefined;
  const result = isObject(explain.budgetCaps) ? explain.budgetCaps.amountBeforeCaps : explain.exactAmount;
  const formulaSource = pricing && text(pricing.formula) ? pricing : text(explain.formula) ? explain : undefined;
  // An adjustment's formula names objects, which its own sentences already spell out.
  if (formulaSource && rule !== 'adjustment') {
    const formula = text(formulaSource.formula) as string;
    const scope = { ...explain, ...formulaSource };
    const value = formulaSource === pricing ? result : explain.exactAmount;
    const computed = /[×/−+-]/.test(formula) && typeof value === 'string' ? ` = ${money(value)}` : '';
    sentences.push(`${formula}: ${formulaWithValues(formula, scope, currency, locale)}${computed}.`);
  }
  if (pricing) sentences.push(...cpaEntrySentences(pricing), ...tierSentences(pricing, money, count));
  sentences.push(...cpaTierSentences(explain, money, count));
  if (isObject(explain.budgetCaps)) sentences.push(...capSentences(explain.budgetCaps, money));
  const rounding = isObject(explain.rounding) ? explain.rounding : undefined;
  if (rounding) {
    const mode = text(rounding.mode) === 'half_even' ? 'half to even' : humanize(String(rounding.mode ?? ''));
    const changed = rounding.from !== rounding.to;
    sentences.push(
      changed
        ? `Exact amount ${money(rounding.from)}, rounded once (${mode}) to ${count(rounding.decimals)} decimals: ${money(rounding.to)}.`
        : `Exact amount ${money(rounding.from)}: no rounding needed at ${count(rounding.decimals)} decimals.`,
    );
  }
  return sentences;
}

/** The words and explain keys of a line's metric: impressions unless its explain names another (`metric`, SPEC §8). */
const metricTexts: Record<string, { words: string; key: string; tierFrom: string; rate: string; per: string }> = {
  impressions: { words: 'impressions', key: 'Impressions', tierFrom: 'fromImpression', rate: 'ratePerMille', per: 'per 1,000' },
  completedViews: {
    words: 'completed views',
    key: 'CompletedViews',
    tierFrom: 'fromCompletedView',
    rate: 'ratePerView',
    per: 'per completed view',
  },
  clicks: { words: 'clicks', key: 'Clicks', tierFrom: 'fromClick', rate: 'ratePerClick', per: 'per click' },
};

function metricTextOf(explain: Explain) {
  return metricTexts[text(explain.metric) ?? 'impressions'] ?? (metricTexts.impressions as (typeof metricTexts)[string]);
}

const sourceWords: Record<string, string> = {
  first_party: 'the first-party count',
  third_party: 'the third-party count',
  lesser_of: 'the lesser of the two counts',
};

function inputSentences(inputs: Explain, count: (value: JsonValue | undefined) => string, locale: string | undefined): string[] {
  const sentences: string[] = [];
  const source = text(inputs.billingSource);
  const metric = metricTextOf(inputs);
  if (source) {
    sentences.push(
      `Counted ${count(inputs[`counted${metric.key}`])} ${metric.words} by ${sourceWords[source] ?? humanize(source)} (first-party ${count(inputs[`firstParty${metric.key}`])}, third-party ${count(inputs[`thirdParty${metric.key}`])}).`,
    );
  }
  if (Array.isArray(inputs.missingThirdPartyDates) && inputs.missingThirdPartyDates.length > 0) {
    sentences.push(`No third-party count on ${inputs.missingThirdPartyDates.length} day(s): the first-party count was used for them.`);
  }
  const discrepancy = isObject(inputs.discrepancy) ? inputs.discrepancy : undefined;
  if (discrepancy && typeof discrepancy.percent === 'string') {
    const verdict = discrepancy.aboveTolerance ? 'above the tolerance: flagged for review' : 'within the tolerance';
    sentences.push(
      `First- and third-party counts differ by ${formatDecimal(discrepancy.percent, { locale })} % over ${count(discrepancy.daysCompared)} day(s) (tolerance ${formatDecimal(String(discrepancy.tolerancePercent ?? '0'), { locale })} %): ${verdict}.`,
    );
  }
  const impressionCap = isObject(inputs.impressionCap) ? inputs.impressionCap : undefined;
  if (impressionCap) {
    sentences.push(
      `Impression cap ${count(impressionCap.cap)}: ${count(impressionCap.billedBefore)} billed before, ${count(impressionCap.billed)} billed now, ${count(impressionCap.capped)} capped.`,
    );
  }
  if (Array.isArray(inputs.conversionsBilled)) sentences.push(`${count(inputs.conversionsBilled.length)} conversion(s) billed.`);
  if (Array.isArray(inputs.conversionsOverCap) && inputs.conversionsOverCap.length > 0) {
    sentences.push(`${count(inputs.conversionsOverCap.length)} conversion(s) over the cap, not billed.`);
  }
  return sentences;
}

function tierSentences(
  pricing: Explain,
  money: (value: JsonValue | undefined) => string,
  count: (value: JsonValue | undefined) => string,
): string[] {
  const tiers = Array.isArray(pricing.tiers) ? pricing.tiers.filter(isObject) : isObject(pricing.tier) ? [pricing.tier] : [];
  const metric = metricTextOf(pricing);
  const quantityKey = text(pricing.metric) ?? 'impressions';
  return tiers
    .filter((tier) => typeof tier[quantityKey] !== 'number' || (tier[quantityKey] as number) > 0)
    .map((tier) => {
      const upTo = tier.upTo === null ? 'and up' : `to ${count(tier.upTo)}`;
      const flat = typeof tier.flatAmount === 'string' && !/^0(\.0+)?$/.test(tier.flatAmount) ? ` plus ${money(tier.flatAmount)} flat` : '';
      return `Tier ${count(tier.tier)} (${metric.words} ${count(tier[metric.tierFrom])} ${upTo}): ${count(tier[quantityKey])} ${metric.words} at ${money(tier[metric.rate])} ${metric.per}${flat} = ${money(tier.amount)}.`;
    });
}

function capSentences(caps: Explain, money: (value: JsonValue | undefined) => string): string[] {
  const sentences: string[] = [];
  for (const [key, label] of [
    ['lineBudgetCap', 'Line budget cap'],
    ['contractBudgetCap', 'Contract budget cap'],
  ] as const) {
    const cap = caps[key];
    if (!isObject(cap)) continue;
    const capped =
      typeof cap.capped === 'string' && !/^-?0(\.0+)?$/.test(cap.capped) ? `${money(cap.capped)} capped (not billed)` : 'nothing capped';
    sentences.push(`${label} ${money(cap.cap)}: ${money(cap.billedBefore)} billed before this line; ${capped}.`);
  }
  return sentences;
}

function adjustmentSentences(
  explain: Explain,
  money: (value: JsonValue | undefined) => string,
  count: (value: JsonValue | undefined) => string,
): string[] {
  const before = isObject(explain.billedBefore) ? explain.billedBefore : undefined;
  const now = isObject(explain.ratedNow) ? explain.ratedNow : undefined;
  const sentences = [
    `Corrects ${text(explain.correctsDocument) ?? 'an issued document'} for ${text(explain.correctsPeriod) ?? 'an earlier period'}.`,
  ];
  if (before && now) {
    sentences.push(
      `Billed before: ${count(before.quantity)} for ${money(before.amount)}. Rated now: ${count(now.quantity)} for ${money(now.amount)}. This line bills the difference.`,
    );
  }
  return sentences;
}
