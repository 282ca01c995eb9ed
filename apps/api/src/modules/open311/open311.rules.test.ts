import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import {
  MAX_WINDOW_DAYS, attributeAnswers, buildDefinition, buildRequest, buildService, checkAttributes, checkMediaUrl, dateWindow, fullName,
  parseCodeList, parseIdList, parseStatusList, parseW3cDate, renderErrors, renderXml, requestStatus, serviceAttributes, serviceNotice,
  splitFormat, statesOf, statusNotes, updateStatus, w3c, type RequestSource,
} from './open311.rules.js';

const DAY = 86_400_000;
const parser = new XMLParser({ parseTagValue: false, isArray: (n) => ['service', 'request', 'error', 'attribute', 'value', 'format', 'endpoint'].includes(n) });

describe('formats by extension', () => {
  it('reads .json and .xml, takes none as XML, and flags anything else', () => {
    expect(splitFormat('services.json')).toEqual({ base: 'services', format: 'json', ext: 'json' });
    expect(splitFormat('001.XML')).toEqual({ base: '001', format: 'xml', ext: 'xml' });
    expect(splitFormat('2026112900012')).toEqual({ base: '2026112900012', format: 'xml', ext: null });
    expect(splitFormat('x.csv')).toMatchObject({ base: 'x', format: null, ext: 'csv' });
  });
});

describe('statuses', () => {
  it('gives open until closed or refused, and says why a refused one is closed', () => {
    for (const s of ['reported', 'registered', 'dispatched', 'fixing', 'fixed'] as const) expect(requestStatus(s)).toBe('open');
    expect(requestStatus('closed')).toBe('closed');
    expect(requestStatus('refused')).toBe('closed');
    expect(statusNotes('refused', 'duplicate', '2026110100007')).toContain('2026110100007');
    expect(statusNotes('refused', 'invalid', null)).toContain('不予受理');
    expect(statusNotes('dispatched', null, null)).toBe('处理中 (In progress)');
    expect(statesOf(['closed']).sort()).toEqual(['closed', 'refused']);
    expect(statesOf(['open', 'closed'])).toHaveLength(7);
  });
  it('maps steps to FixMyStreet update statuses', () => {
    expect(updateStatus('reported', null)).toBe('open');
    expect(updateStatus('registered', null)).toBe('investigating');
    expect(updateStatus('fixed', null)).toBe('in_progress');
    expect(updateStatus('closed', null)).toBe('fixed');
    expect(updateStatus('refused', { reason: 'duplicate' })).toBe('duplicate');
    expect(updateStatus('refused', { reason: 'invalid' })).toBe('no_further_action');
  });
});

