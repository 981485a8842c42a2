import { expect, type Page, test } from '@playwright/test';
import { officeWithKey, openSettings, setUpDevice } from './helpers';

/** A gate that trusts the office's key (or another), set up and online. */
async function gateTrusting(gate: Page, publicKey: string) {
  await setUpDevice(gate);
  await openSettings(gate);
  await gate.getByLabel('信任的发证公钥（每行一个） （选填）').fill(publicKey);
  await gate.getByRole('button', { name: '保存', exact: true }).click();
  await expect(gate.getByText('设置已保存')).toBeVisible();
  await gate.getByRole('link', { name: '卡口' }).click();
}

const runningLine = (page: Page) => page.getByText(/^正在使用 .* 发布的配置/);

test('the office pushes a key-area list: an online gate applies it at its next sync, an offline one from its QR, an untrusting one refuses it', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = () => browser.newContext({ locale: 'zh-CN', permissions: ['camera'] });
  const office = await (await context()).newPage();
  const publicKey = await officeWithKey(office);

  await office.getByLabel('重点地区（每行一个）').last().fill('上海市浦东新区');
  await office.getByRole('button', { name: '签名并下发' }).click();
  await expect(office.getByText(/^已下发 .* 的配置，卡口下次联网时使用。$/)).toBeVisible();
  const qr = await office.getByRole('img', { name: '配置二维码' }).screenshot();
  // The office runs it too, and sees its gates (itself among them) with the version they run.
  const officeId = await office.evaluate(
    () =>
      new Promise<string>((done) => {
        const request = indexedDB.open('kadian');
        request.onsuccess = () => {
          const read = request.result.transaction('meta').objectStore('meta').get('config');
          read.onsuccess = () => done(read.result.value.deviceId);
        };
      }),
  );
  await expect(
    office.getByText(
      new RegExp(`^龙阳小区北门 · ${officeId}：最后联系 .*，版本 0\\.3\\.0，未上传 0 条，配置 \\d`),
    ),
  ).toBeVisible();

  // An online gate trusting the office's key applies it at its next sync.
  const online = await (await context()).newPage();
  await gateTrusting(online, publicKey);
  await online.getByRole('link', { name: '上传' }).click();
  await online.getByRole('button', { name: '立即上传' }).click();
  await expect(online.getByText('全部已上传。')).toBeVisible();
  await openSettings(online);
  await expect(runningLine(online)).toBeVisible();
  // A visitor from the newly listed area is flagged as such.
  await online.getByRole('link', { name: '访客' }).click();
  await online.getByLabel('来自（地区）').fill('上海市浦东新区');
  await expect(online.getByLabel('来自重点地区')).toBeChecked();
  await expect(online.getByText(/^该地区在重点地区名单中/)).toBeVisible();

  // A gate with no signal takes it from a photo of the QR code.
  const offlineContext = await context();
  const offline = await offlineContext.newPage();
  await gateTrusting(offline, publicKey);
  await offlineContext.setOffline(true);
  await openSettings(offline);
  await expect(
    offline.getByText('还没有收到社区办公室下发的配置。联网时会自动获取。'),
  ).toBeVisible();
  await offline
    .getByLabel('拍配置二维码')
    .setInputFiles({ name: 'config.png', mimeType: 'image/png', buffer: qr });
  await expect(offline.getByText(/^已使用 .* 发布的配置。$/)).toBeVisible();
  await expect(runningLine(offline)).toBeVisible();

  // A gate that trusts another office's key refuses it, whichever way it comes.
  const strangerContext = await context();
  const stranger = await strangerContext.newPage();
  await gateTrusting(stranger, 'A'.repeat(43));
  await strangerContext.setOffline(true);
  await openSettings(stranger);
  await stranger
    .getByLabel('拍配置二维码')
    .setInputFiles({ name: 'config.png', mimeType: 'image/png', buffer: qr });
  await expect(
    stranger.getByText('这份配置不是本设备信任的社区办公室签发的，没有使用。'),
  ).toBeVisible();
  await expect(
    stranger.getByText('还没有收到社区办公室下发的配置。联网时会自动获取。'),
  ).toBeVisible();
  await strangerContext.setOffline(false);
  await stranger.getByRole('link', { name: '上传' }).click();
  await stranger.getByRole('button', { name: '立即上传' }).click();
  await expect(stranger.getByText('全部已上传。')).toBeVisible();
  await openSettings(stranger);
  await expect(
    stranger.getByText('还没有收到社区办公室下发的配置。联网时会自动获取。'),
  ).toBeVisible();
});
