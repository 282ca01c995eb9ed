import { Type } from '@sinclair/typebox';
// HTTP for photos: upload one (multipart field `file`), and read back its file or thumbnail.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/client.js';
import { DomainError, badInput, notFound } from '../../lib/errors.js';
import { IdParams } from '../../lib/schemas.js';
import { actorOf } from '../../plugins/auth.js';
import { PhotoStore } from './storage.js';
import * as svc from './evidence.service.js';

const tooLarge = (maxBytes: number) => new DomainError(413, 'TOO_LARGE',
  `照片超过 ${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB 上限，请压缩或降低相机分辨率后重新上传 (file too large)`);

async function uploadedBytes(req: FastifyRequest, maxBytes: number): Promise<Buffer> {
  if (!req.isMultipart()) throw badInput('请以 multipart/form-data 上传照片（字段名 file）', [{ field: 'file', message: 'multipart required' }]);
  let part;
  try {
    part = await req.file();
  } catch (e) {
    throw badInput(`无法读取上传：${(e as Error).message}`);
  }
  if (!part) throw badInput('没有收到照片：请在字段 file 中上传', [{ field: 'file', message: 'required' }]);
  if (part.fieldname !== 'file') throw badInput(`照片应放在字段 file 中，收到字段 ${part.fieldname}`, [{ field: 'file', message: 'required' }]);
  let buffer: Buffer;
  try {
    buffer = await part.toBuffer();
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw badInput(`上传中断，请重试：${(e as Error).message}`);
  }
  if (part.file.truncated) throw tooLarge(maxBytes);
  if (buffer.length === 0) throw badInput('上传的文件是空的 (empty file)', [{ field: 'file', message: 'empty' }]);
  return buffer;
}

export const evidenceRoutes = (db: Db, config: Config): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['evidence'];
  const store = new PhotoStore(config.photoDir);

  app.post('/photos', {
    config: { duty: 'cases.report' }, schema: { tags, summary: '上传照片 Upload a photo (multipart field file: JPEG, PNG or WebP), attach it later to a case step', consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    const actor = actorOf(req);
    const buf = await uploadedBytes(req, config.maxUploadBytes);
    return reply.status(201).send(await svc.uploadPhoto(db, actor, buf, store));
  });

  app.get('/settings/evidence', { config: { signedIn: true }, schema: { tags, summary: '照片核验设置 Evidence settings' } }, async () => svc.evidenceSettings(db));
  app.put('/settings/evidence', {
    config: { duty: 'settings.manage' }, schema: { tags, summary: '修改照片核验设置 Set evidence settings (metres; Hamming distance)',
      body: Type.Object({ maxDistanceM: Type.Integer({ minimum: 10, maximum: 100_000 }), nearThreshold: Type.Integer({ minimum: 0, maximum: 20 }) }) },
  }, async (req) => svc.setEvidenceSettings(db, actorOf(req), req.body));

  for (const which of ['file', 'thumb'] as const) {
    app.get(`/photos/:id/${which}`, {
      config: { duty: 'cases.read' }, schema: { tags, summary: which === 'file' ? '照片 Photo (JPEG, ≤ 2048 px)' : '缩略图 Thumbnail (JPEG, 320 px)', params: IdParams },
    }, async (req, reply) => {
      const { key, etag } = await svc.photoFile(db, actorOf(req), req.params.id, which);
      const size = await store.size(key);
      if (size === null) throw notFound(`照片 ${req.params.id} 的文件不在存储中，请联系管理员 (file missing from storage)`);
      // The content behind an id never changes: cache it for good, but only privately (access-checked).
      reply.header('cache-control', 'private, max-age=31536000, immutable').header('etag', `"${etag}"`)
        .header('x-content-type-options', 'nosniff');
      if (req.headers['if-none-match'] === `"${etag}"`) return reply.status(304).send();
      return reply.type('image/jpeg').header('content-length', size).send(store.read(key));
    });
  }
};
