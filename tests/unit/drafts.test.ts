import { describe, expect, it } from 'vitest';
import { DeviceConfig } from '../../src/domain/config';
import { configFromDraft, draftFromConfig } from '../../src/domain/config-draft';
import { check } from '../../src/domain/issues';
import { EMPTY_VISITOR, isFromKeyArea, visitorData } from '../../src/domain/visitor';
import { deviceConfig } from '../fixtures/device-config';

const saved: DeviceConfig = {
  ...deviceConfig,
  place: { ...deviceConfig.place, county: { id: '430722', name: '汉寿县' } },
  rules: { feverThreshold: 37.3, duplicateWindowSeconds: 45, retentionDays: 14 },
  hotlines: [{ label: '社区 防控办', number: '0736-2891234' }],
  keyAreas: { asOf: '2026-11-20', regions: ['武汉市', '黄冈市'] },
};

describe('the settings draft', () => {
  it('gives back the same configuration it was made from', () => {
    expect(configFromDraft(draftFromConfig(saved), saved, '2026-11-29')).toEqual(saved);
  });

  it('reads hotlines (the number after the last space) and dates a changed key-area list today', () => {
    const draft = {
      ...draftFromConfig(saved),
      hotlines: '社区 防控办 0736-2891234\n\n县疾控 0736-2812120 \n',
      keyAreas: '武汉市\n黄冈市\n孝感市',
      feverThreshold: '37.5',
      localPlatePrefix: '湘j',
      volunteerPhone: '138 0013 8000',
    };
    const config = configFromDraft(draft, saved, '2026-11-29');
    expect(config.hotlines).toEqual([
      { label: '社区 防控办', number: '0736-2891234' },
      { label: '县疾控', number: '0736-2812120' },
    ]);
    expect(config.keyAreas).toEqual({
      asOf: '2026-11-29',
      regions: ['武汉市', '黄冈市', '孝感市'],
    });
    expect(config.rules).toEqual({
      feverThreshold: 37.5,
      duplicateWindowSeconds: 45,
      retentionDays: 14,
    });
    expect(config.localPlatePrefix).toBe('湘J');
    expect(config.volunteer).toEqual({ name: '李红', phone: '13800138000' });
    expect(check(DeviceConfig, config).ok).toBe(true);
  });

  it('starts a new device with the default rules and no optional fields', () => {
    const draft = {
      ...draftFromConfig(undefined),
      checkpointId: 'lj-03',
      checkpointName: '北门',
      county: '汉寿县',
      township: '龙阳街道',
      community: '东岳社区',
      courtyardId: 'ly-xq',
      courtyardName: '龙阳小区',
      deviceName: '手机',
      volunteerName: '李红',
    };
    expect(configFromDraft(draft, { deviceId: 'dev-0002' }, '2026-11-29')).toEqual({
      deviceId: 'dev-0002',
      deviceName: '手机',
      checkpoint: { id: 'lj-03', name: '北门' },
      place: {
        county: { name: '汉寿县' },
        township: { name: '龙阳街道' },
        community: { name: '东岳社区' },
        courtyard: { id: 'ly-xq', name: '龙阳小区' },
      },
      volunteer: { name: '李红', phone: undefined },
      rules: { feverThreshold: 37.3, duplicateWindowSeconds: 30, retentionDays: 28 },
      hotlines: [],
      localPlatePrefix: undefined,
      keyAreas: undefined,
    });
  });

  it('names every missing field of an empty setup', () => {
    const result = check(
      DeviceConfig,
      configFromDraft(draftFromConfig(undefined), { deviceId: 'dev-0002' }, '2026-11-29'),
    );
    expect(result.ok ? [] : result.issues.map((issue) => `${issue.field} ${issue.rule}`)).toEqual([
      'deviceName required',
      'checkpoint.id required',
      'checkpoint.name required',
      'place.county.name required',
      'place.township.name required',
      'place.community.name required',
      'place.courtyard.id required',
      'place.courtyard.name required',
      'volunteer.name required',
    ]);
  });
});

describe('the visitor draft', () => {
  it('trims, normalizes numbers and leaves empty optional fields out', () => {
    expect(
      visitorData({
        ...EMPTY_VISITOR,
        name: ' 王五 ',
        idNumber: '43010219900307123x',
        phone: '+86 139-1234-5678',
        region: '长沙市 ',
        visiting: '3栋501',
        purpose: '送药',
        plate: '湘a·12345',
      }),
    ).toStrictEqual({
      name: '王五',
      idType: 'resident',
      idNumber: '43010219900307123X',
      phone: '13912345678',
      from: { region: '长沙市', keyArea: false },
      visiting: '3栋501',
      purpose: '送药',
      plate: '湘A12345',
    });
  });

  it('drops a number typed before "no document" was chosen', () => {
    const data = visitorData({
      ...EMPTY_VISITOR,
      idType: 'none',
      idNumber: '123',
      healthCode: 'green',
    });
    expect(data).toStrictEqual({
      name: '',
      idType: 'none',
      from: { region: '', keyArea: false },
      visiting: '',
      purpose: '',
      healthCode: 'green',
    });
  });

  it.each([
    ['湖北省武汉市', true],
    ['湖北 武汉市 江岸区', true],
    ['湖南省长沙市', false],
    ['', false],
  ])('%j is from a key area: %s', (region, expected) => {
    expect(isFromKeyArea(region, { asOf: '2026-11-20', regions: ['武汉市', ''] })).toBe(expected);
  });

  it('knows no key area without a list', () => {
    expect(isFromKeyArea('武汉市', undefined)).toBe(false);
  });
});
