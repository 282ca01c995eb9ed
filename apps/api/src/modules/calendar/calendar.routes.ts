import { Type } from '@sinclair/typebox';
import { Name } from '../../lib/schemas.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { actorOf } from '../../plugins/auth.js';
import * as svc from './calendar.service.js';

const Year = Type.Integer({ minimum: svc.MIN_YEAR, maximum: svc.MAX_YEAR });
const Day = Type.Object({ day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' }) });
const HHMM = Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'HH:MM (China time)' });
const Period = Type.Object({ start: HHMM, end: HHMM });
const Hours = Type.Object({ morning: Period, afternoon: Period });

export const calendarRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['calendar'];
  app.get('/calendar', {
    config: { signedIn: true }, schema: { tags, summary: '工作日历（某年的节假日与调休） Calendar exceptions of a year', querystring: Type.Object({ year: Type.Optional(Year) }) },
  }, async (req) => { actorOf(req); return svc.getYear(db, req.query.year); });

  app.get('/calendar/month', {
    config: { signedIn: true }, schema: { tags, summary: '某月每一天 Every day of a month', querystring: Type.Object({ month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM' })) }) },
  }, async (req) => { actorOf(req); return svc.getMonth(db, req.query.month); });

  app.get('/calendar/hours', { config: { signedIn: true }, schema: { tags, summary: '工作时间 Working hours' } }, async (req) => { actorOf(req); return svc.getHours(db); });

  app.put('/calendar/hours', { config: { duty: 'settings.manage' }, schema: { tags, summary: '设置工作时间 Set working hours', body: Hours } },
    async (req) => svc.setHours(db, actorOf(req), req.body));

  app.put('/calendar/:day', {
    config: { duty: 'settings.manage' }, schema: { tags, summary: '设置某天（放假 / 调休上班） Set a day', params: Day,
      body: Type.Object({ workday: Type.Boolean(), name: Type.Optional(Type.Union([Type.Null(), Name(50)])) }) },
  }, async (req) => svc.setDay(db, actorOf(req), req.params.day, req.body));

  app.delete('/calendar/:day', { config: { duty: 'settings.manage' }, schema: { tags, summary: '恢复某天的默认安排 Back to the default', params: Day } },
    async (req) => svc.resetDay(db, actorOf(req), req.params.day));

  app.post('/calendar/:year/reseed', {
    config: { duty: 'settings.manage' }, schema: { tags, summary: '按节假日数据重新补全某年（不动管理员设置） Re-apply the published schedule', params: Type.Object({ year: Year }) },
  }, async (req) => svc.reseed(db, actorOf(req), req.params.year));
};
