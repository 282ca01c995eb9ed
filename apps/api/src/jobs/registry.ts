// The recurring jobs every server runs. server.ts adds the case loop's own (cases.sweep).
import { deliverAllDue } from '../modules/notify/delivery.js';
import { purgeContacts } from '../modules/intake/intake.service.js';
import type { RecurringJob } from './jobs.js';

export const outboxDeliverJob: RecurringJob = {
  name: 'outbox.deliver',
  every: 'minute',
  // Batches of 20 with 4 requests in flight and a 10 s limit each: a batch takes at most ~50 s, and no new
  // batch starts after 45 s, so a run ends within ~95 s. A run cut short (or a crashed process) leaves
  // its claimed rows leased for 5 minutes, then they are sent again.
  handler: (db, now) => deliverAllDue(db, now, { batch: 20, budgetMs: 45_000 }),
  timeoutSeconds: 120,
};

/** Residents' contact details removed a set time (setting intake.retention) after their report was closed. */
export const contactRetentionJob: RecurringJob = {
  name: 'intake.retention',
  every: 'hour',
  handler: (db, now) => purgeContacts(db, now),
  timeoutSeconds: 600,
};

export const coreJobs: RecurringJob[] = [outboxDeliverJob, contactRetentionJob];