describe('dates', () => {
  it('parses W3C date-times with a zone, and without one as China time', () => {
    expect(parseW3cDate('2026-11-05T08:15:30Z')!.toISOString()).toBe('2026-11-05T08:15:30.000Z');
    expect(parseW3cDate('2026-11-05T08:15:30-05:00')!.toISOString()).toBe('2026-11-05T13:15:30.000Z');
    expect(parseW3cDate('2026-11-05T16:15:30.25+0800')!.toISOString()).toBe('2026-11-05T08:15:30.250Z');
    expect(parseW3cDate('2026-11-05T16:15')!.toISOString()).toBe('2026-11-05T08:15:00.000Z');
    expect(parseW3cDate('2026-11-05')!.toISOString()).toBe('2026-11-04T16:00:00.000Z');
    for (const bad of ['2026-02-30', '2026-13-01', '2026-11-05T24:00:00Z', 'yesterday', '', '2026-11-05T08:15:30+15:00', '1e9']) expect(parseW3cDate(bad), bad).toBeNull();
  });
  it('writes date-times in China time with the offset, and reads them back', () => {
    expect(w3c(new Date('2026-11-05T08:15:30.123Z'))).toBe('2026-11-05T16:15:30+08:00');
    fc.assert(fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (d) => {
      expect(parseW3cDate(w3c(d)!)!.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
    }));
  });
  it('defaults to the last 90 days, fills a missing end or start, refuses more than 90 days', () => {
    const now = new Date('2026-11-29T00:00:00Z');
    expect(dateWindow(undefined, undefined, now)).toEqual({ from: new Date(now.getTime() - 90 * DAY), to: now });
    expect(dateWindow('2026-01-01T00:00:00Z', undefined, now)).toEqual({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') });
    expect(dateWindow('', '2026-04-01T00:00:00Z', now)).toEqual({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') });
    expect(dateWindow('2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z', now)).not.toHaveProperty('error');
    expect(dateWindow('2026-01-01T00:00:00Z', '2026-04-02T00:00:00Z', now)).toMatchObject({ error: expect.stringContaining('91 天') });
    expect(dateWindow('2026-04-01T00:00:00Z', '2026-01-01T00:00:00Z', now)).toMatchObject({ error: expect.stringContaining('早于') });
    expect(dateWindow('soon', undefined, now)).toMatchObject({ error: expect.stringContaining('start_date') });
  });
  it('never answers a window longer than 90 days, and refuses exactly the spans over it', () => {
    const t = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
    fc.assert(fc.property(t, fc.integer({ min: 0, max: 200 * DAY }), fc.constantFrom('both', 'start', 'end', 'none'), (a, span, which) => {
      const s = new Date(a).toISOString(); const e = new Date(a + span).toISOString();
      const w = dateWindow(which === 'both' || which === 'start' ? s : undefined, which === 'both' || which === 'end' ? e : undefined, new Date(a));
      if ('error' in w) {
        expect(which).toBe('both');
        expect(span).toBeGreaterThan(MAX_WINDOW_DAYS * DAY);
      } else {
        expect(w.to.getTime() - w.from.getTime()).toBeLessThanOrEqual(MAX_WINDOW_DAYS * DAY);
        expect(w.to.getTime()).toBeGreaterThanOrEqual(w.from.getTime());
        if (which === 'both') expect(span).toBeLessThanOrEqual(MAX_WINDOW_DAYS * DAY);
      }
    }));
  });
});

describe('lists in the query', () => {
  it('parses ids, codes and statuses, with limits', () => {
    // ids are tracking numbers, read as typed (dashes, lower case); a case number is not one
    expect(parseIdList(' K7QM2XPD93TA,k7qm-2xpd-93tb,,K7QM-2XPD-93TA ')).toEqual({ ids: ['K7QM2XPD93TA', 'K7QM2XPD93TB'] });
    expect(parseIdList('K7QM2XPD93TA,abc')).toMatchObject({ error: expect.stringContaining('abc') });
    expect(parseIdList('2026110100001')).toMatchObject({ error: expect.stringContaining('2026110100001') });
    expect(parseIdList(Array.from({ length: 101 }, (_, i) => `K7QM2XPD9${String(i).padStart(3, '0')}`).join(','))).toMatchObject({ error: expect.stringContaining('100') });
    expect(parseIdList(',')).toHaveProperty('error');
    expect(parseCodeList('0101, 0102')).toEqual({ codes: ['0101', '0102'] });
    expect(parseStatusList('OPEN,closed')).toEqual({ statuses: ['open', 'closed'] });
    expect(parseStatusList('pending')).toHaveProperty('error');
  });
  it('keeps every well-formed id once and in order', () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{12}$/), { minLength: 1, maxLength: 100 }), (ids) => {
      const r = parseIdList(ids.join(','));
      expect(r).toEqual({ ids: [...new Set(ids)] });
    }));
  });
});

