// The words of the Open311 partners page, Chinese first; the language follows the app's.
import { useCallback } from 'react';
import { useI18n } from '../../i18n';

const zh = {
  title: 'Open311 合作方',
  explain: '合作方（如城市服务 App、12345 热线系统）通过 Open311 GeoReport v2 接口 {url} 提交群众反映的问题，提交时须带上本页创建的密钥 api_key。查询服务列表、办理进度不需要密钥；提交的问题与群众随手拍一样进入待受理队列，审核后才公开描述和照片。',
  add: '新建合作方', refresh: '刷新', name: '名称', namePlaceholder: '如：城市服务 App', nameRequired: '请填写合作方名称（不超过 60 字）',
  prefix: '密钥开头', status: '状态', active: '使用中', inactive: '已停用', created: '创建', lastUsed: '最近使用', never: '从未使用',
  actions: '操作', deactivate: '停用', deactivateConfirm: '停用“{name}”的密钥？停用后用它提交会被拒绝（403），不能恢复，需要时请新建。',
  deactivated: '已停用', none: '还没有合作方', create: '创建', cancel: '取消',
  keyTitle: '合作方“{name}”的密钥', keyOnce: '密钥只显示这一次，系统只保存它的摘要。请现在复制并安全地交给合作方；丢失后只能停用并新建。',
  copy: '复制', copied: '已复制', curlTitle: '调用示例', done: '我已保存密钥',
  forbidden: 'Open311 合作方密钥是全局设置，只有全局管理员可以管理',
  curlServices: '# 服务列表（事件小类）', curlPost: '# 提交一个问题（表单格式，带 api_key）', curlGet: '# 按编号查询办理进度',
};
type Key = keyof typeof zh;
const en: Record<Key, string> = {
  title: 'Open311 partners',
  explain: 'Partners (a city app, a 12345 hotline system) post residents’ problems through the Open311 GeoReport v2 API at {url}, with a key (api_key) made on this page. Reading the service list and progress needs no key; posted problems join the intake queue like residents’ own reports, and their text and photos become public only after review.',
  add: 'New partner', refresh: 'Refresh', name: 'Name', namePlaceholder: 'e.g. City services app', nameRequired: 'Give the partner a name (at most 60 characters)',
  prefix: 'Key starts', status: 'Status', active: 'In use', inactive: 'Deactivated', created: 'Created', lastUsed: 'Last used', never: 'Never',
  actions: 'Actions', deactivate: 'Deactivate', deactivateConfirm: 'Deactivate the key of “{name}”? Posts with it will be refused (403); it cannot be turned back on: make a new one if needed.',
  deactivated: 'Deactivated', none: 'No partners yet', create: 'Create', cancel: 'Cancel',
  keyTitle: 'Key of “{name}”', keyOnce: 'The key is shown this once; only its digest is kept. Copy it now and hand it to the partner safely; if lost, deactivate it and make a new one.',
  copy: 'Copy', copied: 'Copied', curlTitle: 'Examples', done: 'I have saved the key',
  forbidden: 'Open311 partner keys are an install-wide setting: only a global administrator manages them',
  curlServices: '# Service list (categories)', curlPost: '# Post a problem (form-encoded, with api_key)', curlGet: '# Progress by id',
};
const DICTS = { zh, en };

export function useOt() {
  const { lang } = useI18n();
  return useCallback((key: Key, vars?: Record<string, string | number>) => {
    let s: string = DICTS[lang][key] ?? zh[key];
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  }, [lang]);
}
