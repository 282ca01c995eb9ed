// Photos taken on the spot: each uploads at once (with progress), shows a thumbnail, can be removed.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Image, Progress, Space, Tooltip, Typography } from 'antd';
import { CameraOutlined, CloseOutlined, WarningOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n';
import type { CasePhotoView } from '../../../../../packages/shared/src/cases';
import { uploadPhoto } from './api';

export interface PhotoItem {
  key: string;
  name: string;
  status: 'uploading' | 'done' | 'error';
  percent: number;
  /** a local preview (object URL) while the file is at hand */
  preview?: string;
  photo?: CasePhotoView;
  error?: string;
}

export interface PhotoUploadsState {
  items: PhotoItem[];
  /** the uploaded photos, in order */
  photos: CasePhotoView[];
  busy: boolean;
  add(files: FileList | File[]): void;
  remove(key: string): void;
  clear(): void;
}

let seq = 0;

export function usePhotoUploads(initial: CasePhotoView[] = []): PhotoUploadsState {
  const [items, setItems] = useState<PhotoItem[]>(() => initial.map((p) => ({ key: `p${p.id}`, name: String(p.id), status: 'done', percent: 100, photo: p })));
  const aborts = useRef(new Map<string, () => void>());
  const previews = useRef(new Set<string>());

  useEffect(() => () => {
    for (const a of aborts.current.values()) a();
    for (const u of previews.current) URL.revokeObjectURL(u);
  }, []);

  const patch = (key: string, p: Partial<PhotoItem>) => setItems((xs) => xs.map((x) => (x.key === key ? { ...x, ...p } : x)));

  const add = useCallback((files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = `u${++seq}`;
      const preview = URL.createObjectURL(file);
      previews.current.add(preview);
      setItems((xs) => [...xs, { key, name: file.name, status: 'uploading', percent: 0, preview }]);
      const up = uploadPhoto(file, (percent) => patch(key, { percent }));
      aborts.current.set(key, up.abort);
      up.promise
        .then((photo) => patch(key, { status: 'done', percent: 100, photo }))
        .catch((e: unknown) => { if ((e as { code?: string }).code !== 'ABORTED') patch(key, { status: 'error', error: e instanceof Error ? e.message : String(e) }); })
        .finally(() => aborts.current.delete(key));
    }
  }, []);

  const remove = useCallback((key: string) => {
    aborts.current.get(key)?.();
    setItems((xs) => {
      const x = xs.find((i) => i.key === key);
      if (x?.preview) { URL.revokeObjectURL(x.preview); previews.current.delete(x.preview); }
      return xs.filter((i) => i.key !== key);
    });
  }, []);

  const clear = useCallback(() => { for (const a of aborts.current.values()) a(); setItems([]); }, []);

  const photos = useMemo(() => items.filter((i) => i.status === 'done' && i.photo).map((i) => i.photo!), [items]);
  return { items, photos, busy: items.some((i) => i.status === 'uploading'), add, remove, clear };
}

const TILE = 96;

export function PhotoUploads({ state, testId = 'photo-input', label }: { state: PhotoUploadsState; testId?: string; label?: string }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div>
      <Space wrap size={8} align="start">
        {state.items.map((it) => (
          <div key={it.key} data-testid="photo-item" data-status={it.status}
            style={{ position: 'relative', width: TILE, height: TILE, borderRadius: 6, overflow: 'hidden', border: `1px solid ${it.status === 'error' ? '#ff4d4f' : '#d9d9d9'}`, background: '#fafafa' }}>
            {(it.preview || it.photo) && (
              <Image
                src={it.preview ?? it.photo!.thumbUrl}
                width={TILE}
                height={TILE}
                style={{ objectFit: 'cover' }}
                preview={it.photo ? { src: it.photo.url } : it.preview ? { src: it.preview } : false}
                alt={it.name}
              />
            )}
            {it.status === 'uploading' && (
              <div style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'rgba(255,255,255,.6)' }}>
                <Progress type="circle" percent={it.percent} size={48} />
              </div>
            )}
            {it.status === 'error' && (
              <Tooltip title={it.error}>
                <div data-testid="photo-error" style={{ position: 'absolute', left: 0, right: 0, bottom: 0, background: 'rgba(255,77,79,.9)', color: '#fff', fontSize: 11, padding: '2px 4px', lineHeight: 1.3, maxHeight: 44, overflow: 'hidden' }}>
                  {it.error}
                </div>
              </Tooltip>
            )}
            {it.status === 'done' && it.photo && it.photo.flags.length > 0 && (
              <Tooltip title={it.photo.flags.map((f) => f.message).join('；')}>
                <div style={{ position: 'absolute', left: 0, bottom: 0, background: 'rgba(250,173,20,.95)', color: '#fff', fontSize: 11, padding: '0 4px' }} data-testid="photo-flag">
                  <WarningOutlined /> {it.photo.flags.length}
                </div>
              </Tooltip>
            )}
            <Button
              size="small" shape="circle" icon={<CloseOutlined />} aria-label={t('casePhotoRemove')} data-testid="photo-remove"
              onClick={() => state.remove(it.key)}
              style={{ position: 'absolute', top: 2, right: 2, width: 22, height: 22, minWidth: 22 }}
            />
          </div>
        ))}
        <button
          type="button"
          onClick={() => input.current?.click()}
          data-testid={`${testId}-button`}
          style={{ width: TILE, height: TILE, borderRadius: 6, border: '1px dashed #d9d9d9', background: '#fafafa', cursor: 'pointer', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', gap: 4, color: 'rgba(0,0,0,.65)', font: 'inherit' }}
        >
          <CameraOutlined style={{ fontSize: 24 }} />
          <span style={{ fontSize: 12 }}>{label ?? t('caseAddPhoto')}</span>
        </button>
      </Space>
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        data-testid={testId}
        style={{ display: 'none' }}
        onChange={(e) => { if (e.target.files?.length) state.add(e.target.files); e.target.value = ''; }}
      />
      {state.items.some((i) => i.status === 'done' && i.photo?.flags.length) && (
        <div style={{ marginTop: 4 }}>
          {state.items.filter((i) => i.photo?.flags.length).flatMap((i) => i.photo!.flags.map((f, n) => (
            <div key={`${i.key}-${n}`}><Typography.Text type="warning" style={{ fontSize: 12 }}><WarningOutlined /> {f.message}</Typography.Text></div>
          )))}
        </div>
      )}
    </div>
  );
}
