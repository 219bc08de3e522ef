import { z } from 'zod';
import { flowReportSchema, kindFlowSchema } from '../../src-shared/flow';
import { operationPreviewSchema, operationSchema } from '../../src-shared/operation-schemas';
import { deadLetterPreviewSchema, deadLetterSchema } from '../../src-shared/dead-letter-schemas';
import { batchAcceptedSchema, batchSchema, batchSummarySchema } from '../../src-shared/batch-schemas';
import {
  connectionSettingsSchema,
  healthSummarySchema,
  mailRecordSchema,
  mailSummarySchema,
  purgeResultSchema,
  queuesReportSchema,
  webhookReceiptSchema,
  webhookRecordSchema,
  webhookSummarySchema,
  workersReportSchema,
} from '../../src-shared/console-records';
import { wsServerMessageSchema } from '../../src-shared/event-schemas';
import { batchEventSchema, jobEventSchema, resyncEventSchema } from '../../src-shared/events';
import {
  bookJobSchema,
  bookStatusSchema,
  cancelRequestedSchema,
  jobSchema,
  pageSchema,
  timeSchema,
} from '../../src-shared/job';
import { kindsReportSchema, validJobSchema } from '../../src-shared/kind-records';
import { jobLogLineSchema } from '../../src-shared/job-log';
import { jobReadSchema, jobTimingSchema } from '../../src-shared/job-timing';
import { problemSchema } from '../../src-shared/problem';
import { auditPageSchema } from '../../src-shared/audit-schemas';
import { savedViewSchema } from '../../src-shared/saved-view-schemas';
import { accessReportSchema, createdTokenSchema, tokenSummarySchema } from '../../src-shared/token-schemas';
import { profileExportSchema, profileListSchema, profileModeSchema, profileSchema, profileTestSchema } from '../../src-shared/profile-schemas';
import { scheduleDetailSchema, scheduleSchema } from '../../src-shared/schedule-schemas';
import { modeReportSchema } from '../../src-shared/mode-report';
import { alertEventSchema, alertNoticeSchema, alertRuleSchema, createdAlertRuleSchema } from '../../src-shared/alert-schemas';
import { createdSubscriptionSchema, deliverySchema, subscriptionSchema } from '../../src-shared/subscription-schemas';

/**
 * What the routes answer, by the name the document gives it under `components.schemas`: the
 * shared schemas the answers' types are inferred from, so the document cannot tell another story.
 */
const ANSWERS = {
  BookJob: bookJobSchema,
  BookStatus: bookStatusSchema,
  Job: jobSchema,
  JobRead: jobReadSchema,
  JobTiming: jobTimingSchema,
  JobPage: pageSchema(jobSchema),
  CancelRequested: cancelRequestedSchema,
  JobLogLine: jobLogLineSchema,
  KindsReport: kindsReportSchema,
  ValidJob: validJobSchema,
  CreatedSubscription: createdSubscriptionSchema,
  Subscription: subscriptionSchema,
  SubscriptionPage: pageSchema(subscriptionSchema),
  Delivery: deliverySchema,
  DeliveryPage: pageSchema(deliverySchema),
  SavedView: savedViewSchema,
  SavedViewPage: pageSchema(savedViewSchema),
  AccessReport: accessReportSchema,
  ModeReport: modeReportSchema,
  Token: tokenSummarySchema,
  TokenPage: pageSchema(tokenSummarySchema),
  CreatedToken: createdTokenSchema,
  ConnectionProfile: profileSchema,
  ConnectionProfileList: profileListSchema,
  ConnectionProfilesImported: z.object({ items: z.array(profileSchema) }),
  ConnectionProfileTest: profileTestSchema,
  ConnectionProfileMode: profileModeSchema,
  ConnectionProfilesExport: profileExportSchema,
  Schedule: scheduleSchema,
  SchedulePage: pageSchema(scheduleSchema),
  ScheduleDetail: scheduleDetailSchema,
  AlertRule: alertRuleSchema,
  CreatedAlertRule: createdAlertRuleSchema,
  AlertRulePage: pageSchema(alertRuleSchema),
  AlertEventPage: pageSchema(alertEventSchema),
  AlertNotice: alertNoticeSchema,
  BatchAccepted: batchAcceptedSchema,
  Operation: operationSchema,
  OperationPage: pageSchema(operationSchema),
  OperationPreview: operationPreviewSchema,
  DeadLetterPage: pageSchema(deadLetterSchema),
  DeadLetterPreview: deadLetterPreviewSchema,
  Batch: batchSchema,
  BatchPage: pageSchema(batchSummarySchema),
  WorkersReport: workersReportSchema,
  QueuesReport: queuesReportSchema,
  PurgeResult: purgeResultSchema,
  KindFlow: kindFlowSchema,
  FlowReport: flowReportSchema,
  ConnectionSettings: connectionSettingsSchema,
  Health: healthSummarySchema,
  MailPage: pageSchema(mailSummarySchema),
  MailRecord: mailRecordSchema,
  WebhookPage: pageSchema(webhookSummarySchema),
  WebhookRecord: webhookRecordSchema,
  WebhookReceipt: webhookReceiptSchema,
  JobEvent: jobEventSchema,
  BatchEvent: batchEventSchema,
  ResyncEvent: resyncEventSchema,
  WsServerMessage: wsServerMessageSchema,
  OpenApiDocument: z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
  AuditPage: auditPageSchema,
  Problem: problemSchema,
} satisfies Record<string, z.ZodType>;
export type Answer = keyof typeof ANSWERS;

const COMPONENT_PATH = '#/components/schemas/';

/** A reference to an answer's schema in `components.schemas`. */
export const answerRef = (answer: Answer) => ({ $ref: `${COMPONENT_PATH}${answer}` });

/** `components.schemas`: each answer's JSON Schema, nested answers (a page's Job) as `$ref`s. */
export function answerSchemas(): Record<string, object> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(ANSWERS)) registry.add(schema, { id });
  // Every time is one RFC 3339 pattern: written once, referred to from each answer.
  registry.add(timeSchema, { id: 'Time' });
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    uri: (id) => `${COMPONENT_PATH}${id}`,
  });
  // Inside an OpenAPI document a component is no schema resource of its own: no `$schema`, no `$id`.
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
}
