// 随手拍: the residents' page. No login, no app: take a photo, say where and what, send; then follow
// the case by its number, rate it when it is closed, and reopen it once if it was not really fixed.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { PublicError, publicApi, submitReport, type Categories, type Category, type RatingKey, type StatusView, type Submitted } from './api';
import {
  addMine, charCount, clip, fmtTime, geoErrorText, lookupProblem, newClientId, normaliseNo, parseRoute, phoneProblem, readMine, safeStorage, tokenFor,
  type MyReport,
} from './helpers';
import { formatPublicNo } from '../../../../packages/shared/src/personal';
import { preparePhoto } from './photos';
import type PickMapType from './PickMap';
import type { Picked } from './PickMap';

const MAX_TEXT = 500;
const storage = safeStorage();

const subscribe = (on: () => void) => { window.addEventListener('hashchange', on); return () => window.removeEventListener('hashchange', on); };
const useHash = () => useSyncExternalStore(subscribe, () => window.location.hash);
const go = (hash: string) => { window.location.hash = hash; window.scrollTo(0, 0); };

/** Tokens typed on the look-up form, kept until the status page has checked them. */
const typedTokens = new Map<string, string>();

export function PublicApp() {
  const route = parseRoute(useHash());
  const [mine, setMine] = useState<MyReport[]>(() => readMine(storage));
  const remember = useCallback((r: MyReport) => setMine(addMine(storage, r)), []);
  return (
    <div className="pub">
      <header className="pub-head">
        <div className="pub-brand">
          <svg width="28" height="28" viewBox="0 0 16 16" aria-hidden><rect x="1" y="1" width="14" height="14" rx="3" fill="#fff" /><circle cx="8" cy="8.6" r="3.2" fill="none" stroke="#0b6b3a" strokeWidth="1.3" /><rect x="5" y="3.2" width="6" height="2" rx=".6" fill="#0b6b3a" /></svg>
          <div>
            <div className="pub-title">随手拍</div>
            <div className="pub-sub">拍下身边的环境问题，我们来处理</div>
          </div>
        </div>
        <nav className="pub-tabs">
          <a href="#/" className={route.page === 'report' ? 'on' : ''} data-testid="pub-tab-report">我要上报</a>
          <a href="#/q" className={route.page !== 'report' ? 'on' : ''} data-testid="pub-tab-lookup">查询进度{mine.length ? `（${mine.length}）` : ''}</a>
        </nav>
      </header>
      <main className="pub-main">
        {route.page === 'report' && <ReportForm remember={remember} />}
        {route.page === 'lookup' && <Lookup mine={mine} />}
        {route.page === 'status' && <Status key={route.no} no={route.no} remember={remember} />}
      </main>
      <footer className="pub-foot">
        手机号和姓名只用于工作人员回访核实，不会公开；公开的进度里没有您的个人信息。紧急情况请直接拨打电话。
      </footer>
    </div>
  );
}

// ---------------------------------------------------------------- report

interface Photo { id: number; name: string; blob: Blob; url: string; note: string | null }
interface Place { lat: number; lng: number; accuracy: number | null; source: 'gps' | 'map'; place: string | null }
type Geo = { state: 'idle' } | { state: 'locating' } | { state: 'error'; message: string };

let photoSeq = 1;