describe('attributes', () => {
  const defs = serviceAttributes([
    { code: 'SIZE', datatype: 'singlevaluelist', required: true, description: '垃圾有多少', values: [{ key: 'S', name: '一袋' }, { key: 'L', name: '一车' }], order: 9 },
    { code: 'KINDS', datatype: 'multivaluelist', values: [{ key: 'food', name: '厨余' }, { key: 'plastic', name: '塑料' }] },
    { code: 'COUNT', datatype: 'number' },
    { code: 'SEEN', datatype: 'datetime' },
    { code: 'NOTE', datatype: 'text' },
    { code: 'TAG', datatype: 'string', variable: false, description: '仅作说明' },
    { code: 'BAD', datatype: 'colour' }, { datatype: 'string' }, { code: 'EMPTY', datatype: 'singlevaluelist', values: [] }, { code: 'SIZE', datatype: 'string' }, 'x', null,
  ]);
  it('keeps the well-formed ones in their order and leaves the rest out', () => {
    expect(defs.map((d) => d.code)).toEqual(['KINDS', 'COUNT', 'SEEN', 'NOTE', 'TAG', 'SIZE']);
    expect(defs.find((d) => d.code === 'SIZE')).toMatchObject({ required: true, variable: true, datatype_description: null });
    expect(serviceAttributes(null)).toEqual([]);
    expect(serviceAttributes('[{"code":"A","datatype":"string"}]')).toHaveLength(1);
  });
  it('collects attribute[CODE], attribute[CODE][] and a nested object', () => {
    expect(attributeAnswers({ 'attribute[SIZE]': 'S', 'attribute[KINDS][]': ['food', 'plastic'], other: 'x', attribute: { COUNT: 3 } }))
      .toEqual({ SIZE: ['S'], KINDS: ['food', 'plastic'], COUNT: ['3'] });
  });
  it('checks answers against the definition', () => {
    const ok = checkAttributes(defs, { SIZE: ['L'], KINDS: ['food', 'plastic'], COUNT: ['2.5'], SEEN: ['2026-11-05T08:00:00Z'], NOTE: ['<b>门口</b>'], TAG: ['x'], ZZZ: ['y'] });
    expect(ok.problems).toEqual([]);
    expect(ok.value).toEqual({ SIZE: 'L', KINDS: ['food', 'plastic'], COUNT: 2.5, SEEN: '2026-11-05T08:00:00.000Z', NOTE: '门口' });
    expect(checkAttributes(defs, { KINDS: ['food,plastic'], SIZE: ['S'] }).value.KINDS).toEqual(['food', 'plastic']);
    const bad = checkAttributes(defs, { KINDS: ['glass'], COUNT: ['many'], SEEN: ['tomorrow'], NOTE: ['x'.repeat(2001)] });
    expect(bad.problems.map((p) => p.field).sort()).toEqual(['attribute[COUNT]', 'attribute[KINDS]', 'attribute[NOTE]', 'attribute[SEEN]', 'attribute[SIZE]']);
    expect(bad.problems.find((p) => p.field === 'attribute[SIZE]')!.message).toContain('必填');
    expect(checkAttributes(defs, { SIZE: ['S', 'L'] }).problems[0]!.message).toContain('一个值');
    expect(checkAttributes(defs, { SIZE: ['M'] }).problems[0]!.message).toContain('S, L');
  });
  it('accepts every key of a list and nothing else', () => {
    const keys = ['a', 'b', 'c'];
    const d = serviceAttributes([{ code: 'K', datatype: 'singlevaluelist', required: true, values: keys.map((key) => ({ key, name: key })) }]);
    fc.assert(fc.property(fc.string({ maxLength: 5 }), (v) => {
      const r = checkAttributes(d, { K: [v] });
      expect(r.problems.length === 0).toBe(keys.includes(v.trim()));
    }));
  });
});

