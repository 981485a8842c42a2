import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IsolationScreen } from '../../src/app/isolation/isolation-screen';
import { IsolationWatch } from '../../src/app/office/isolation-watch';
import { KadianDB } from '../../src/db/database';
import { saveRecords } from '../../src/db/records';
import { readMeta } from '../../src/db/settings';
import { makeRecord } from '../../src/domain/make-record';
import type { RecordData, RecordKind, RecordOfKind } from '../../src/domain/records';
import { deviceConfig } from '../fixtures/device-config';
import { appWithFever, renderInSession, storedRecords } from './session';

afterEach(() => {
  vi.useRealTimers();
  window.location.hash = '';
});

let serial = 0;
const newId = () => `0192f0a4-3b7d-7c35-9a51-${String(++serial).padStart(12, '0')}`;
const at = (day: number, time: string) =>
  new Date(`2026-12-${String(day).padStart(2, '0')}T${time}`).getTime();

function make<K extends RecordKind>(now: number, kind: K, data: RecordData<K>) {
  const made = makeRecord({ config: deviceConfig, now, newId }, kind, data);
  if (!made.ok) throw new Error(JSON.stringify(made.issues));
  return made.value as RecordOfKind<K>;
}

const household = (address: string, startDay: string, members = ['张三丰', '张翠山', '殷素素']) =>
  make(at(1, '08:00:00'), 'isolation-start', {
    address,
    members: members.map((name) => ({ name })),
    phone: '13912345678',
    startDay,
    days: 14,
    reason: '密切接触者',
    responsible: { checkpointId: deviceConfig.checkpoint.id },
  });

const checkIn = (start: RecordOfKind<'isolation-start'>, now: number) =>
  make(now, 'isolation-check-in', {
    isolationId: start.id,
    symptomatic: false,
    how: 'door',
    reporter: '张三丰',
    readings: start.data.members.map((_, member) => ({ member, celsius: 36.5, symptoms: [] })),
  });

const type = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
const tap = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

/** Three households on the 14th: one done today, one not checked in yet, one on its last day. */
async function fortnight(db: KadianDB) {
  const done = household('1栋101', '2026-12-05');
  const due = household('2栋202', '2026-12-05');
  const last = household('3栋303', '2026-12-01');
  await saveRecords(db, [
    done,
    due,
    last,
    checkIn(done, at(14, '08:00:00')),
    checkIn(done, at(14, '09:00:00')),
    checkIn(due, at(13, '09:00:00')),
  ]);
  return { done, due, last };
}

