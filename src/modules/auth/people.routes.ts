/** HTTP route that turns user ids into names, for every role that reads. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { peoplePerRequestMax, type Person } from '../../wire/people.ts';
import { readPeople } from './read-people.ts';

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

const peopleQuery = z.strictObject({
  ids: z
    .string()
    .min(1)
    .max(peoplePerRequestMax * 65)
    .describe(`Comma-separated user ids, at most ${peoplePerRequestMax}`)
    .refine((ids) => ids.split(',').every((id) => idPattern.test(id)), 'comma-separated user ids')
    .refine((ids) => ids.split(',').length <= peoplePerRequestMax, `at most ${peoplePerRequestMax} ids`),
});

const personSchema = z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }) satisfies z.ZodType<Person>;

/** `GET /people?ids=…`: who is behind the user ids of other answers. */
export const peopleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/people',
    {
      config: { permission: 'read' },
      schema: {
        operationId: 'listPeople',
        tags: ['users'],
        summary: 'Names of users by id',
        description:
          "Who is behind the user ids of other answers (createdBy, approvals, recordedBy, …). Unknown ids are left out; a party user sees staff by name only (email null) and no other party's users.",
        querystring: peopleQuery,
        response: { 200: z.object({ data: z.array(personSchema) }) },
      },
    },
    async (request) => ({ data: await readPeople(app.store.db, request.scope, request.query.ids.split(',')) }),
  );
};
