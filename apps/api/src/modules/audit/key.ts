// The audit key for this process: set once at start (buildApp, the CLI) from Config.auditKey, read
// by appendAudit and verifyAudit. Module state rather than an argument, so the many callers of
// appendAudit do not each pass it along.
import type { AuditKey } from './chain.js';

let current: AuditKey | null = null;

export function setAuditKey(key: AuditKey | null): void {
  if (key !== null && key.length < 32) throw new Error('the audit key must be at least 32 characters');
  current = key;
}

export function auditKey(): AuditKey | null {
  return current;
}
