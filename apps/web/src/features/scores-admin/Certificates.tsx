// 荣誉证书: one A4 (landscape) certificate per village of an approved annual award — town, village,
// year, rank, the honour medal, the date and a place for the seal. On screen the app's menu is
// hidden (the body gets a class while this page is open); printing gives one certificate a page.
import { useEffect, useState } from 'react';
import { Alert, Button, Result, Space, Spin } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api';
import { useRoute } from '../../router';
import { scoresAdminApi, type Rating } from './api';
import { chinaDay, score } from './common';
import { useSaT } from './strings';
import './certificates.css';

const CN_DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 2026 → 二〇二六 (a certificate writes its year in characters). */
const cnYear = (y: number) => String(y).split('').map((d) => CN_DIGITS[Number(d)]).join('');
/** 1–31 in characters: 十一, 二十, 二十九. */
const cnNumber = (n: number) => (n < 10 ? CN_DIGITS[n]! : `${n >= 20 ? CN_DIGITS[Math.floor(n / 10)] : ''}十${n % 10 ? CN_DIGITS[n % 10] : ''}`);

export function Certificates({ id }: { id: number }) {
  const t = useSaT();
  const route = useRoute();
  const only = route.query.get('award');
  const [r, setR] = useState<Rating | null>(null);
  const [town, setTown] = useState<string>('');
  const [error, setError] = useState<string | null>(null);

  // No menu around a certificate: the shell's header and side menu are hidden while it is open.
  useEffect(() => {
    document.body.classList.add('sa-cert-mode');
    return () => document.body.classList.remove('sa-cert-mode');
  }, []);
  useEffect(() => {
    scoresAdminApi.rating(id).then((x) => {
      setR(x);
      return api.area(x.areaId).then((a) => setTown(a.officialName || a.name));
    }).catch((e) => setError(errorText(e)));
  }, [id]);

  const back = <Button icon={<ArrowLeftOutlined />} href={`#/scores/ratings/${id}`} data-testid="ct-back">{t('back')}</Button>;
  if (error) return <Result status="warning" title={t('rtNotFound')} subTitle={error} extra={back} />;
  if (!r) return <div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>;
  if (r.kind !== 'year') return <Result status="info" title={t('ctOnlyYear')} extra={back} />;
  if (r.status !== 'approved') return <Result status="info" title={t('rtCertNeedsApproval')} extra={back} />;

  const awards = r.awards.filter((a) => !only || String(a.id) === only);
  const year = Number(r.period.slice(0, 4));
  const [y, m, d] = chinaDay(r.approvedAt!);

  return (
    <div className="sa-cert-root" data-testid="ct-page">
      <div className="sa-cert-toolbar no-print">
        <Space wrap>
          {back}
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!awards.length} data-testid="ct-print">{t('ctPrint')}</Button>
          {only && <Button href={`#/scores/ratings/${id}/certificate`}>{t('ctAll')}</Button>}
        </Space>
      </div>
      {!awards.length && <Alert type="info" showIcon title={t('ctNoAwards')} />}
      {awards.map((a) => (
        <section key={a.id} className="sa-cert" data-testid={`ct-${a.villageCode}`}>
          <div className="sa-cert-frame">
            <h1 className="sa-cert-title">荣 誉 证 书</h1>
            <p className="sa-cert-to">{a.villageName}：</p>
            <p className="sa-cert-body">
              你村在{cnYear(year)}年度{town}农村人居环境整治综合考核中成绩突出，综合得分 {score(a.composite)} 分，位列全镇第 {a.rank} 名，特授予
            </p>
            <p className="sa-cert-medal">“{year}年度人居环境整治荣誉奖章”</p>
            <p className="sa-cert-body">以资鼓励。</p>
            <div className="sa-cert-sign">
              <div className="sa-cert-seal" aria-label="seal">（盖章）</div>
              <div className="sa-cert-issuer">{town}人民政府</div>
              <div className="sa-cert-date">{cnYear(y)}年{cnNumber(m)}月{cnNumber(d)}日</div>
            </div>
          </div>
        </section>
      ))}
    </div>
  );
}
