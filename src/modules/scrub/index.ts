/** The scrub module's public surface: the rules' routes, the active rules and the pure decision intake applies. */
export { scrubRuleRoutes } from './scrub-rules.routes.ts';
export { createScrubRule } from './create-scrub-rule.ts';
export { listActiveScrubRules } from './scrub-rule.repository.ts';
export { assertRuleReferences } from './scrub-rule-checks.ts';
export {
  type ConversionFacts,
  type EvaluatedRule,
  type ScrubCandidate,
  type ScrubDecision,
  compareRules,
  evaluationOrder,
  ruleMatches,
  scrubCandidateOf,
  scrubDecision,
  statusOfAction,
} from './scrub-rule.ts';
