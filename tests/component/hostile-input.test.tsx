import { fireEvent, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { LogScreen } from '../../src/app/log/log-screen';
import { VisitorsScreen } from '../../src/app/visitors/visitors-screen';
import { renderInSession, storedRecords } from './session';

const type = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });

// What a hostile or careless hand types: markup, a script URL, right-to-left text, emoji.
const PAYLOADS = {
  name: '<img src=x onerror=alert(1)>',
  region: 'javascript:alert(document.cookie)',
  visiting: '\u202Eعربي 3栋 501\u202C',
  purpose: '探亲 👨‍👩‍👧 <script>alert(2)</script>',
};

describe('text people type', () => {
  it('is stored exactly and shown as text, never as markup', async () => {
    const { db, unmount } = renderInSession(<VisitorsScreen />);
    await screen.findByLabelText('姓名');
    type('姓名', PAYLOADS.name);
    fireEvent.change(screen.getByLabelText('证件类型'), { target: { value: 'none' } });
    type('来自（地区）', PAYLOADS.region);
    type('探访（住户/门牌）', PAYLOADS.visiting);
    type('事由', PAYLOADS.purpose);
    fireEvent.click(screen.getByRole('button', { name: '登记访客' }));
    expect(await screen.findByText(`访客 ${PAYLOADS.name} 已登记`)).toBeTruthy();
    const [visitor] = await storedRecords(db);
    expect(visitor?.data).toEqual({
      name: PAYLOADS.name,
      idType: 'none',
      from: { region: PAYLOADS.region, keyArea: false },
      visiting: PAYLOADS.visiting,
      purpose: PAYLOADS.purpose,
    });
    expect(document.querySelector('img, script')).toBeNull();
    unmount();

    // Today's log over the same records shows the strings as typed.
    const log = renderInSession(<LogScreen />);
    await log.db.records.bulkAdd(await db.records.toArray());
    expect(
      await screen.findAllByText(new RegExp(PAYLOADS.region.replace(/[()]/g, '\\$&'))),
    ).not.toHaveLength(0);
    expect(document.querySelector('img, script, a[href^="javascript"]')).toBeNull();
  });

  it('over a field’s limit is refused naming the limit', async () => {
    const { db } = renderInSession(<VisitorsScreen />);
    await screen.findByLabelText('姓名');
    type('姓名', '王'.repeat(51));
    fireEvent.change(screen.getByLabelText('证件类型'), { target: { value: 'none' } });
    type('来自（地区）', '长沙市');
    type('探访（住户/门牌）', '1栋');
    type('事由', '事'.repeat(101));
    fireEvent.click(screen.getByRole('button', { name: '登记访客' }));
    expect(
      await screen.findByText('姓名：最多 50 个字', { selector: '.field__error' }),
    ).toBeTruthy();
    expect(screen.getByText('事由：最多 100 个字', { selector: '.field__error' })).toBeTruthy();
    expect(await db.records.count()).toBe(0);
  });
});
