import { describe, expect, it } from 'vitest';
import { newPinProblem } from '../../src/domain/secrets';
import { shiftRecords } from '../../src/domain/shift';
import { deviceConfig } from '../fixtures/device-config';

const ids = () => {
  let n = 0;
  return () => `0192f0a4-3b7d-7c35-9a51-00000000000${++n}`;
};
const clock = () => ({ now: 1_764_000_000_000, newId: ids() });
const summary = (
  records: { kind: string; data: unknown; checkpointId: string; volunteer: unknown }[],
) =>
  records.map(({ kind, data, checkpointId, volunteer }) => ({
    kind,
    data,
    checkpointId,
    volunteer,
  }));

describe('the shift records a change of configuration implies', () => {
  it('starts the first volunteer’s shift', () => {
    const made = shiftRecords(undefined, deviceConfig, clock());
    expect(made.ok && summary(made.value)).toEqual([
      {
        kind: 'shift',
        data: { action: 'start' },
        checkpointId: 'lj-03',
        volunteer: { name: '李红', phone: '13800138000' },
      },
    ]);
  });

  it('ends the shift before when another volunteer or checkpoint takes over, and nothing else', () => {
    const next = { ...deviceConfig, volunteer: { name: '王芳' } };
    const made = shiftRecords(deviceConfig, next, clock());
    expect(made.ok && summary(made.value)).toEqual([
      {
        kind: 'shift',
        data: { action: 'end' },
        checkpointId: 'lj-03',
        volunteer: { name: '李红', phone: '13800138000' },
      },
      {
        kind: 'shift',
        data: { action: 'start' },
        checkpointId: 'lj-03',
        volunteer: { name: '王芳' },
      },
    ]);
    const moved = shiftRecords(
      deviceConfig,
      { ...deviceConfig, checkpoint: { id: 'lj-04', name: '南门' } },
      clock(),
    );
    expect(moved.ok && moved.value.map((record) => record.checkpointId)).toEqual([
      'lj-03',
      'lj-04',
    ]);
    expect(shiftRecords(deviceConfig, { ...deviceConfig, deviceName: '改名' }, clock())).toEqual({
      ok: true,
      value: [],
    });
  });

  it('refuses by field a volunteer the records cannot carry', () => {
    const made = shiftRecords(deviceConfig, { ...deviceConfig, volunteer: { name: '' } }, clock());
    expect(made).toEqual({
      ok: false,
      issues: [{ field: 'volunteer.name', rule: 'required', params: {} }],
    });
  });
});

describe('a new PIN', () => {
  it('needs its digits (4 for the volunteer, 6 for the admin), typed the same twice', () => {
    expect(newPinProblem('shift', '2468', '2468')).toBeUndefined();
    expect(newPinProblem('shift', '246', '246')).toBe('short');
    expect(newPinProblem('shift', '24a8', '24a8')).toBe('short');
    expect(newPinProblem('shift', '2468', '2469')).toBe('mismatch');
    expect(newPinProblem('admin', '24680', '24680')).toBe('short');
    expect(newPinProblem('admin', '135790', '135790')).toBeUndefined();
    expect(newPinProblem('admin', '', '')).toBe('short');
  });
});