describe('the isolation screen', () => {
  it('lists households due first, then missed after the cutoff with a door to knock on and a number to call, then done', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at(14, '19:59:00'));
    const { db } = renderInSession(<IsolationScreen />);
    const { due } = await fortnight(db);
    await screen.findByRole('heading', { name: '待打卡 · 2' });
    const groups = () => screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(groups()).toEqual(['待打卡 · 2', '已打卡 · 1']);
    expect(screen.queryByText('请上门敲门查看，或打电话：')).toBeNull();

    // Past the cutoff, the households not checked in today are missed (the one on its last day
    // too: it cannot be released without that day's check-in).
    vi.setSystemTime(at(14, '20:00:00'));
    await saveRecords(db, [checkIn(due, at(12, '09:00:00'))]);
    await waitFor(() => expect(groups()).toEqual(['未报 · 2', '已打卡 · 1']));
    const missed = screen.getByRole('link', { name: /2栋202/ }).closest('li') as HTMLElement;
    expect(within(missed).getByText('请上门敲门查看，或打电话：')).toBeTruthy();
    const call = within(missed).getByRole('link', { name: '打电话 139****5678' });
    expect(call.getAttribute('href')).toBe('tel:13912345678');
    // From 5 December, checked in on the 12th and 13th only: 5–11 and today missed.
    expect(
      within(missed).getByText('3 人 · 第 10 天 · 到 2026\u201112\u201118 · 未报 8 天'),
    ).toBeTruthy();
  });

  it('checks a household in with everyone as the first member, and raises the alert for a fever', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at(14, '10:00:00'));
    const { db } = renderInSession(<IsolationScreen />);
    const { due } = await fortnight(db);
    window.location.hash = `#/isolation/${due.id}`;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await screen.findByRole('heading', { name: '2栋202' });
    const [first] = screen.getAllByLabelText('体温');
    fireEvent.input(first as HTMLElement, { target: { value: '36.7' } });
    const [firstMember] = screen.getAllByRole('group', { name: '张三丰' });
    fireEvent.click(within(firstMember as HTMLElement).getByRole('button', { name: '咳嗽' }));
    tap('全家和张三丰一样');
    tap('电话');
    tap('保存打卡');
    await screen.findByText('10:00 已打卡');
    const saved = (await storedRecords(db)).at(-1);
    expect(saved?.data).toEqual({
      isolationId: due.id,
      symptomatic: false,
      how: 'phone',
      reporter: '张三丰',
      readings: [0, 1, 2].map((member) => ({ member, celsius: 36.7, symptoms: ['cough'] })),
    });
    expect(await db.express.count()).toBe(0);

    // A fever for one member: the check-in travels in the alert lane, and its state is shown.
    const [, second] = screen.getAllByLabelText('体温');
    for (const field of screen.getAllByLabelText('体温'))
      fireEvent.input(field, { target: { value: '36.5' } });
    fireEvent.input(second as HTMLElement, { target: { value: '38.1' } });
    tap('保存打卡');
    await screen.findByText('10:00 已打卡：有发热或呼吸困难，已报告值班人员');
    const alerted = (await storedRecords(db)).at(-1) as RecordOfKind<'isolation-check-in'>;
    expect(alerted.data.symptomatic).toBe(true);
    expect((await db.express.toArray()).map((entry) => entry.recordId)).toEqual([alerted.id]);
    expect(await screen.findByText('警报：10:00 已存本机，正在送往值班…')).toBeTruthy();
  });

  it('keeps a check-in being typed through a reload, and forgets it once saved', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at(14, '10:00:00'));
    const { db, unmount, rerenderInSession } = renderInSession(<IsolationScreen />);
    const { due } = await fortnight(db);
    window.location.hash = `#/isolation/${due.id}`;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await screen.findByRole('heading', { name: '2栋202' });
    fireEvent.input(screen.getAllByLabelText('体温')[2] as HTMLElement, {
      target: { value: '37.0' },
    });
    tap('电话');
    await waitFor(async () =>
      expect(await readMeta(db, `draft:check-in:${due.id}`)).toMatchObject({ how: 'phone' }),
    );
    unmount();
    rerenderInSession(<IsolationScreen />);
    await waitFor(() =>
      expect((screen.getAllByLabelText('体温')[2] as HTMLInputElement).value).toBe('37.0'),
    );
    expect(screen.getByRole('button', { name: '电话' }).getAttribute('aria-pressed')).toBe('true');
    for (const [i, field] of screen.getAllByLabelText('体温').entries())
      if (i < 2) fireEvent.input(field, { target: { value: '36.6' } });
    tap('保存打卡');
    await screen.findByText('10:00 已打卡');
    expect(await readMeta(db, `draft:check-in:${due.id}`)).toBeUndefined();
  });

  it('refuses a completed release without the last day’s check-in, and releases once it is made', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at(14, '10:00:00'));
    const { db } = renderInSession(<IsolationScreen />);
    const { last } = await fortnight(db);
    window.location.hash = `#/isolation/${last.id}`;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await screen.findByRole('heading', { name: '3栋303' });
    tap('解除');
    expect(screen.getByText('期满解除要先在最后一天（2026-12-14）打卡。')).toBeTruthy();
    expect(screen.getByRole('button', { name: '解除隔离' }).hasAttribute('disabled')).toBe(true);

    await saveRecords(db, [checkIn(last, at(14, '09:30:00'))]);
    // Now due for release: the household's page opens on the release form.
    await waitFor(() => expect(screen.queryByText(/期满解除要先/)).toBeNull());
    type('原因', '期满，无症状');
    tap('解除隔离');
    await waitFor(() => expect(window.location.hash).toBe('#/isolation'));
    const end = (await storedRecords(db)).at(-1);
    expect(end?.kind).toBe('isolation-end');
    expect(end?.data).toEqual({
      isolationId: last.id,
      outcome: 'completed',
      reason: '期满，无症状',
    });
  });

  it('tells the office of a household at any gate that went quiet two days running, not of one that missed today only', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at(14, '20:30:00'));
    const { db } = renderInSession(<IsolationWatch />);
    const elsewhere = make(at(1, '08:00:00'), 'isolation-start', {
      ...household('8栋808', '2026-12-05').data,
      responsible: { checkpointId: 'cg-01' },
    });
    await fortnight(db);
    await saveRecords(db, [elsewhere, checkIn(elsewhere, at(12, '09:00:00'))]);
    // 2栋202 checked in on the 13th: today only is missed. 8栋808 last checked in on the 12th.
    const item = await screen.findByText('8栋808');
    expect(item.closest('li')?.textContent).toBe(
      '8栋808 cg-01 · 张*丰 · 共未报 9 天 打电话 139****5678',
    );
    expect(screen.queryByText('2栋202')).toBeNull();
  });

  it('starts an isolation by hand, naming the field a wrong phone number breaks', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at(3, '15:00:00'));
    window.location.hash = '#/isolation/new';
    const { db } = renderInSession(<IsolationScreen />);
    await screen.findByLabelText('门牌（如 3栋2单元501）');
    type('门牌（如 3栋2单元501）', '7栋2单元702');
    type('姓名', '周芷若');
    tap('加一人');
    fireEvent.input(screen.getAllByLabelText('姓名')[1] as HTMLElement, {
      target: { value: '宋青书' },
    });
    type('手机号', '1391234');
    type('原因', '外地返回');
    tap('开始隔离');
    // Under the field and in the summary of what to correct.
    expect(await screen.findAllByText('手机号：应为 11 位手机号，1 开头')).toHaveLength(2);
    expect(await db.records.count()).toBe(0);
    type('手机号', '139 1234 5678');
    tap('开始隔离');
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/isolation\/0/));
    const [start] = await storedRecords(db);
    expect(start?.data).toEqual({
      address: '7栋2单元702',
      members: [{ name: '周芷若' }, { name: '宋青书' }],
      phone: '13912345678',
      startDay: '2026-12-03',
      days: 14,
      reason: '外地返回',
      responsible: { checkpointId: 'lj-03', volunteer: deviceConfig.volunteer.name },
    });
  });

  it('offers the isolation form at the gate once a fever is recorded as isolated at home', async () => {
    const alert = await appWithFever();
    expect(within(alert).queryByRole('link', { name: '登记居家隔离' })).toBeNull();
    fireEvent.click(within(alert).getByRole('button', { name: '已就地隔离' }));
    const link = await screen.findByRole('link', { name: '登记居家隔离' });
    const [fever] = (await storedRecords(new KadianDB())).filter(
      (record) => record.kind === 'temperature',
    );
    expect(link.getAttribute('href')).toBe(`#/isolation/new/${fever?.id}`);
    // Following it closes the alert: the follow-up is recorded, the form takes the screen.
    fireEvent.click(link);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('starts from a fever’s “isolated at home” with the person and the reason filled in', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at(3, '15:00:00'));
    const fever = make(at(3, '14:50:00'), 'temperature', {
      subject: { type: 'visitor', name: '赵敏' },
      celsius: 38.4,
      method: 'forehead',
      fever: true,
    });
    const { db } = renderInSession(<IsolationScreen />);
    await saveRecords(db, [fever]);
    window.location.hash = `#/isolation/new/${fever.id}`;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await waitFor(() =>
      expect((screen.getByLabelText('姓名') as HTMLInputElement).value).toBe('赵敏'),
    );
    expect((screen.getByLabelText('原因') as HTMLInputElement).value).toBe(
      '卡口测温 38.4 °C，居家隔离',
    );
    type('门牌（如 3栋2单元501）', '9栋901');
    type('手机号', '13800138000');
    tap('开始隔离');
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/isolation\/0/));
    const start = (await storedRecords(db)).find((record) => record.kind === 'isolation-start');
    expect(start?.data).toMatchObject({ members: [{ name: '赵敏' }], feverId: fever.id });
  });
});
