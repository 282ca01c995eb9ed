// HTTP for the Excel templates, exports and imports. Uploads are multipart with one field `file`.
import { Type } from '@sinclair/typebox';
import { IdValue } from '../../lib/schemas.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/client.js';
import { DomainError, badInput } from '../../lib/errors.js';
import { todayInChina } from '../../lib/dates.js';
import { actorOf } from '../../plugins/auth.js';
import * as svc from './excel.service.js';
import { XLSX_TYPE, attachment } from './workbook.js';

const NAMES = { areas: ['areas', '区域清单'], roster: ['roster', '人员名册'] } as const;

function sendXlsx(reply: FastifyReply, buf: Buffer, ascii: string, zh: string) {
  return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(`${ascii}.xlsx`, `${zh}.xlsx`))
    .header('cache-control', 'no-store').send(buf);
}

/** The uploaded file's bytes, with 400/413 for a missing, wrong or too large upload. */
async function upload(req: FastifyRequest, maxBytes: number): Promise<{ buffer: Buffer; name: string }> {
  if (!req.isMultipart()) throw badInput('请以 multipart/form-data 上传文件（字段名 file）', [{ field: 'file', message: 'multipart required' }]);
  let part;
  try {
    part = await req.file();
  } catch (e) {
    throw badInput(`无法读取上传：${(e as Error).message}`);
  }
  if (!part) throw badInput('没有收到文件：请在字段 file 中上传 .xlsx 文件', [{ field: 'file', message: 'required' }]);
  if (part.fieldname !== 'file') throw badInput(`文件应放在字段 file 中，收到字段 ${part.fieldname}`, [{ field: 'file', message: 'required' }]);
  let buffer: Buffer;
  try {
    buffer = await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new DomainError(413, 'TOO_LARGE', `文件超过 ${Math.round(maxBytes / 1024 / 1024)} MB 上限，请分成几个文件导入`);
    }
    throw e;
  }
  if (part.file.truncated) throw new DomainError(413, 'TOO_LARGE', `文件超过 ${Math.round(maxBytes / 1024 / 1024)} MB 上限，请分成几个文件导入`);
  if (buffer.length === 0) throw badInput('上传的文件是空的');
  return { buffer, name: part.filename };
}

export const excelRoutes = (db: Db, config: Config): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['excel'];
  const Scope = Type.Object({ areaId: Type.Optional(IdValue()) });

  for (const kind of ['areas', 'roster'] as const) {
    const [ascii, zh] = NAMES[kind];
    app.get(`/excel/template/${ascii}.xlsx`, { config: { signedIn: true }, schema: { tags, summary: `${zh}模板 Template (${kind})` } },
      async (_req, reply) => sendXlsx(reply, await svc.template(kind), `${ascii}-template`, `${zh}模板`));

    // the roster carries people's phones: its export is a duty of its own (and audited)
    app.get(`/excel/export/${ascii}.xlsx`, { config: { duty: kind === 'areas' ? 'network.read' : 'people.export' }, schema: { tags, summary: `导出${zh} Export ${kind} (your areas, or one subtree)`, querystring: Scope } }, async (req, reply) => {
      const actor = actorOf(req);
      const r = kind === 'areas' ? await svc.exportAreas(db, actor, req.query.areaId) : await svc.exportRoster(db, actor, req.query.areaId);
      const day = todayInChina();
      return sendXlsx(reply, r.buffer, `${ascii}-${day}`, `${zh}${r.name ? `-${r.name}` : ''}-${day}`);
    });
  }

  // One route per kind, so that each declares its duty and is checked before the file is read.
  for (const kind of ['areas', 'roster'] as const) {
    app.post(`/excel/import/${kind}`, {
      config: { duty: kind === 'areas' ? 'network.manage' : 'people.manage' },
      schema: { tags, summary: `导入${NAMES[kind][1]} Import ${kind} (multipart field file; dryRun=true validates only)`,
        querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }) },
    }, async (req) => {
      const actor = actorOf(req);
      const { buffer, name } = await upload(req, config.maxUploadBytes);
      const opts = { dryRun: req.query.dryRun ?? false, fileName: name };
      const result = kind === 'areas' ? await svc.importAreas(db, actor, buffer, opts) : await svc.importRoster(db, actor, buffer, opts);
      req.log.info({ import: kind, rows: result.rows, created: result.created, updated: result.updated, dryRun: opts.dryRun }, 'excel import');
      return result;
    });
  }
};