function ReportForm({ remember }: { remember: (r: MyReport) => void }) {
  const [cats, setCats] = useState<Categories | null>(null);
  const [catsError, setCatsError] = useState<string | null>(null);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [photoMsg, setPhotoMsg] = useState<string | null>(null);
  const [preparing, setPreparing] = useState(0);
  const [place, setPlace] = useState<Place | null>(null);
  const [geo, setGeo] = useState<Geo>({ state: 'idle' });
  const [mapOpen, setMapOpen] = useState(false);
  // The map (and leaflet) load only when asked for; a failed load (weak signal) says so and can be retried.
  const [PickMap, setPickMap] = useState<typeof PickMapType | null>(null);
  const [mapLoad, setMapLoad] = useState<'idle' | 'loading' | 'error'>('idle');
  const openMap = () => {
    setMapOpen(true);
    if (PickMap) return;
    setMapLoad('loading');
    import('./PickMap').then((m) => { setPickMap(() => m.default); setMapLoad('idle'); }).catch(() => setMapLoad('error'));
  };
  const [category, setCategory] = useState<string>('');
  const [text, setText] = useState('');
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [done, setDone] = useState<Submitted | null>(null);
  const clientId = useRef(newClientId());
  const sending = useRef<{ abort(): void } | null>(null);

  const loadCats = useCallback(() => {
    setCatsError(null);
    publicApi.categories().then(setCats).catch((e: Error) => setCatsError(e.message));
  }, []);
  useEffect(() => { loadCats(); }, [loadCats]);
  useEffect(() => () => { sending.current?.abort(); }, []);

  const locate = useCallback(() => {
    if (!('geolocation' in navigator)) { setGeo({ state: 'error', message: geoErrorText(2, window.isSecureContext) }); return; }
    setGeo({ state: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPlace({ lat: Number(p.coords.latitude.toFixed(6)), lng: Number(p.coords.longitude.toFixed(6)), accuracy: Math.round(p.coords.accuracy), source: 'gps', place: null });
        setGeo({ state: 'idle' });
      },
      (e) => setGeo({ state: 'error', message: geoErrorText(e.code, window.isSecureContext) }),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  }, []);

  const max = cats?.maxPhotos ?? 3;
  const addFiles = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setPhotoMsg(null);
    const room = max - photos.length;
    const files = [...list].slice(0, Math.max(room, 0));
    if (list.length > room) setPhotoMsg(`最多 ${max} 张照片，多出的没有加入`);
    setPreparing((n) => n + files.length);
    for (const f of files) {
      const p = await preparePhoto(f);
      setPreparing((n) => n - 1);
      if (cats && p.blob.size > cats.maxPhotoBytes) {
        URL.revokeObjectURL(p.url);
        setPhotoMsg(`照片“${f.name}”太大（超过 ${Math.round(cats.maxPhotoBytes / 1024 / 1024)} MB），请换一张`);
        continue;
      }
      setPhotos((ps) => (ps.length >= max ? ps : [...ps, { id: photoSeq++, name: f.name, ...p }]));
    }
    if (!place && geo.state === 'idle') locate();
  };
  const removePhoto = (id: number) => setPhotos((ps) => ps.filter((p) => { if (p.id === id) URL.revokeObjectURL(p.url); return p.id !== id; }));

  const groups = useMemo(() => {
    const m = new Map<string, Category[]>();
    for (const c of cats?.items ?? []) m.set(c.group, [...(m.get(c.group) ?? []), c]);
    return [...m.entries()];
  }, [cats]);
  const chosen = cats?.items.find((c) => c.code === category) ?? null;

  const check = (): string[] => {
    const p: string[] = [];
    if (photos.length === 0) p.push('请拍一张问题的照片');
    if (!place) p.push('请提供位置：允许定位，或在地图上选');
    if (!category) p.push('请选择问题类别');
    if (!text.trim()) p.push('请用一句话说明问题');
    const ph = phoneProblem(phone);
    if (ph) p.push(ph);
    return p;
  };

  // Once the list of what is missing shows, it follows the form as it is filled in.
  useEffect(() => { if (problems.length) setProblems(check()); }, [photos.length, place, category, text, phone]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async () => {
    const p = check();
    setProblems(p);
    if (p.length || !place) return;
    setError(null);
    setProgress(0);
    const s = submitReport({ photos: photos.map((x) => x.blob), category, description: text.trim(), lat: place.lat, lng: place.lng, phone, name, clientId: clientId.current }, setProgress);
    sending.current = s;
    try {
      const r = await s.promise;
      remember({ no: r.no, token: r.token, at: r.reportedAt, category: r.categoryName, place: r.areaName });
      setDone(r);
      setFailed(false);
      window.scrollTo(0, 0);
    } catch (e) {
      const pe = e instanceof PublicError ? e : new PublicError(0, String(e));
      // The server's words are written for people (a flood says how long to wait): shown as they come.
      if (pe.code !== 'ABORTED') setError(pe.message);
      setFailed(true);
    } finally {
      sending.current = null;
      setProgress(null);
    }
  };

  const again = () => {
    photos.forEach((p) => URL.revokeObjectURL(p.url));
    // A new problem: new photos, place, category and text (the phone and name stay, the same person reports).
    setPhotos([]); setPlace(null); setGeo({ state: 'idle' }); setText(''); setCategory(''); setDone(null); setError(null); setFailed(false); setProblems([]);
    clientId.current = newClientId();
    window.scrollTo(0, 0);
  };

  if (done) {
    return (
      <section className="pub-card pub-done" data-testid="pub-done">
        <div className="pub-done-icon" aria-hidden>✓</div>
        <h2>上报成功</h2>
        {!done.created && <p className="pub-note" data-testid="pub-done-again">刚才那次提交其实已经送到，这件只登记了一次。</p>}
        <div className="pub-muted">上报编号（请记下，用来查询进度）</div>
        <div className="pub-no" data-testid="pub-no" data-no={done.no}>{formatPublicNo(done.no)}</div>
        <div className="pub-kv"><span>状态</span><b>{done.statusText}</b></div>
        <div className="pub-kv"><span>类别</span><b>{done.categoryName}</b></div>
        <div className="pub-kv"><span>位置</span><b>{done.areaName}</b></div>
        {done.placement === 'queue' && <p className="pub-note">这个位置不在已划分的网格里，镇里的工作人员会先确定由谁负责。</p>}
        <a className="pub-btn pub-primary" href={`#/q/${done.no}`} data-testid="pub-done-status">查看办理进度</a>
        <details className="pub-details">
          <summary>查询码（换手机时用）</summary>
          <p>办结后评价或申请重新办理需要它。本机已自动保存；换手机时请在“查询进度”里连同编号一起输入。</p>
          <code data-testid="pub-token">{done.token}</code>
        </details>
        <button type="button" className="pub-btn" onClick={again} data-testid="pub-again">再报一件</button>
      </section>
    );
  }

  const count = charCount(text);
  return (
    <form className="pub-form" onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate data-testid="pub-form">
      <section className="pub-card">
        <h2><span className="pub-step">1</span>拍照 <small>1–{max} 张</small></h2>
        <div className="pub-photos">
          {photos.map((p) => (
            <figure key={p.id} className="pub-photo" data-testid="pub-photo">
              <img src={p.url} alt={p.name} />
              <button type="button" onClick={() => removePhoto(p.id)} aria-label="删除这张照片">×</button>
              {p.note && <figcaption>{p.note}</figcaption>}
            </figure>
          ))}
          {preparing > 0 && <div className="pub-photo pub-photo-wait">处理中…</div>}
          {photos.length + preparing < max && (
            <label className="pub-shot">
              <input type="file" accept="image/*" capture="environment" onChange={(e) => { void addFiles(e.target.files); e.target.value = ''; }} data-testid="pub-camera" />
              <CameraIcon />
              <span>拍照</span>
            </label>
          )}
        </div>
        {photos.length + preparing < max && (
          <label className="pub-gallery">
            <input type="file" accept="image/*" multiple onChange={(e) => { void addFiles(e.target.files); e.target.value = ''; }} data-testid="pub-gallery" />
            或从相册选择照片
          </label>
        )}
        {photoMsg && <div className="pub-err" data-testid="pub-photo-msg">{photoMsg}</div>}
      </section>

      <section className="pub-card">
        <h2><span className="pub-step">2</span>位置</h2>
        {place ? (
          <div className="pub-place" data-testid="pub-place" data-source={place.source}>
            <PinIcon />
            <div>
              <div>{place.source === 'gps' ? '当前位置' : '地图上选的位置'}{place.place ? `：${place.place}` : ''}</div>
              <div className="pub-muted" data-testid="pub-coords">{place.lat.toFixed(5)}, {place.lng.toFixed(5)}{place.accuracy ? ` · 误差约 ${place.accuracy} 米` : ''}</div>
            </div>
          </div>
        ) : geo.state === 'locating' ? (
          <div className="pub-place pub-muted" data-testid="pub-locating">正在定位…</div>
        ) : (
          <p className="pub-muted">用手机定位，或在地图上点出问题所在的地方。</p>
        )}
        {geo.state === 'error' && <div className="pub-err" data-testid="pub-geo-error">{geo.message}</div>}
        <div className="pub-row">
          <button type="button" className="pub-btn" onClick={locate} disabled={geo.state === 'locating'} data-testid="pub-locate">
            {place?.source === 'gps' || geo.state === 'error' ? '重新定位' : '使用当前位置'}
          </button>
          <button type="button" className="pub-btn" onClick={openMap} data-testid="pub-open-map">在地图上选</button>
        </div>
      </section>

      <section className="pub-card">
        <h2><span className="pub-step">3</span>问题类别{chosen && <small className="pub-chosen">已选：{chosen.name}</small>}</h2>
        {catsError && <div className="pub-err">类别没有加载成功：{catsError} <button type="button" className="pub-link" onClick={loadCats}>重试</button></div>}
        {!cats && !catsError && <p className="pub-muted">加载中…</p>}
        <div data-testid="pub-categories">
          {groups.map(([group, items]) => (
            <fieldset key={group} className="pub-group">
              <legend>{group}</legend>
              <div className="pub-chips">
                {items.map((c) => (
                  <button type="button" key={c.code} className={`pub-chip${c.code === category ? ' on' : ''}`} aria-pressed={c.code === category}
                    onClick={() => setCategory(c.code)} data-testid="pub-category" data-code={c.code}>{c.name}</button>
                ))}
              </div>
            </fieldset>
          ))}
        </div>
      </section>

      <section className="pub-card">
        <h2><span className="pub-step">4</span>说明</h2>
        <label className="pub-label" htmlFor="pub-text">一句话说清是什么问题（如：村东头路边有一堆建筑垃圾）</label>
        <textarea id="pub-text" rows={3} value={text} maxLength={MAX_TEXT * 2} onChange={(e) => setText(clip(e.target.value, MAX_TEXT))} data-testid="pub-text" placeholder="在哪儿、什么问题" />
        <div className={`pub-count${count >= MAX_TEXT ? ' full' : ''}`} data-testid="pub-count">{count}/{MAX_TEXT}</div>
        <label className="pub-label" htmlFor="pub-phone">手机号（可不填）</label>
        <input id="pub-phone" type="tel" inputMode="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value.slice(0, 20))} data-testid="pub-phone" placeholder="便于工作人员回访" />
        <p className="pub-hint">只用于回访核实；工作人员看到的是隐去中间四位的号码（如 138****5678），查看完整号码会留下记录。</p>
        <label className="pub-label" htmlFor="pub-name">称呼（可不填）</label>
        <input id="pub-name" type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value.slice(0, 40))} data-testid="pub-name" placeholder="如：王先生" />
      </section>

      <section className="pub-card pub-send">
        {problems.length > 0 && (
          <ul className="pub-err" data-testid="pub-problems">{problems.map((p) => <li key={p}>{p}</li>)}</ul>
        )}
        {error && <div className="pub-err" role="alert" data-testid="pub-error">{error}</div>}
        {progress !== null && (
          <div className="pub-progress" data-testid="pub-progress" aria-live="polite">
            <div className="pub-bar"><div style={{ width: `${progress}%` }} /></div>
            <span>{progress < 100 ? `正在上传 ${progress}%` : '正在保存…'}</span>
            <button type="button" className="pub-link" onClick={() => sending.current?.abort()}>取消</button>
          </div>
        )}
        <button type="submit" className="pub-btn pub-primary pub-big" disabled={progress !== null || preparing > 0} data-testid="pub-submit">
          {progress !== null ? '正在提交…' : failed ? '重新提交' : '提交'}
        </button>
        {failed && <p className="pub-hint">重新提交不会重复上报：同一件只会登记一次。</p>}
      </section>

      {mapOpen && (PickMap ? (
        <PickMap
          start={place ? { lat: place.lat, lng: place.lng } : null}
          onClose={() => setMapOpen(false)}
          onPick={(p: Picked) => { setPlace({ lat: p.lat, lng: p.lng, accuracy: null, source: 'map', place: p.place }); setGeo({ state: 'idle' }); setMapOpen(false); }}
        />
      ) : (
        <div className="pub-mapsheet" role="dialog" aria-modal="true">
          <div className="pub-mapsheet-head">
            <strong>在地图上选</strong>
            <button type="button" className="pub-link" onClick={() => setMapOpen(false)}>关闭</button>
          </div>
          <div style={{ padding: 16 }}>
            {mapLoad === 'error' ? (
              <>
                <div className="pub-err">地图没有加载成功，可能是网络不好。</div>
                <button type="button" className="pub-btn" onClick={openMap}>重试</button>
              </>
            ) : <p className="pub-muted">地图加载中…</p>}
          </div>
        </div>
      ))}
    </form>
  );
}

