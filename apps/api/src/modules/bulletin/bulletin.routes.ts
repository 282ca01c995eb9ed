// HTTP for the daily bulletin (每天通报): preview, issue, the issued versions, and .xlsx.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Db } from '../../db/client.js';
import { IdParams, IdValue } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { XLSX_TYPE, attachment } from '../excel/workbook.js';
import * as svc from './bulletin.service.js';

const Day = (description: string) => Type.String({ maxLength: 10, description });

function sendXlsx(reply: FastifyReply, r: { buffer: Buffer; ascii: string; name: string }) {
  return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(`${r.ascii}.xlsx`, `${r.name}.xlsx`))
    .header('cache-control', 'no-store').send(r.buffer);
}

export const bulletinRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['bulletins'];
  const PreviewQuery = Type.Object({ areaId: IdValue({ description: '镇或管区 town or district' }), day: Type.Optional(Day('YYYY-MM-DD（中国日期），默认今天')) });

  app.get('/bulletins/preview', {
    config: { duty: 'scores.read' }, schema: { tags, summary: '通报预览（即时计算，不保存） Preview, computed now', querystring: PreviewQuery },
  }, async (req) => svc.preview(db, actorOf(req), req.query.areaId, req.query.day));

  app.get('/bulletins/preview.xlsx', {
    config: { duty: 'scores.read' }, schema: { tags, summary: '通报预览 .xlsx Preview as .xlsx', querystring: PreviewQuery },
  }, async (req, reply) => sendXlsx(reply, await svc.exportPreview(db, actorOf(req), req.query.areaId, req.query.day)));

  app.post('/bulletins', {
    config: { duty: 'bulletin.issue' }, schema: {
      tags, summary: '发布通报（再次发布为更正，须写说明） Issue (a later version is a correction and needs a note)',
      body: Type.Object({
        areaId: IdValue(), day: Day('YYYY-MM-DD'),
        note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.status(201).send(await svc.issue(db, actorOf(req), req.body)));

  app.get('/bulletins', {
    config: { duty: 'scores.read' }, schema: {
      tags, summary: '已发布的通报（新的在前） Issued bulletins, newest first',
      querystring: Type.Object({ areaId: Type.Optional(IdValue()), day: Type.Optional(Day('YYYY-MM-DD')), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
    },
  }, async (req) => svc.list(db, actorOf(req), req.query));

  app.get('/bulletins/:id', {
    config: { duty: 'scores.read' }, schema: { tags, summary: '已发布的通报（原样） An issued bulletin, exactly as issued', params: IdParams },
  }, async (req) => svc.get(db, actorOf(req), req.params.id));

  app.get('/bulletins/:id/export.xlsx', {
    config: { duty: 'scores.read' }, schema: { tags, summary: '已发布的通报 .xlsx An issued bulletin as .xlsx', params: IdParams },
  }, async (req, reply) => sendXlsx(reply, await svc.exportIssued(db, actorOf(req), req.params.id)));
};
