import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportRows } from '../../src/app/report/report-export';
import { ReportScreen } from '../../src/app/report/report-screen';
import { saveRecords } from '../../src/db/records';
import { dayInput } from '../../src/db/report';
import { parseCsv, toCsv } from '../../src/domain/csv';
import { summarizeDay } from '../../src/domain/daily-summary';
import { localDay } from '../../src/domain/day';
import { translator } from '../../src/i18n';
import { dayOfRecords } from '../fixtures/day-of-records';
import { renderInSession, storedRecords } from './session';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-29T09:00:00') });
});
afterEach(() => vi.useRealTimers());

const pickDay = async (date: string) =>
  fireEvent.change(await screen.findByLabelText('日期'), { target: { value: date } });

describe('ReportScreen', () => {
  it('shows the day’s numbers from the stored records, warns of what is not uploaded, and submits them', async () => {
    const day = dayOfRecords(7);
    const { db } = renderInSession(<ReportScreen />, { config: day.config });
    await saveRecords(db, day.records);
    await pickDay(day.date);

    await waitFor(() =>
      expect(document.querySelector('[data-count="passesIn"] td')?.textContent).toBe(
        String(day.expected.counts.passesIn),
      ),
    );
    for (const [key, value] of Object.entries(day.expected.counts)) {
      if (key === 'deniedByReason') continue;
      expect([key, document.querySelector(`[data-count="${key}"] td`)?.textContent]).toEqual([
        key,
        String(value),
      ]);
    }
    const ofTheDay = day.records.filter((record) => localDay(record.recordedAt) === day.date);
    expect(
      screen.getByText(
        `这一天还有 ${ofTheDay.length} 条记录没上传，上级看到的汇总会少这些。请联网后到“上传”页上传。`,
      ),
    ).toBeTruthy();
    expect(screen.getByText(`还有 ${ofTheDay.length} 条记录未上传`, { exact: false })).toBeTruthy();
    expect(
      screen.getByText(day.expected.zero ? '零报告：今日无发热，无异常。' : /^今日有异常/),
    ).toBeTruthy();
    expect(screen.getByText('李红')).toBeTruthy();
    expect(screen.getByText('王小明')).toBeTruthy();
    // Names are masked on the report: every person cell shows a first character and stars.
    const people = [...document.querySelectorAll('.report__person')].map(
      (cell) => cell.textContent,
    );
    expect(people.length).toBeGreaterThan(0);
    for (const person of people) expect(person).toMatch(/^[住访]\*+\d$/);

    fireEvent.input(screen.getByLabelText('备注 （选填）'), {
      target: { value: '北门下午停电一小时' },
    });
    fireEvent.click(screen.getByRole('button', { name: '提交日报' }));
    expect(await screen.findByText(`${day.date} 的日报已提交，会优先上传。`)).toBeTruthy();
    const reports = (await storedRecords(db)).filter((record) => record.kind === 'daily-report');
    expect(reports.map((record) => record.data)).toEqual([
      {
        date: day.date,
        place: {
          county: '汉寿县',
          township: '龙阳街道',
          community: '东岳社区',
          courtyard: '龙阳小区',
        },
        counts: day.expected.counts,
        zero: day.expected.zero,
        volunteers: day.expected.volunteers.map((name) => ({ name })),
        note: '北门下午停电一小时',
      },
    ]);
    expect(await screen.findByText('这一天已提交过 1 次；再提交以最新的为准。')).toBeTruthy();
  });

  it('says zero plainly on a quiet day and offers no warning once everything is uploaded', async () => {
    const { db } = renderInSession(<ReportScreen />);
    expect(await screen.findByText('零报告：今日无发热，无异常。')).toBeTruthy();
    expect(screen.queryByText(/没上传/)).toBeNull();
    expect(screen.getByText('记录已全部上传', { exact: false })).toBeTruthy();
    expect(await db.records.count()).toBe(0);
  });

  it('exports a CSV that reads back to the same numbers', async () => {
    const day = dayOfRecords(11);
    const { db } = renderInSession(<ReportScreen />, { config: day.config });
    await saveRecords(db, day.records);
    const summary = summarizeDay(await dayInput(db, 'lj-03', day.date, '湘J'));
    const csv = toCsv(
      reportRows(translator('zh-CN'), {
        summary,
        place: {
          county: '汉寿县',
          township: '龙阳街道',
          community: '东岳社区',
          courtyard: '龙阳小区',
        },
        checkpoint: { id: 'lj-03', name: '龙阳小区北门' },
        deviceName: '北门手机',
        note: '=1+1',
        unsent: 3,
      }),
    );
    const rows = new Map(parseCsv(csv).map(({ cells }) => [cells[0], cells[2]]));
    const { deniedByReason, ...counts } = day.expected.counts;
    for (const [key, value] of Object.entries(counts))
      expect([key, rows.get(key)]).toEqual([key, String(value)]);
    for (const [reason, value] of Object.entries(deniedByReason))
      expect(rows.get(`deniedByReason.${reason}`)).toBe(String(value));
    expect(rows.get('zero')).toBe(day.expected.zero ? '是' : '否');
    expect(rows.get('note')).toBe("'=1+1");
    expect(rows.get('unsent')).toBe('3');
  });
});

describe('a day that is not a zero-report', () => {
  it('names every reason with its count, on screen, in the CSV and on the picture', async () => {
    const { makeRecord } = await import('../../src/domain/make-record');
    const { verdictLine } = await import('../../src/ui/daily-report');
    const { deviceConfig } = await import('../fixtures/device-config');
    const made = (healthCode: 'yellow' | 'red' | 'green', keyArea = false) => {
      const record = makeRecord(
        { config: deviceConfig, now: Date.now(), newId: () => crypto.randomUUID() },
        'visitor-in',
        {
          name: '王五',
          idType: 'none',
          from: { region: keyArea ? '武汉市' : '长沙市', keyArea },
          visiting: '3栋',
          purpose: '探亲',
          healthCode,
        },
      );
      if (!record.ok) throw new Error('invalid');
      return record.value;
    };
    const { db } = renderInSession(<ReportScreen />);
    await saveRecords(db, [made('red'), made('yellow'), made('green', true), made('green')]);
    await pickDay('2026-11-29');
    const line = '今日有异常：来自重点地区的访客 1 人；黄码或红码的访客 2 人。';
    expect(await screen.findByText(line)).toBeTruthy();
    expect(
      document.querySelector('[data-count="visitorsWithFlaggedHealthCode"] td')?.textContent,
    ).toBe('2');

    const t = translator('zh-CN');
    const summary = summarizeDay(await dayInput(db, 'lj-03', '2026-11-29'));
    const rows = reportRows(t, {
      summary,
      place: { county: '县', township: '镇', community: '社区', courtyard: '小区' },
      checkpoint: { id: 'lj-03', name: '北门' },
      deviceName: '手机',
      note: '',
      unsent: 0,
    });
    expect(rows.filter(([key]) => String(key).startsWith('abnormal.'))).toEqual([
      ['abnormal.visitorsFromKeyAreas', '异常', '来自重点地区的访客 1 人'],
      ['abnormal.visitorsWithFlaggedHealthCode', '异常', '黄码或红码的访客 2 人'],
    ]);
    // The picture's first line is the same sentence, and it points at nothing it does not carry.
    expect(verdictLine(t, summary)).toBe(line);
    expect(summary.zero).toBe(false);
  });
});