// ---------------------------------------------------------------- look up

function Lookup({ mine }: { mine: MyReport[] }) {
  const [no, setNo] = useState('');
  const [token, setToken] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  const open = () => {
    const n = normaliseNo(no);
    const problem = lookupProblem(n, token);
    if (problem) { setMsg(problem); return; }
    if (token.trim()) typedTokens.set(n, token.trim());
    go(`#/q/${n}`);
  };
  return (
    <>
      <section className="pub-card">
        <h2>按编号查询</h2>
        <form onSubmit={(e) => { e.preventDefault(); open(); }} data-testid="pub-lookup">
          <label className="pub-label" htmlFor="pub-q-no">上报编号</label>
          <input id="pub-q-no" value={no} onChange={(e) => { setNo(e.target.value); setMsg(null); }} data-testid="pub-q-no" placeholder="如 K7QM-2XPD-93TA"
            autoCapitalize="characters" autoComplete="off" spellCheck={false} />
          <label className="pub-label" htmlFor="pub-q-token">查询码（可不填；评价或重新办理时需要）</label>
          <input id="pub-q-token" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" data-testid="pub-q-token" />
          {msg && <div className="pub-err">{msg}</div>}
          <button type="submit" className="pub-btn pub-primary" data-testid="pub-q-go">查询</button>
        </form>
      </section>
      <section className="pub-card">
        <h2>我的上报 <small>保存在这部手机上</small></h2>
        {mine.length === 0 ? <p className="pub-muted">这部手机上还没有上报记录。</p> : (
          <ul className="pub-mine" data-testid="pub-mine">
            {mine.map((r) => (
              <li key={r.no}>
                <a href={`#/q/${r.no}`} data-testid="pub-mine-item" data-no={r.no}>
                  <b>{formatPublicNo(r.no)}</b>
                  <span>{[r.category, r.place].filter(Boolean).join(' · ')}</span>
                  <span className="pub-muted">{fmtTime(r.at)}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

// ---------------------------------------------------------------- status

const STATUS_CLASS: Record<string, string> = { received: 'wait', accepted: 'run', in_progress: 'run', fixed: 'run', closed: 'ok', refused: 'no' };
const RATINGS: { key: RatingKey; label: string }[] = [{ key: 'satisfied', label: '满意' }, { key: 'basically', label: '基本满意' }, { key: 'unsatisfied', label: '不满意' }];

function Status({ no, remember }: { no: string; remember: (r: MyReport) => void }) {
  const [token, setToken] = useState<string | null>(() => typedTokens.get(no) ?? tokenFor(storage, no));
  const [v, setV] = useState<StatusView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [rating, setRating] = useState<RatingKey | null>(null);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [big, setBig] = useState<string | null>(null);

  const load = useCallback(async (tk: string | null) => {
    setLoading(true);
    try {
      const s = await publicApi.status(no, tk);
      setV(s); setError(null);
      if (s.mine && tk && typedTokens.has(no)) {
        typedTokens.delete(no);
        remember({ no, token: tk, at: s.reportedAt, category: s.category.name, place: s.place });
      }
    } catch (e) { setError((e as Error).message); } finally { setLoading(false); }
  }, [no, remember]);
  useEffect(() => { void load(token); }, [load, token]);

  const act = async (f: () => Promise<StatusView>) => {
    setBusy(true); setActionError(null);
    try { setV(await f()); } catch (e) { setActionError((e as Error).message); } finally { setBusy(false); }
  };

  if (error && !v) {
    return (
      <section className="pub-card">
        <div className="pub-err" data-testid="pub-status-error">{error}</div>
        <div className="pub-row"><button type="button" className="pub-btn" onClick={() => void load(token)}>重试</button><a className="pub-btn" href="#/q">换个编号</a></div>
      </section>
    );
  }
  if (!v) return <section className="pub-card"><p className="pub-muted">加载中…</p></section>;
  const finished = v.status === 'closed' || v.status === 'refused';
  return (
    <>
      <section className="pub-card" data-testid="pub-status" data-status={v.status}>
        <div className="pub-status-head">
          <div>
            <div className="pub-muted">上报编号</div>
            <div className="pub-no pub-no-sm" data-testid="pub-status-no" data-no={v.no}>{formatPublicNo(v.no)}</div>
          </div>
          <span className={`pub-badge ${STATUS_CLASS[v.status] ?? ''}`} data-testid="pub-status-text">{v.statusText}</span>
        </div>
        <div className="pub-kv"><span>类别</span><b>{v.category.name}</b></div>
        <div className="pub-kv"><span>位置</span><b>{v.place}{v.address ? ` · ${v.address}` : ''}</b></div>
        <div className="pub-kv"><span>上报时间</span><b>{fmtTime(v.reportedAt)}</b></div>
        {v.expectedAt && !finished && <div className="pub-kv"><span>应办结</span><b>{fmtTime(v.expectedAt)}</b></div>}
        {v.closedAt && <div className="pub-kv"><span>办结时间</span><b>{fmtTime(v.closedAt)}</b></div>}
        {v.mine && v.phone && <div className="pub-kv"><span>回访电话</span><b>{v.phone}</b></div>}
        {v.duplicateOf && <p className="pub-note">与已有问题重复，合并到 <a href={`#/q/${v.duplicateOf}`}>{formatPublicNo(v.duplicateOf)}</a> 一起办理。</p>}
        <div className="pub-desc" data-testid="pub-status-desc">
          {v.description ?? <span className="pub-muted">问题描述和照片经工作人员审核后公开。</span>}
        </div>
        {v.photos.length > 0 && (
          <div className="pub-thumbs" data-testid="pub-status-photos">
            {v.photos.map((p) => (
              <button type="button" key={p.id} onClick={() => setBig(publicApi.photoUrl(p.url, v.mine ? token : null))} aria-label="查看大图">
                <img src={publicApi.photoUrl(p.thumbUrl, v.mine ? token : null)} alt="" loading="lazy" />
              </button>
            ))}
          </div>
        )}
        <button type="button" className="pub-link" onClick={() => void load(token)} disabled={loading}>{loading ? '刷新中…' : '刷新'}</button>
      </section>

      <section className="pub-card">
        <h2>办理进度</h2>
        <ol className="pub-timeline" data-testid="pub-timeline">
          {[...v.timeline].reverse().map((s, i) => (
            <li key={`${s.at}-${i}`} data-action={s.action} className={i === 0 ? 'now' : ''}>
              <div>{s.label}</div>
              <div className="pub-muted">{fmtTime(s.at)}</div>
            </li>
          ))}
        </ol>
      </section>

      {(v.rating || finished) && (
        <section className="pub-card" data-testid="pub-rate-card">
          <h2>评价</h2>
          {v.rating && (
            <div className="pub-rated" data-testid="pub-rating" data-rating={v.rating.key}>
              您的评价：<b>{v.rating.text}</b> <span className="pub-muted">{fmtTime(v.rating.at)}</span>
            </div>
          )}
          {v.mine && v.canRate && (
            <div data-testid="pub-rate">
              <p className="pub-muted">{v.rating ? '重新办理后可以再评价一次。' : '问题办好了吗？请评价办理结果。'}</p>
              <div className="pub-rates">
                {RATINGS.map((r) => (
                  <button type="button" key={r.key} className={`pub-rate${rating === r.key ? ' on' : ''}`} aria-pressed={rating === r.key} onClick={() => setRating(r.key)} data-testid={`pub-rate-${r.key}`}>
                    <Face kind={r.key} />{r.label}
                  </button>
                ))}
              </div>
              <textarea rows={2} value={note} onChange={(e) => setNote(clip(e.target.value, 200))} placeholder="想说的话（可不填）" data-testid="pub-rate-note" />
              <button type="button" className="pub-btn pub-primary" disabled={!rating || busy} onClick={() => rating && token && void act(() => publicApi.rate(no, token, rating, note.trim()))} data-testid="pub-rate-submit">提交评价</button>
            </div>
          )}
          {v.mine && !v.canRate && !v.rating && v.whyNotRate && <p className="pub-muted">{v.whyNotRate}</p>}
          {!v.mine && finished && (
            <form onSubmit={(e) => { e.preventDefault(); if (typed.trim()) setToken(typed.trim()); }} data-testid="pub-token-form">
              <p className="pub-muted">{token ? '查询码不对，' : ''}输入上报时得到的查询码后可以评价或申请重新办理。</p>
              <div className="pub-row">
                <input value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="查询码" autoComplete="off" />
                <button type="submit" className="pub-btn">确定</button>
              </div>
            </form>
          )}
        </section>
      )}

      {v.mine && v.status === 'closed' && (
        <section className="pub-card" data-testid="pub-reopen-card">
          <h2>问题没有解决？</h2>
          {v.canReopen ? (
            <details className="pub-details" data-testid="pub-reopen">
              <summary>申请重新办理（每件只能申请一次）</summary>
              <textarea rows={3} value={reason} onChange={(e) => setReason(clip(e.target.value, 500))} placeholder="哪里还没有解决？" data-testid="pub-reopen-reason" />
              <button type="button" className="pub-btn pub-danger" disabled={!reason.trim() || busy} onClick={() => token && void act(() => publicApi.reopen(no, token, reason.trim()))} data-testid="pub-reopen-submit">申请重新办理</button>
            </details>
          ) : <p className="pub-muted" data-testid="pub-reopen-why">{v.whyNotReopen}</p>}
        </section>
      )}
      {v.mine && v.reopened && v.status !== 'closed' && <section className="pub-card"><p className="pub-note">已按您的意见重新办理，办结后可以再评价。</p></section>}
      {actionError && <div className="pub-err pub-toast" role="alert" data-testid="pub-action-error">{actionError}</div>}

      {big && (
        <div className="pub-lightbox" onClick={() => setBig(null)} role="dialog" aria-label="大图">
          <img src={big} alt="" />
          <span>点任意处关闭</span>
        </div>
      )}
    </>
  );
}

// ---------------------------------------------------------------- icons (inline: no icon font, no emoji font needed)

function CameraIcon() {
  return (
    <svg className="pub-shot-icon" width="34" height="34" viewBox="0 0 24 24" aria-hidden fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round">
      <path d="M3 8.5A1.5 1.5 0 0 1 4.5 7h2.8l1.5-2.2h6.4L16.7 7h2.8A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z" />
      <circle cx="12" cy="12.8" r="3.6" />
    </svg>
  );
}
function PinIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden style={{ flex: 'none', marginTop: 2 }}>
      <path d="M12 2.5a7 7 0 0 0-7 7c0 5.2 7 12 7 12s7-6.8 7-12a7 7 0 0 0-7-7z" fill="#e8401c" />
      <circle cx="12" cy="9.5" r="2.6" fill="#fff" />
    </svg>
  );
}
function Face({ kind }: { kind: RatingKey }) {
  const mouth = kind === 'satisfied' ? 'M8 14.2q4 3.6 8 0' : kind === 'basically' ? 'M8.5 15h7' : 'M8 16.2q4-3.2 8 0';
  const color = kind === 'satisfied' ? '#0b6b3a' : kind === 'basically' ? '#d48806' : '#cf1322';
  return (
    <svg width="26" height="26" viewBox="0 0 24 24" aria-hidden fill="none" stroke={color} strokeWidth="1.8" strokeLinecap="round">
      <circle cx="12" cy="12" r="9.5" />
      <circle cx="9" cy="10" r=".9" fill={color} />
      <circle cx="15" cy="10" r=".9" fill={color} />
      <path d={mouth} />
    </svg>
  );
}
