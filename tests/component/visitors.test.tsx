import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { VisitorsScreen } from '../../src/app/visitors/visitors-screen';
import { readMeta } from '../../src/db/settings';
import { generateDataKey, importDataKey, openPersonalData } from '../../src/domain/data-key';
import { deviceConfig } from '../fixtures/device-config';
import { renderInSession, storedRecords } from './session';

const type = (label: string, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });

async function fillVisitor(idNumber: string) {
  await screen.findByLabelText('姓名');
  type('姓名', '王五');
  type('证件号码', idNumber);
  type('手机号 （选填）', '139 1234 5678');
  type('来自（地区）', '湖南省长沙市');
  type('探访（住户/门牌）', '3栋2单元501');
  type('事由', '送药');
  type('车牌号 （选填）', '湘a 12345');
}

describe('VisitorsScreen', () => {
  it('refuses a wrong ID check character with a message under the field, then saves the right one', async () => {
    const { db } = renderInSession(<VisitorsScreen />);
    await fillVisitor('430102199003071235');
    fireEvent.click(screen.getByRole('button', { name: '登记访客' }));
    const idInput = await screen.findByLabelText('证件号码');
    await waitFor(() => expect(idInput.getAttribute('aria-invalid')).toBe('true'));
    const message = '证件号码：校验位（最后一位）不对，请核对号码';
    expect(
      document.getElementById(idInput.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toBe(message);
    expect(within(screen.getByRole('alert')).getByText(message)).toBeTruthy();
    expect(await db.records.count()).toBe(0);

    type('证件号码', '430102199003071234');
    fireEvent.click(screen.getByRole('button', { name: '登记访客' }));
    expect(await screen.findByText('访客 王五 已登记')).toBeTruthy();
    const [visitor] = await storedRecords(db);
    expect(visitor?.data).toEqual({
      name: '王五',
      idType: 'resident',
      idNumber: '430102199003071234',
      phone: '13912345678',
      from: { region: '湖南省长沙市', keyArea: false },
      visiting: '3栋2单元501',
      purpose: '送药',
      plate: '湘A12345',
    });
    expect(await readMeta(db, 'draft:visitor')).toMatchObject({ name: '', idNumber: '' });
    expect(await screen.findByText('仍在院内的访客（1）')).toBeTruthy();
  });

  it('with an office data key, keeps only ciphertext and the masked numbers, drafts included', async () => {
    const key = await generateDataKey();
    const { db } = renderInSession(<VisitorsScreen />, {
      config: { ...deviceConfig, dataKey: key.publicKey },
    });
    await fillVisitor('430102199003071234');
    await waitFor(async () =>
      expect(await readMeta(db, 'draft:visitor')).toMatchObject({ plate: '湘a 12345' }),
    );
    // The draft keeps everything typed but the numbers.
    expect(await readMeta(db, 'draft:visitor')).toMatchObject({
      name: '王五',
      idNumber: '',
      phone: '',
    });
    fireEvent.click(screen.getByRole('button', { name: '登记访客' }));
    expect(await screen.findByText('访客 王五 已登记')).toBeTruthy();
    const [visitor] = await storedRecords(db);
    if (visitor?.kind !== 'visitor-in') throw new Error('no visitor');
    expect(visitor.data.idNumber).toEqual({
      enc: expect.any(String),
      masked: '4301**********1234',
    });
    expect(visitor.data.phone).toEqual({ enc: expect.any(String), masked: '139****5678' });
    const everything = JSON.stringify([
      await db.records.toArray(),
      await db.outbox.toArray(),
      await db.meta.toArray(),
    ]);
    expect(everything).not.toContain('430102199003071234');
    expect(everything).not.toContain('13912345678');
    const privateKey = await importDataKey(key.pkcs8);
    expect(await openPersonalData(visitor, privateKey, key.kid)).toMatchObject({
      data: { idNumber: '430102199003071234', phone: '13912345678' },
    });
  });

  it('when the database is closed under it (another tab took it over), says so and keeps the form', async () => {
    const { db } = renderInSession(<VisitorsScreen />);
    await fillVisitor('430102199003071234');
    db.close();
    fireEvent.click(screen.getByRole('button', { name: '登记访客' }));
    expect(
      await screen.findByText(
        '保存失败：另一个页面开着旧版卡点，请关闭其他卡点页面后重试。已填写的内容仍在，请重试。',
      ),
    ).toBeTruthy();
    expect((screen.getByLabelText('证件号码') as HTMLInputElement).value).toBe(
      '430102199003071234',
    );
    expect((screen.getByLabelText('姓名') as HTMLInputElement).value).toBe('王五');
    await db.open();
    expect(await db.records.count()).toBe(0);
  });

  it('keeps what is typed as a draft and restores it', async () => {
    const first = renderInSession(<VisitorsScreen />);
    await screen.findByLabelText('姓名');
    type('姓名', '赵六');
    await waitFor(async () =>
      expect(await readMeta(first.db, 'draft:visitor')).toMatchObject({ name: '赵六' }),
    );
    first.unmount();
    first.rerenderInSession();
    expect(((await screen.findByLabelText('姓名')) as HTMLInputElement).value).toBe('赵六');
  });

  it('ticks "from a key area" when the region is on the list, and hides the number for no document', async () => {
    renderInSession(<VisitorsScreen />);
    await screen.findByLabelText('姓名');
    type('来自（地区）', '湖北省武汉市');
    expect((screen.getByLabelText('来自重点地区') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('该地区在重点地区名单中（2026-11-20）')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('证件类型'), { target: { value: 'none' } });
    expect(screen.queryByLabelText('证件号码')).toBeNull();
  });

  it('checks a visitor out, who then leaves the list', async () => {
    const { db } = renderInSession(<VisitorsScreen />);
    await fillVisitor('430102199003071234');
    fireEvent.click(screen.getByRole('button', { name: '登记访客' }));
    await screen.findByText('仍在院内的访客（1）');
    fireEvent.click(screen.getByRole('button', { name: '登记离开' }));
    expect(await screen.findByText('仍在院内的访客（0）')).toBeTruthy();
    expect(screen.getByText('王五 已离开')).toBeTruthy();
    const [visitorIn, visitorOut] = await storedRecords(db);
    expect(visitorOut?.data).toEqual({ visitorId: visitorIn?.id });
  });
});

describe('VisitorsScreen when the disk is full', () => {
  it('keeps the form filled, saves nothing half, and saves once there is room', async () => {
    const { db } = renderInSession(<VisitorsScreen />);
    await fillVisitor('430102199003071234');
    // The record is added, then its outbox entry is refused: the whole transaction must roll back.
    const full = vi
      .spyOn(db.outbox, 'bulkAdd')
      .mockRejectedValueOnce(
        new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
      );
    fireEvent.click(screen.getByRole('button', { name: '登记访客' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      '保存失败：手机存储空间已满，请先清理空间。已填写的内容仍在，请重试。',
    );
    expect(full).toHaveBeenCalledOnce();
    expect(await db.records.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect((screen.getByLabelText('姓名') as HTMLInputElement).value).toBe('王五');

    fireEvent.click(screen.getByRole('button', { name: '登记访客' }));
    expect(await screen.findByText('访客 王五 已登记')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(await db.records.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
  });
});
