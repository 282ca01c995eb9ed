import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allowedActions, caseNumber, extensionProblem, isLate, isOverdue, nextState, refusal, type ActorFacts, type CaseFacts } from './case.rules.js';
import { CASE_STATES } from '../../../../../packages/shared/src/cases.js';

const desk: ActorFacts = { id: 1, dispatcher: true, checker: true };
const worker: ActorFacts = { id: 2, dispatcher: false, checker: false };
const leader: ActorFacts = { id: 3, dispatcher: false, checker: true };
const facts = (state: CaseFacts['state'], over: Partial<CaseFacts> = {}): CaseFacts => ({ state, assigneeId: 2, pendingRequest: null, ...over });

describe('the case state machine', () => {
  it('lets each party take only its own steps', () => {
    expect(allowedActions(facts('reported', { assigneeId: null }), desk)).toEqual(['register', 'refuse']);
    expect(allowedActions(facts('reported', { assigneeId: null }), worker)).toEqual([]);
    expect(allowedActions(facts('dispatched'), worker)).toEqual(['accept', 'feedback', 'request_extension', 'request_return']);
    expect(allowedActions(facts('fixed'), leader)).toEqual(['pass', 'rework']);
    expect(allowedActions(facts('fixed'), worker)).toEqual([]);
    expect(allowedActions(facts('closed'), desk)).toEqual([]);
  });
  it('says why a step is refused', () => {
    expect(refusal('pass', facts('fixing'), desk)).toContain('处置中');
    expect(refusal('pass', facts('fixed', { assigneeId: 1 }), desk)).toContain('不能核查自己');
    expect(refusal('approve', facts('fixing', { pendingRequest: { kind: 'extension', requestedBy: 1 } }), desk)).toContain('申请人');
    expect(refusal('request_return', facts('fixing', { pendingRequest: { kind: 'extension', requestedBy: 2 } }), worker)).toContain('待审批');
  });
  it('never leaves a terminal state, whatever anyone tries', () => {
    const state = fc.constantFrom('closed' as const, 'refused' as const);
    const actor = fc.record({ id: fc.integer({ min: 1, max: 5 }), dispatcher: fc.boolean(), checker: fc.boolean() });
    fc.assert(fc.property(state, actor, (s, a) => allowedActions(facts(s, { assigneeId: a.id }), a).length === 0));
  });
  it('moves only to known states', () => {
    const known = CASE_STATES.map((s) => s.key);
    for (const s of known) for (const a of allowedActions(facts(s), desk)) expect(known).toContain(nextState(a, facts(s), 'return'));
    expect(nextState('approve', facts('fixing'), 'return')).toBe('registered');
    expect(nextState('approve', facts('fixing'), 'extension')).toBe('fixing');
  });
});

describe('deadline facts', () => {
  const now = new Date('2026-11-28T08:00:00Z');
  it('is overdue only while past due and unfixed; late when fixed after due', () => {
    const due = new Date('2026-11-27T09:30:00Z');
    expect(isOverdue({ state: 'fixing', dueAt: due }, now)).toBe(true);
    expect(isOverdue({ state: 'fixed', dueAt: due }, now)).toBe(false);
    expect(isOverdue({ state: 'fixing', dueAt: null }, now)).toBe(false);
    expect(isLate({ state: 'closed', dueAt: due, fixedAt: now })).toBe(true);
    expect(isLate({ state: 'closed', dueAt: due, fixedAt: new Date('2026-11-27T09:00:00Z') })).toBe(false);
  });
  it('numbers cases by their China report day', () => {
    expect(caseNumber(new Date('2026-11-27T17:00:00Z'), 42)).toBe('2026112800042');
  });
  it('limits extensions', () => {
    const due = new Date('2026-11-30T09:30:00Z');
    const max = { at: new Date('2026-12-14T09:30:00Z'), label: '2026-12-14 17:30' };
    expect(extensionProblem(due, new Date('2026-12-01T09:30:00Z'), 0, max, now)).toBeNull();
    expect(extensionProblem(due, new Date('2026-11-29T09:30:00Z'), 0, max, now)).toContain('晚于原期限');
    expect(extensionProblem(due, new Date('2026-12-20T09:30:00Z'), 0, max, now)).toContain('2026-12-14');
    expect(extensionProblem(due, new Date('2026-12-01T09:30:00Z'), 2, max, now)).toContain('最多');
  });
});
