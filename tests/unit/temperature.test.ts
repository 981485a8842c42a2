import { describe, expect, it } from 'vitest';
import { checkCelsius, isFever, keypadInput, parseCelsius } from '../../src/domain/temperature';

describe('checkCelsius', () => {
  it.each([
    [36.6, null],
    [34.0, null],
    [43.0, null],
    [33.9, { rule: 'temperature-range', params: { min: '34.0', max: '43.0' } }],
    [43.1, { rule: 'temperature-range', params: { min: '34.0', max: '43.0' } }],
    [36.65, { rule: 'temperature-format' }],
    [Number.NaN, { rule: 'temperature-format' }],
    [Number.POSITIVE_INFINITY, { rule: 'temperature-format' }],
  ])('%s → %j', (celsius, expected) => {
    expect(checkCelsius(celsius)).toEqual(expected);
  });
});

describe('parseCelsius', () => {
  it.each([
    ['36.6', 36.6],
    ['36,6', 36.6],
    [' 37 ', 37],
    ['38.2', 38.2],
    ['36.65', null],
    ['3', null],
    ['abc', null],
    ['', null],
    ['-36.6', null],
  ])('%j → %s', (text, expected) => {
    expect(parseCelsius(text)).toBe(expected);
  });
});

describe('isFever', () => {
  it.each([
    [37.2, 37.3, false],
    [37.3, 37.3, true],
    [38.2, 37.3, true],
    [37.4, 37.5, false],
    [37.5, 37.5, true],
    // 0.1 + 37.2 is 37.300000000000004 in floating point; comparing in tenths keeps it a fever.
    [0.1 + 37.2, 37.3, true],
  ])('%s at threshold %s → %s', (celsius, threshold, fever) => {
    expect(isFever(celsius, threshold)).toBe(fever);
  });

  it('uses 37.3 when no threshold is configured', () => {
    expect(isFever(37.3)).toBe(true);
    expect(isFever(37.2)).toBe(false);
  });
});

describe('keypadInput', () => {
  it('implies the decimal point after two digits', () => {
    const typed = ['3', '8', '2'].reduce(keypadInput, '');
    expect(typed).toBe('38.2');
  });
  it.each([
    ['', '3', '3'],
    ['3', '6', '36'],
    ['36', '5', '36.5'],
    ['36.5', '9', '9'],
    ['36.5', '⌫', '36'],
    ['36', '⌫', '3'],
    ['', '⌫', ''],
  ])('%j then %j → %j', (current, key, expected) => {
    expect(keypadInput(current, key)).toBe(expected);
  });
});
