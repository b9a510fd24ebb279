/**
 * Dunning (SPEC §10 Receivables): the schedule of days past due at which overdue invoices are
 * announced, with its rules, and what a dunning run answers. Shared by the routes, the use cases and
 * the web app, whose schedule editor checks a step as typed with the same schema the server does.
 */
import { z } from 'zod';

/** At most 10 steps, each at most ten years past due: a limit on what a caller controls. */
export const dunningStepsMax = 10;
export const dunningStepDaysMax = 3650;

/** The dunning schedule (`GET/PUT /v1/settings/dunning`): 1 to 10 whole days past due, ascending. */
export const dunningScheduleSchema = z
  .strictObject({
    steps: z
      .array(z.int().min(1).max(dunningStepDaysMax))
      .min(1)
      .max(dunningStepsMax)
      .meta({ description: 'Days past due at which an invoice.overdue webhook goes out: distinct, ascending, e.g. [1, 15, 30]' }),
  })
  .superRefine((schedule, context) => {
    schedule.steps.forEach((step, index) => {
      const previous = schedule.steps[index - 1];
      if (previous !== undefined && step <= previous) {
        context.addIssue({ code: 'custom', path: ['steps', index], message: `must be greater than the step before it (${previous})` });
      }
    });
  });
export type DunningSchedule = z.infer<typeof dunningScheduleSchema>;

/** A notice a dunning run sent: one invoice.overdue webhook, for the latest step the invoice reached. */
export const dunningNoticeSchema = z.object({
  documentId: z.string(),
  number: z.string(),
  partyId: z.string(),
  step: z.int(),
  daysPastDue: z.int(),
  currency: z.string(),
  amountDue: z.string(),
});
export type DunningNotice = z.infer<typeof dunningNoticeSchema>;

/**
 * What `POST /v1/dunning/run` answers: the notices sent, one per invoice, and the earlier steps
 * recorded as skipped because a later one was sent (or had been) instead.
 */
export const dunningRunSchema = z.object({
  asOf: z.string(),
  notices: z.array(dunningNoticeSchema),
  skipped: z.array(z.object({ documentId: z.string(), number: z.string(), step: z.int() })),
});
export type DunningRun = z.infer<typeof dunningRunSchema>;
