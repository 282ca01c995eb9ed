// HTTP for the .xlsx exports and imports every module offers: one upload reader, one download.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, badInput } from '../../lib/errors.js';
import { XLSX_TYPE, attachment } from './workbook.js';

/** Sends a workbook as a download named in Chinese, with an ASCII fallback name. */
export function sendXlsx(reply: FastifyReply, r: { buffer: Buffer; ascii: string; name: string }) {
  return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(`${r.ascii}.xlsx`, `${r.name}.xlsx`))
    .header('cache-control', 'no-store').send(r.buffer);
}

/** The uploaded file (multipart field `file`), or a 400 / 413 a person can act on. */
export async function uploadedFile(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw badInput('请以 multipart/form-data 上传文件（字段名 file）', [{ field: 'file', message: 'multipart required' }]);
  const part = await req.file().catch((e: Error) => { throw badInput(`无法读取上传：${e.message}`); });
  if (!part || part.fieldname !== 'file') throw badInput('没有收到文件：请在字段 file 中上传 .xlsx 文件', [{ field: 'file', message: 'required' }]);
  const buffer = await part.toBuffer().catch((e: { code?: string }) => {
    if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError(413, 'TOO_LARGE', '文件过大');
    throw e;
  });
  if (part.file.truncated) throw new DomainError(413, 'TOO_LARGE', '文件过大');
  if (buffer.length === 0) throw badInput('上传的文件是空的');
  return buffer;
}
