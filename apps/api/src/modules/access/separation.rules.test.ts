import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { approvalRefusal, belongsTo, exchangeRefusal, heldInside, ownUnitRefusal, paymentRefusal, type Held } from './separation.rules.js';

const TOWN = '/1/2/3/';
const MAOJIA = { name: '毛家村', path: '/1/2/3/10/' };
const ZHAOSU = { name: '赵苏村', path: '/1/2/3/100/' }; // a path that starts like 毛家村's id (10 vs 100)
const cadre: Held = { roleKey: 'village_cadre', roleName: '村两委', areaPath: MAOJIA.path, areaName: '毛家村' };
const gridWorker: Held = { roleKey: 'grid_worker', areaPath: `${MAOJIA.path}55/`, areaName: '毛家第1网格' };
const townAdmin: Held = { roleKey: 'town_admin', roleName: '镇管理员', areaPath: TOWN, areaName: '新城镇' };
const admin: Held = { roleKey: 'admin', areaPath: null, areaName: null };
const bounty = { zh: '爆料奖励', en: 'bounty' };

describe('belonging to a unit', () => {
  it('is holding a role in it or below it; a role above it or over the install is not', () => {
    expect(belongsTo([cadre], MAOJIA.path)).toBe(true);
    expect(belongsTo([gridWorker], MAOJIA.path)).toBe(true);
    expect(belongsTo([townAdmin], MAOJIA.path)).toBe(false);
    expect(belongsTo([admin], MAOJIA.path)).toBe(false);
    expect(belongsTo([cadre], ZHAOSU.path)).toBe(false); // '/…/10/' is not a prefix of '/…/100/'
    expect(heldInside([townAdmin, cadre, gridWorker], MAOJIA.path)).toEqual([cadre, gridWorker]);
  });

  it('says where the actor holds which role', () => {
    const r = ownUnitRefusal([townAdmin, cadre], [ZHAOSU, MAOJIA], '为自己所在的村录入得分', 'you belong to this village');
    expect(r).toEqual({ code: 'OWN_UNIT', message: '不能为自己所在的村录入得分：您在毛家村任村两委 (you belong to this village)' });
    const below = ownUnitRefusal([gridWorker], [MAOJIA], '为自己所在的村录入得分', 'x');
    expect(below!.message).toContain('您在毛家第1网格（属毛家村）任网格员'); // the role's name from the catalogue
    expect(ownUnitRefusal([townAdmin, admin], [MAOJIA, ZHAOSU], '为自己所在的村录入得分', 'x')).toBeNull();
    expect(ownUnitRefusal([cadre], [], 'x', 'x')).toBeNull();
  });
});

describe('proposer, approver, payer', () => {
  it('the proposer cannot approve; who prepared it cannot approve; another person can', () => {
    expect(approvalRefusal(1, bounty, { proposedBy: 1 })).toEqual({ code: 'SECOND_PERSON_REQUIRED', message: '不能审批自己提议的爆料奖励：须由另一人审批 (the proposer cannot approve the bounty)' });
    expect(approvalRefusal(2, bounty, { proposedBy: 1, preparedBy: [3, 2] })!.code).toBe('SECOND_PERSON_REQUIRED');
    expect(approvalRefusal(2, bounty, { proposedBy: 1, preparedBy: [null, 3] })).toBeNull();
    expect(approvalRefusal(2, bounty, { proposedBy: null })).toBeNull();
  });

  it('the approver cannot pay, nor the proposer', () => {
    expect(paymentRefusal(2, bounty, { proposedBy: 1, approvedBy: 2 })).toEqual({ code: 'SEPARATION_OF_DUTIES', message: '不能登记自己审批的爆料奖励为已发放：须由另一人登记发放 (the approver cannot pay the bounty)' });
    expect(paymentRefusal(1, bounty, { proposedBy: 1, approvedBy: 2 })!.message).toContain('不能登记自己提议的爆料奖励为已发放');
    expect(paymentRefusal(3, bounty, { proposedBy: 1, approvedBy: 2 })).toBeNull();
  });

  it('whoever carries a thing through, at least three different people did it (property)', () => {
    // Any sequence of attempts by people 1..4: a thing that gets proposed, approved and paid had three different hands.
    const who = fc.integer({ min: 1, max: 4 });
    fc.assert(fc.property(who, fc.array(who, { minLength: 1, maxLength: 8 }), fc.array(who, { minLength: 1, maxLength: 8 }), (proposer, approvers, payers) => {
      const approver = approvers.find((a) => approvalRefusal(a, bounty, { proposedBy: proposer }) === null);
      if (approver === undefined) return approvers.every((a) => a === proposer);
      const payer = payers.find((p) => paymentRefusal(p, bounty, { proposedBy: proposer, approvedBy: approver }) === null);
      if (payer === undefined) return payers.every((p) => p === proposer || p === approver);
      return new Set([proposer, approver, payer]).size === 3;
    }));
  });

  it('nobody approves a unit they hold a role in, whatever their grants (property)', () => {
    const ids = fc.constantFrom(1, 2, 10, 100, 55);
    const path = fc.array(ids, { minLength: 1, maxLength: 5 }).map((xs) => `/${xs.join('/')}/`);
    const grant = fc.record({ roleKey: fc.constantFrom('village_cadre', 'grid_worker', 'leader', 'admin'), areaPath: fc.option(path, { nil: null }), areaName: fc.constant('某地') });
    fc.assert(fc.property(fc.array(grant, { maxLength: 6 }), fc.array(path, { maxLength: 4 }), (grants, paths) => {
      const units = paths.map((p) => ({ name: p, path: p }));
      const r = ownUnitRefusal(grants, units, '审批', 'x');
      const member = units.some((u) => grants.some((g) => g.areaPath !== null && g.areaPath.startsWith(u.path)));
      return member ? r?.code === 'OWN_UNIT' : r === null;
    }));
  });
});

describe('points exchanges', () => {
  it('the operator cannot spend from their own phone’s account or their own household', () => {
    expect(exchangeRefusal('13900001111', { phone: null, householdPhone: '13900001111' })!.message).toContain('自己家的户');
    expect(exchangeRefusal('13900001111', { phone: '13900001111', householdPhone: null })!.message).toContain('自己的积分账户');
    expect(exchangeRefusal('13900001111', { phone: '13900002222', householdPhone: '13900003333' })).toBeNull();
    expect(exchangeRefusal(null, { phone: null, householdPhone: null })).toBeNull(); // an operator without a phone cannot be matched
  });
});
