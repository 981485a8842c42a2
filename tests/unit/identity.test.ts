import { describe, expect, it } from 'vitest';
import {
  checkIdNumber,
  checkResidentId,
  maskIdNumber,
  normalizeIdNumber,
  residentIdCheckCharacter,
} from '../../src/domain/identity';

const today = new Date(2026, 10, 29);

describe('residentIdCheckCharacter', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['43010219900307123', '4'],
    ['11010120000101000', '2'],
  ])('gives %s the check character %s', (first17, expected) => {
    expect(residentIdCheckCharacter(first17)).toBe(expected);
  });
});

describe('checkResidentId', () => {
  it.each([
    ['11010519491231002X', null],
    // GB 11643's own second example: a valid checksum, but born 1880, so not a living visitor.
    ['440524188001010014', { rule: 'id-birth-date' }],
    ['430102199003071234', null],
    ['430102199003071235', { rule: 'id-check-character', params: { expected: '4' } }],
    ['11010519491231002x', { rule: 'id-characters' }],
    ['43010219900307123', { rule: 'id-length', params: { length: 18 } }],
    ['4301021990030712345', { rule: 'id-length', params: { length: 18 } }],
    ['43010219900307123A', { rule: 'id-characters' }],
    ['03010219900307123X', { rule: 'id-region' }],
    ['430102199002301234', { rule: 'id-birth-date' }],
    ['430102189912311234', { rule: 'id-birth-date' }],
    ['430102202712011234', { rule: 'id-birth-date' }],
  ])('%s → %j', (id, expected) => {
    expect(checkResidentId(id, today)).toEqual(expected);
  });

  it('accepts someone born today and refuses tomorrow', () => {
    const born = (ymd: string) => `430102${ymd}123`;
    const id = (ymd: string) => born(ymd) + residentIdCheckCharacter(born(ymd));
    expect(checkResidentId(id('20261129'), today)).toBeNull();
    expect(checkResidentId(id('20261130'), today)).toEqual({ rule: 'id-birth-date' });
  });
});

describe('checkIdNumber', () => {
  it.each([
    ['hk-macau', 'H12345678', null],
    ['hk-macau', 'M1234567890', null],
    ['hk-macau', 'H123456789', { rule: 'permit-hk-macau' }],
    ['hk-macau', 'K12345678', { rule: 'permit-hk-macau' }],
    ['taiwan', '12345678', null],
    ['taiwan', '1234567', { rule: 'permit-taiwan' }],
    ['taiwan', 'T1234567', { rule: 'permit-taiwan' }],
    ['passport', 'E12345678', null],
    ['passport', 'AB123', null],
    ['passport', 'AB12', { rule: 'passport' }],
    ['passport', 'A23456789012345678', { rule: 'passport' }],
    ['passport', 'E1234567!', { rule: 'passport' }],
    ['resident', undefined, { rule: 'required' }],
    ['passport', '', { rule: 'required' }],
    ['none', undefined, null],
    ['none', '12345678', { rule: 'id-not-needed' }],
  ] as const)('%s %s → %j', (type, id, expected) => {
    expect(checkIdNumber(type, id, today)).toEqual(expected);
  });
});

describe('normalizeIdNumber and maskIdNumber', () => {
  it('drops spaces and dashes and upper-cases the check character', () => {
    expect(normalizeIdNumber(' 110105 19491231 002x ')).toBe('11010519491231002X');
    expect(normalizeIdNumber('e-1234 5678')).toBe('E12345678');
  });
  it('masks all but the first and last four characters', () => {
    expect(maskIdNumber('43010219900307123X')).toBe('4301**********123X');
    expect(maskIdNumber('H12345678')).toBe('H123*5678');
    expect(maskIdNumber('12345678')).toBe('1******8');
  });
});
