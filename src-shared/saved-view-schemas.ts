import { z } from 'zod';
import { timeSchema } from './job';
import { parseJobQuery, QuerySyntaxError } from './job-query';

/** The longest name a saved view may have. */
export const SAVED_VIEW_NAME_MAX = 80;
/** The longest query a saved view may keep. */
export const SAVED_VIEW_QUERY_MAX = 2000;

/** `POST /api/v1/saved-views` body: a name for a query of the search language (job-query.ts). */
export const createSavedViewSchema = z.strictObject({
  /** 1–80 characters, unique among the console's saved views (surrounding spaces are dropped). */
  name: z.string().trim().min(1).max(SAVED_VIEW_NAME_MAX),
  /** A query that parses, as `GET /api/v1/jobs?q=` takes it. */
  query: z
    .string()
    .max(SAVED_VIEW_QUERY_MAX)
    .superRefine((query, context) => {
      try {
        parseJobQuery(query);
      } catch (error) {
        if (!(error instanceof QuerySyntaxError)) throw error;
        context.addIssue({ code: 'custom', message: error.message, params: { rule: 'syntax' } });
      }
    }),
});
export type CreateSavedView = z.output<typeof createSavedViewSchema>;

/** A named query the console keeps, for every window that opens it. */
export const savedViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  query: z.string(),
  created_at: timeSchema,
});
export type SavedView = z.output<typeof savedViewSchema>;
