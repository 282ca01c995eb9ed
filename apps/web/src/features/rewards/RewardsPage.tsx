// 积分与奖励 (#/rewards/<tab>): households and their points with 门前三包 checks, the model-household
// rounds, the 积分超市, bounties (爆料奖励) and the points rules. One village is picked for the
// village-level tabs; a village cadre opens on their own village.
import { useEffect, useState } from 'react';
import { Card, Space, Tabs, Typography } from 'antd';
import { AreaPicker } from '../../components/Pickers';
import { navigate } from '../../router';
import { useDefaultScope } from '../map/scope';
import { HouseholdsTab } from './HouseholdsTab';
import { RoundsTab } from './RoundsTab';
import { ShopTab } from './ShopTab';
import { BountiesTab } from './BountiesTab';
import { RulesTab } from './RulesTab';
import { useRwT } from './strings';

const TABS = ['households', 'rounds', 'shop', 'bounties', 'rules'] as const;
type Tab = (typeof TABS)[number];
export interface Village { id: number; name: string }

export function RewardsPage({ section }: { section?: string }) {
  const t = useRwT();
  const tab: Tab = (TABS as readonly string[]).includes(section ?? '') ? (section as Tab) : 'households';
  const scope = useDefaultScope();
  const [village, setVillage] = useState<Village | undefined>();
  useEffect(() => {
    if (scope && !village && scope.level === 'village') setVillage({ id: scope.id, name: scope.name });
  }, [scope, village]);

  const picker = (
    <Space wrap size={[8, 8]}>
      <span>{t('village')}</span>
      <AreaPicker testId="rw-village" level="village" value={village?.id} initialLabel={village?.name} allowClear={false} placeholder={t('pickVillage')}
        onChange={(id, hit) => { if (id) setVillage({ id, name: hit?.name ?? String(id) }); }} style={{ minWidth: 200 }} />
    </Space>
  );
  const needsVillage = tab === 'households' || tab === 'rounds' || tab === 'shop';

  return (
    <div data-testid="rw-page">
      <Card size="small" style={{ marginBottom: 12 }} title={t('title')}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: needsVillage ? 8 : 0 }}>{t('explain')}</Typography.Paragraph>
        {needsVillage && picker}
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(`/rewards/${k}`, true)}
        items={[
          { key: 'households', label: <span data-testid="rw-tab-households">{t('tabHouseholds')}</span>, children: tab === 'households' ? <HouseholdsTab village={village} /> : null },
          { key: 'rounds', label: <span data-testid="rw-tab-rounds">{t('tabRounds')}</span>, children: tab === 'rounds' ? <RoundsTab village={village} /> : null },
          { key: 'shop', label: <span data-testid="rw-tab-shop">{t('tabShop')}</span>, children: tab === 'shop' ? <ShopTab village={village} /> : null },
          { key: 'bounties', label: <span data-testid="rw-tab-bounties">{t('tabBounties')}</span>, children: tab === 'bounties' ? <BountiesTab /> : null },
          { key: 'rules', label: <span data-testid="rw-tab-rules">{t('tabRules')}</span>, children: tab === 'rules' ? <RulesTab /> : null },
        ]}
      />
    </div>
  );
}
