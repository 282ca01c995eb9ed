// Reading a resident's (or a partner's) multipart form: text fields and up to MAX_PHOTOS photos, with
// the size and count limits answered as errors a person can act on. Shared by the intake and Open311.
import type { FastifyRequest } from 'fastify';
import { DomainError, badInput } from '../../lib/errors.js';
import { MAX_PHOTOS } from './intake.rules.js';

const tooLarge = (maxBytes: number) => new DomainError(413, 'TOO_LARGE',
  `照片超过 ${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB 上限：请在相机里选较低的分辨率，或换一张照片 (photo too large)`);

/**
 * A multipart form: its text fields (a field sent more than once becomes a list, as Open311's
 * multi-valued attributes are) and its files (fields photo, media or file), within the limits.
 */
export async function readForm(req: FastifyRequest, maxBytes: number): Promise<{ fields: Record<string, string | string[]>; files: Buffer[] }> {
  const fields: Record<string, string | string[]> = {};
  const files: Buffer[] = [];
  try {
    for await (const part of req.parts({ limits: { files: MAX_PHOTOS + 1, fileSize: maxBytes, fields: 100, fieldSize: 64 * 1024 } })) {
      if (part.type === 'file') {
        const buf = await part.toBuffer();
        if (part.file.truncated) throw tooLarge(maxBytes);
        if (['photo', 'media', 'file'].includes(part.fieldname) && buf.length) files.push(buf);
      } else if (typeof part.value === 'string' || typeof part.value === 'number' || typeof part.value === 'boolean') {
        const v = String(part.value);
        const prev = fields[part.fieldname];
        fields[part.fieldname] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
      }
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    if (code === 'FST_FILES_LIMIT') throw badInput(`每次最多 ${MAX_PHOTOS} 张照片 (at most ${MAX_PHOTOS} photos)`, [{ field: 'photo', message: 'too many' }]);
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw badInput('表单字段太多 (too many fields)');
    throw badInput(`无法读取提交的内容，请重试：${(e as Error).message} (unreadable form)`);
  }
  return { fields, files };
}