describe("the spec's objects", () => {
  const src: RequestSource = {
    no: '2026110100001', state: 'refused', refusedReason: 'duplicate', duplicateNo: '2026103100009', categoryCode: '0101', categoryName: '暴露垃圾',
    reviewed: false, description: '张三家门口 13700001111', publicText: null, place: '新城镇 毛家村', reportedAt: new Date('2026-11-01T01:00:00Z'),
    updatedAt: new Date('2026-11-02T01:00:00Z'), dueAt: new Date('2026-11-04T01:00:00Z'), address: '毛家村东头', lat: 36.9512345, lng: 118.0987654,
    photoUrl: 'http://x/api/public/reports/2026110100001/photos/1/file',
  };
  it('shows a request without text, address, photo or point until reviewed (the village only), then the point rounded', () => {
    const r = buildRequest(src);
    expect(r).toMatchObject({ service_request_id: '2026110100001', status: 'closed', description: null, address: null, media_url: null, lat: null, long: null,
      requested_datetime: '2026-11-01T09:00:00+08:00', expected_datetime: null, agency_responsible: '新城镇 毛家村' });
    expect(r.status_notes).toContain('2026103100009');
    expect(JSON.stringify(r)).not.toContain('13700001111');
    const shown = buildRequest({ ...src, state: 'dispatched', reviewed: true, publicText: '某户门口堆了杂物' });
    expect(shown).toMatchObject({ status: 'open', description: '某户门口堆了杂物', address: '毛家村东头', media_url: src.photoUrl, expected_datetime: '2026-11-04T09:00:00+08:00',
      lat: 36.951, long: 118.099 });
    expect(Object.keys(shown)).toEqual(['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible',
      'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url']);
  });
  it('builds services and definitions, and renders them as the spec’s XML', () => {
    const c = { code: '0101', name: '暴露垃圾', nameEn: 'Exposed garbage', group: '市容环境', attributes: [{ code: 'SIZE', datatype: 'singlevaluelist', required: true, description: '多少', values: [{ key: 'S', name: '一袋' }] }] };
    expect(buildService(c)).toEqual({ service_code: '0101', service_name: '暴露垃圾', description: '暴露垃圾 (Exposed garbage)', metadata: true, type: 'realtime', keywords: '市容环境, Exposed garbage', group: '市容环境' });
    expect(buildService({ ...c, attributes: null }).metadata).toBe(false);
    const xml = renderXml('service_definition', null, buildDefinition(c));
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const d = parser.parse(xml).service_definition;
    expect(d.service_code).toBe('0101');
    expect(d.attributes.attribute[0]).toMatchObject({ variable: 'true', code: 'SIZE', required: 'true', order: '1', values: { value: [{ key: 'S', name: '一袋' }] } });
    const list = parser.parse(renderXml('services', 'service', [buildService(c)])).services.service;
    expect(list[0]).toMatchObject({ service_code: '0101', metadata: 'true', type: 'realtime' });
  });
  it('escapes text and drops characters XML cannot hold', () => {
    const xml = renderXml('service_requests', 'request', [{ description: 'a < b & "c" \u0001 \uFFFE' }]);
    expect(xml).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(parser.parse(xml).service_requests.request[0].description).toBe('a < b & "c"');
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 50 }), (s) => {
      const back = parser.parse(renderXml('r', null, { d: `x${s}x` })).r.d as string;
      expect(back.startsWith('x') && back.endsWith('x')).toBe(true);
    }));
  });
  it('renders errors in the spec’s shape', () => {
    expect(JSON.parse(renderErrors('json', 403, ['api_key 无效']))).toEqual([{ code: 403, description: 'api_key 无效' }]);
    expect(parser.parse(renderErrors('xml', 404, ['no', 'such'])).errors.error).toEqual([{ code: '404', description: 'no' }, { code: '404', description: 'such' }]);
  });
});

describe('small rules', () => {
  it('puts a Chinese family name first, others given name first', () => {
    expect(fullName('三', '张')).toBe('张三');
    expect(fullName('Ada', 'Lovelace')).toBe('Ada Lovelace');
    expect(fullName('', '张')).toBe('张');
  });
  it('takes http(s) media URLs only', () => {
    expect(checkMediaUrl('')).toEqual({ url: null });
    expect(checkMediaUrl('https://cdn.example.org/a.jpg')).toEqual({ url: 'https://cdn.example.org/a.jpg' });
    expect(checkMediaUrl('javascript:alert(1)')).toHaveProperty('error');
  });
  it('says what happens next with the category’s time limit', () => {
    expect(serviceNotice(3, 'work_day')).toContain('3 个工作日');
    expect(serviceNotice(null, null)).toContain('已收到');
  });
});
