// The console's calendar: GET /v1/calendar, the dry run of each day counted (shared/usecases/plan/
// calendar.ts). A day's touches themselves are GET /v1/plan?date=D (runs.ts). Writes nothing.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { calendarDate } from '../../domain/documents.js';
import { CALENDAR_DEFAULT_DAYS, CALENDAR_MAX_DAYS, planCalendar } from '../../usecases/plan/calendar.js';
import { calendarDaySchema, calendarTotalsSchema } from '../../usecases/plan/calendar-day.js';
import type { ApiDeps } from '../deps.js';
import { commonErrors, jsonContent, notFound, notFoundResponse, opsApp, security } from './common.js';
import { queryId } from './params.js';

// Domain schemas may be created before @hono/zod-openapi extends zod: documented through clones.
const calendarSchema = z
  .object({
    from: z.string(),
    days: z.array(calendarDaySchema.clone().openapi('CalendarDay')),
    totals: calendarTotalsSchema.clone().openapi('CalendarTotals'),
    nextFrom: z.string().optional().openapi({
      description: 'Present when the request ran out of time first: ask again from this date for the rest',
    }),
  })
  .openapi('Calendar');

export function calendarRoutes(deps: ApiDeps): OpenAPIHono {
  const app = opsApp(deps.log);
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/calendar',
      tags: ['runs'],
      security,
      summary:
        "What goes out on each of the next days: the dry run of every day counted by campaign, step, tier and channel, suppressions by reason, estimated cost; writes nothing. A day's touches: GET /v1/plan?date=D",
      request: {
        query: z.object({
          from: calendarDate
            .clone()
            .optional()
            .openapi({ description: 'First local date; default: today (UTC)', example: '2026-11-26' }),
          days: z.coerce.number().int().min(1).max(CALENDAR_MAX_DAYS).default(CALENDAR_DEFAULT_DAYS),
          campaign: queryId().optional(),
        }),
      },
      responses: {
        200: jsonContent(calendarSchema, 'The days planned, and their totals'),
        ...commonErrors,
        ...notFoundResponse,
      },
    }),
    async (c) => {
      const { from, days, campaign } = c.req.valid('query');
      const result = await planCalendar(
        { store: deps.store },
        { from: from ?? deps.clock.now().toISOString().slice(0, 10), days, campaignId: campaign },
      );
      if (!result.ok) throw notFound(`Campaign ${result.campaignId}`);
      return c.json(result.calendar, 200);
    },
  );
  return app;
}
