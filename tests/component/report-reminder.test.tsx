import { screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PlaceLine } from '../../src/app/report/report-reminder';
import { saveRecords } from '../../src/db/records';
import { makeRecord } from '../../src/domain/make-record';
import { emptyCounts } from '../../src/domain/roll-up';
import { renderInSession, testConfig } from './session';

afterEach(() => vi.useRealTimers());

const at = (time: string) => new Date(`2026-12-04T${time}`);

describe('the daily report’s reminder at the gate', () => {
  it('shows from an hour before the deadline in the place line, until today’s report is made', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: at('18:59:00') });
    const config = { ...testConfig, rules: { ...testConfig.rules, reportDeadline: '20:00' } };
    const early = renderInSession(<PlaceLine />, { config });
    await screen.findByText('龙阳小区北门');
    expect(screen.queryByRole('link')).toBeNull();
    early.unmount();

    vi.setSystemTime(at('19:00:00'));
    const { unmount } = renderInSession(<PlaceLine />, { config });
    const link = await screen.findByRole('link', { name: '日报 20:00 截止，未提交' });
    expect(link.getAttribute('href')).toBe('#/report');
    expect(document.querySelector('.topbar__place')?.textContent).toBe(
      '日报 20:00 截止，未提交 · 李红',
    );
    unmount();

    vi.setSystemTime(at('20:01:00'));
    const late = renderInSession(<PlaceLine />, { config });
    await screen.findByRole('link', { name: '日报已过 20:00，请提交' });
    const made = makeRecord(
      { config, now: Date.now(), newId: () => '0192f0a4-3b7d-7c35-9a51-000000000001' },
      'daily-report',
      {
        date: '2026-12-04',
        place: {
          county: '汉寿县',
          township: '龙阳街道',
          community: '东岳社区',
          courtyard: '龙阳小区',
        },
        counts: emptyCounts(),
        zero: true,
        volunteers: [{ name: '李红' }],
      },
    );
    if (!made.ok) throw new Error('invalid');
    await saveRecords(late.db, [made.value]);
    await waitFor(() => expect(screen.queryByRole('link')).toBeNull());
    expect(document.querySelector('.topbar__place')?.textContent).toBe('龙阳小区北门 · 李红');
  });
});
