// Photo files on local disk: <root>/<yyyy>/<mm>/<sha256>.jpg and <sha256>_thumb.jpg, keyed by
// the upload's sha-256 (the same picture twice is one file). Each file is written to a temporary
// name, flushed and renamed, so a crash never leaves half a file under a real name. Files are
// written before their row, so a row never points at a missing file. The files a request wrote are
// removed when the request fails (`discard`, for files no row refers to); others are never deleted.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../lib/errors.js';

const KEY = /^\d{4}\/\d{2}\/[0-9a-f]{64}(_thumb)?\.jpg$/;

export interface StoredKeys { storageKey: string; thumbKey: string }

export class PhotoStore {
  constructor(readonly root: string) {}

  /** Keys are relative to the root, always with forward slashes. */
  keysFor(sha256: string, at: Date): StoredKeys {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha-256: ${sha256}`);
    const ym = `${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
    return { storageKey: `${ym}/${sha256}.jpg`, thumbKey: `${ym}/${sha256}_thumb.jpg` };
  }

  /**
   * Writes the two files of a picture. A file already there (the same upload before) is kept as it
   * is; the keys of the files this call made are added to `written`, for `discard` if the request fails.
   */
  async save(sha256: string, display: Buffer, thumbnail: Buffer, at = new Date(), written: string[] = []): Promise<StoredKeys> {
    const keys = this.keysFor(sha256, at);
    try {
      await fs.promises.mkdir(path.dirname(this.pathOf(keys.storageKey)), { recursive: true });
      for (const [key, data] of [[keys.storageKey, display], [keys.thumbKey, thumbnail]] as const) {
        if ((await this.size(key)) !== null) continue;
        await this.writeAtomic(key, data);
        written.push(key);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') {
        throw new DomainError(507, 'STORAGE_FULL', '照片存储空间已满，请联系管理员 (photo storage is full)');
      }
      throw e;
    }
    return keys;
  }

  /** Removes files (a failed request's own, see `save`); a file already gone is no error. */
  async discard(keys: string[]): Promise<void> {
    for (const key of keys) await fs.promises.rm(this.pathOf(key), { force: true });
  }

  /** The file's size, or null when it is not on disk. */
  async size(key: string): Promise<number | null> {
    try {
      return (await fs.promises.stat(this.pathOf(key))).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  read(key: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(key));
  }

  pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a photo key: ${key}`);
    return path.join(this.root, ...key.split('/'));
  }

  private async writeAtomic(key: string, data: Buffer): Promise<void> {
    const final = this.pathOf(key);
    const tmp = path.join(path.dirname(final), `.${path.basename(final)}.${randomBytes(6).toString('hex')}.tmp`);
    const fh = await fs.promises.open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } catch (e) {
      await fh.close();
      await fs.promises.rm(tmp, { force: true });
      throw e;
    }
    await fh.close();
    await fs.promises.rename(tmp, final);
  }
}
