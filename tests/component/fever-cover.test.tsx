import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { KadianDB } from '../../src/db/database';
import { kd1 } from '../fixtures/passes';
import { appWithFever, storedRecords } from './session';

// A camera whose frames the test plays: each call is one decoded frame.
const camera = vi.hoisted(() => ({ frame: (_text: string) => {} }));
vi.mock('../../src/scan/camera', () => ({
  startCamera: vi.fn(async (_element: string, onDecoded: (text: string) => void) => {
    camera.frame = onDecoded;
    return { stop: async () => {}, pause: () => {}, cameras: [] };
  }),
  decodeImageFile: vi.fn(async () => null),
}));

const tap = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

async function scansStored() {
  const db = new KadianDB();
  const records = await storedRecords(db);
  db.close();
  return records
    .filter((record) => record.kind === 'pass-scan')
    .map((record) => (record.data as { passId?: string }).passId);
}

describe('a fever alert opened from the header', () => {
  it('lets the camera decide nothing under it, and read again once it closes', async () => {
    await appWithFever();
    tap('稍后处置');
    tap('打开摄像头扫码');
    await screen.findByRole('button', { name: '关闭摄像头' });

    fireEvent.click(await screen.findByRole('button', { name: '1 人发热待处置' }));
    await screen.findByRole('alert');
    // Held up while the volunteer deals with the fever: not decided behind the alert.
    camera.frame(kd1('a1b2c3d4-000101', 'hh-0101'));
    tap('稍后处置');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    // Decisions are taken one at a time in order: had the first card been decided, it would be first.
    camera.frame(kd1('a1b2c3d4-000102', 'hh-0102'));
    await waitFor(async () => expect(await scansStored()).toEqual(['a1b2c3d4-000102']));
  });
});
