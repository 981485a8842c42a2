import { describe, expect, it } from 'vitest';
import { isMainlandMobile, maskMobile, normalizeMobile } from '../../src/domain/phone';
import { isOutOfAreaPlate, isPlate, normalizePlate } from '../../src/domain/plate';

describe('mainland mobile numbers', () => {
  it.each([
    ['13800138000', true],
    ['19912345678', true],
    ['12800138000', false],
    ['1380013800', false],
    ['138001380001', false],
    ['23800138000', false],
    ['1380013800a', false],
  ])('%s → %s', (phone, valid) => {
    expect(isMainlandMobile(phone)).toBe(valid);
  });

  it('normalizes spaces, dashes and the country prefix', () => {
    expect(normalizeMobile('+86 138-0013-8000')).toBe('13800138000');
    expect(normalizeMobile('0086 13800138000')).toBe('13800138000');
  });

  it('masks the middle four digits', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
  });
});

describe('vehicle plates', () => {
  it.each([
    ['湘J12345', true],
    ['湘JA2345', true],
    ['京A0000学', true],
    ['粤B1234挂', true],
    ['湘JD12345', true],
    ['湘JFA1234', true],
    ['湘JF1A345', false],
    ['湘J12345D', true],
    ['湘J12345F', true],
    ['湘J1234', false],
    ['湘J123456', false],
    ['湘I12345', false],
    ['湘JO2345', false],
    ['XJ12345', false],
    ['湘J12345X', false],
    ['湘JD1234', true],
  ])('%s → %s', (plate, valid) => {
    expect(isPlate(plate)).toBe(valid);
  });

  it('normalizes what people type between the parts', () => {
    expect(normalizePlate('湘j·123 45')).toBe('湘J12345');
    expect(normalizePlate('湘J-D12345')).toBe('湘JD12345');
  });

  it.each([
    ['湘J12345', '湘J', false],
    ['湘JD12345', '湘J', false],
    ['湘A12345', '湘J', true],
    ['粤J12345', '湘J', true],
  ])('%s with local prefix %s is out of area: %s', (plate, prefix, out) => {
    expect(isOutOfAreaPlate(plate, prefix)).toBe(out);
  });
});
