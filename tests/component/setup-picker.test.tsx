import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SetupScreen } from '../../src/app/settings/setup-screen';
import { KadianDB } from '../../src/db/database';
import { readMeta } from '../../src/db/settings';
import type { DeviceConfig, Preset } from '../../src/domain/config';
import { translator } from '../../src/i18n';
import { I18nContext } from '../../src/ui/i18n';

const t = translator('zh-CN');
const type = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });

/** A county's config.json listing its checkpoints, one of them without its place. */
const PRESET: Preset = {
  checkpoints: [
    {
      id: 'lj-03',
      name: '龙阳小区北门',
      place: {
        county: { id: 'hs', name: '汉寿县' },
        township: { id: 'ly', name: '龙阳街道' },
        community: { id: 'dy', name: '东岳社区' },
        courtyard: { id: 'ly-xq', name: '龙阳小区' },
      },
    },
    {
      id: 'zj-01',
      name: '詹家小区东门',
      place: {
        county: { name: '汉寿县' },
        township: { name: '龙阳街道' },
        community: { name: '东岳社区' },
        courtyard: { id: 'zj-xq', name: '詹家小区' },
      },
    },
    { id: 'tmp-9', name: '临时卡点' },
  ],
};

function renderSetup() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) =>
      url === 'config.json' ? Response.json(PRESET) : new Response('', { status: 404 }),
    ),
  );
  const db = new KadianDB(`component-${crypto.randomUUID()}`);
  const done: DeviceConfig[] = [];
  render(
    <I18nContext.Provider value={t}>
      <SetupScreen db={db} t={t} onDone={(config) => done.push(config)} />
    </I18nContext.Provider>,
  );
  return { db, done };
}

function fillVolunteer() {
  type('设备名称', '北门手机');
  type('志愿者姓名', '李红');
  type('值守 PIN（至少 4 位数字，离开时锁屏用）', '2468');
  type('再输入一次值守 PIN', '2468');
}

const advanced = () =>
  screen.getByText('高级：手动填写编号和所属层级').closest('details') as HTMLDetailsElement;

afterEach(() => vi.unstubAllGlobals());

describe('setting a device up by hand', () => {
  it('offers the checkpoints by name, grouped by township and community, with the ids tucked away', async () => {
    renderSetup();
    const picker = (await screen.findByLabelText('你所在的卡点')) as HTMLSelectElement;
    const groups = within(picker).getAllByRole('group');
    expect(groups.map((group) => group.getAttribute('label'))).toEqual(['龙阳街道 · 东岳社区']);
    expect(
      within(groups[0] as HTMLElement)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['龙阳小区北门（龙阳小区）', '詹家小区东门（詹家小区）']);
    expect([...picker.options].map((option) => option.textContent)).toEqual([
      '请选择…',
      '龙阳小区北门（龙阳小区）',
      '詹家小区东门（詹家小区）',
      '临时卡点',
    ]);
    expect(picker.value).toBe('');
    expect(advanced().open).toBe(false);
    expect(advanced().contains(screen.getByLabelText('卡点编号'))).toBe(true);
  });

  it('asks for a checkpoint by name when none is picked', async () => {
    const { done } = renderSetup();
    await screen.findByLabelText('你所在的卡点');
    fillVolunteer();
    fireEvent.click(screen.getByRole('button', { name: '开始值守' }));
    expect(await screen.findByText('卡点：请从列表中选择', { selector: 'li' })).toBeTruthy();
    expect(screen.getByText('卡点：请从列表中选择', { selector: '.field__error' })).toBeTruthy();
    expect(advanced().open).toBe(false);
    expect(done).toEqual([]);
  });

  it('saves the picked checkpoint with its ids and its place, and no list', async () => {
    const { db, done } = renderSetup();
    const picker = await screen.findByLabelText('你所在的卡点');
    fireEvent.change(picker, { target: { value: 'lj-03' } });
    expect((screen.getByLabelText('小区编号') as HTMLInputElement).value).toBe('ly-xq');
    fillVolunteer();
    fireEvent.click(screen.getByRole('button', { name: '开始值守' }));
    await waitFor(() => expect(done).toHaveLength(1));
    const saved = (await readMeta(db, 'config')) as DeviceConfig;
    expect(saved.checkpoint).toEqual({ id: 'lj-03', name: '龙阳小区北门' });
    expect(saved.place).toEqual({
      county: { id: 'hs', name: '汉寿县' },
      township: { id: 'ly', name: '龙阳街道' },
      community: { id: 'dy', name: '东岳社区' },
      courtyard: { id: 'ly-xq', name: '龙阳小区' },
    });
    expect('checkpoints' in saved).toBe(false);
  });

  it('opens the ids and place when one of them must be typed (a checkpoint listed without its place)', async () => {
    const { done } = renderSetup();
    const picker = await screen.findByLabelText('你所在的卡点');
    fireEvent.change(picker, { target: { value: 'tmp-9' } });
    fillVolunteer();
    fireEvent.click(screen.getByRole('button', { name: '开始值守' }));
    expect(await screen.findByText('县（区）：必填', { selector: 'li' })).toBeTruthy();
    expect(advanced().open).toBe(true);
    type('县（区）', '汉寿县');
    type('乡镇（街道）', '龙阳街道');
    type('社区（村）', '东岳社区');
    type('小区编号', 'tmp-xq');
    type('小区（院落）', '临时安置点');
    fireEvent.click(screen.getByRole('button', { name: '开始值守' }));
    await waitFor(() => expect(done).toHaveLength(1));
    expect(done[0]?.checkpoint).toEqual({ id: 'tmp-9', name: '临时卡点' });
    expect(done[0]?.place.courtyard).toEqual({ id: 'tmp-xq', name: '临时安置点' });
  });
});
