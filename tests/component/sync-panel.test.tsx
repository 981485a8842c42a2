import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { SettingsScreen } from '../../src/app/settings/settings-screen';
import { readMeta } from '../../src/db/settings';
import { SyncPanel, type SyncView } from '../../src/ui/sync-panel';
import { renderInSession, unlockSettings } from './session';

function panel(
  status: SyncView,
  props: { pending?: number; configured?: boolean; blocked?: boolean } = {},
) {
  const onSyncNow = vi.fn();
  render(
    <SyncPanel
      configured={props.configured ?? true}
      pending={props.pending ?? 0}
      status={status}
      rejected={[]}
      running={false}
      blocked={props.blocked}
      onSyncNow={onSyncNow}
    />,
  );
  return onSyncNow;
}

describe('SyncPanel', () => {
  it('says plainly what waits and why the last upload failed, with the next retry', () => {
    const at = new Date(2026, 10, 29, 14, 5, 9).getTime();
    panel(
      { lastProblem: { problem: 'server-error', status: 502 }, nextAttemptAt: at },
      { pending: 7 },
    );
    expect(screen.getByText('待上传：7 条')).toBeTruthy();
    expect(screen.getByText('还没有成功上传过。')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe(
      '上次没有传上去：服务器出错（502）。 将在 14:05:09 自动重试。',
    );
  });

  it.each([
    ['offline', false, '上次没有传上去：手机没有网络。有信号后会自动上传。'],
    [
      'unreachable',
      false,
      '上次没有传上去：手机有网络，但上传服务器没有回应（服务器停了，或从这里连不到）。它恢复后会自动上传。',
    ],
    [
      'unreachable',
      true,
      '上次没有传上去：这个上传地址不在本应用部署允许的地址里，浏览器拦下了上传。请让社区办公室或部署方允许它（接收端的 KADIAN_CONNECT_SRC），或换用允许的地址。',
    ],
    ['server-error', true, '上次没有传上去：服务器出错（503）。'],
  ])('tells a failed upload (%s, address blocked: %s) as what it is', (problem, blocked, words) => {
    panel({ lastProblem: { problem, status: 503 } }, { pending: 1, blocked });
    expect(screen.getByRole('status').textContent).toBe(words);
  });

  it('says what a volunteer must do when uploading is paused', () => {
    panel(
      { paused: 'unauthorized', lastProblem: { problem: 'unauthorized', status: 401 } },
      { pending: 3 },
    );
    expect(screen.getByRole('alert').textContent).toBe(
      '上传已暂停，需要处理后才会继续：设备令牌无效或已过期：请向社区办公室要新令牌，填到“设置”里。',
    );
  });

  it.each([
    [4 * 60_000, null],
    [
      -6 * 60_000,
      '本机时间与服务器相差约 6 分钟。请校准手机时间：通行证有效期和日报都按本机时间计算。',
    ],
    [
      90 * 60_000,
      '本机时间与服务器相差约 90 分钟。请校准手机时间：通行证有效期和日报都按本机时间计算。',
    ],
  ])('warns about a clock %i ms off only beyond 5 minutes', (skew, warning) => {
    panel({ clockSkewMs: skew, lastSuccessAt: Date.now() });
    expect(screen.queryByRole('alert')?.textContent ?? null).toBe(warning);
  });

  it('has nothing to upload to until an endpoint is set', () => {
    panel({}, { configured: false, pending: 2 });
    expect(screen.getByRole('alert').textContent).toBe(
      '还没有设置上传地址，记录只保存在本机。请在“设置”里填写上传地址。',
    );
    expect((screen.getByRole('button', { name: '立即上传' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
  });
});

describe('SettingsScreen, uploading', () => {
  it('refuses an address that is not http(s) and a batch size out of range, then saves good ones', async () => {
    const { db } = renderInSession(<SettingsScreen />);
    await unlockSettings(db);
    const type = (label: string, value: string) =>
      fireEvent.input(screen.getByLabelText(label), { target: { value } });
    type('上传地址 （选填）', 'ftp://gate.example/api');
    type('每批条数', '5000');
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    const alert = await screen.findByRole('alert');
    expect([...alert.querySelectorAll('li')].map((item) => item.textContent)).toEqual([
      '上传地址：地址不正确',
      '每批条数：格式不正确',
    ]);
    expect((await readMeta(db, 'config'))?.sync).toBeUndefined();

    type('上传地址 （选填）', 'https://gate.example/api/v1');
    type('每批条数', '50');
    type('设备令牌 （选填）', 'secret-token');
    fireEvent.change(screen.getByLabelText('接口类型'), { target: { value: 'couch' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('设置已保存')).toBeTruthy();
    expect((await readMeta(db, 'config'))?.sync).toEqual({
      endpoint: 'https://gate.example/api/v1',
      adapter: 'couch',
      token: 'secret-token',
      batchSize: 50,
      backoffBaseMs: 1000,
      backoffCapMs: 300_000,
      timeoutMs: 30_000,
    });
  });
});

describe('Settings and the deployment’s policy', () => {
  it('warns when the saved upload address is one the deployment does not let the app reach', async () => {
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = "default-src 'self'; connect-src 'self' https: http://127.0.0.1:*";
    document.head.append(meta);
    const { db } = renderInSession(<SettingsScreen />);
    await unlockSettings(db);
    const save = async (endpoint: string) => {
      fireEvent.input(screen.getByLabelText('上传地址 （选填）'), { target: { value: endpoint } });
      fireEvent.click(screen.getByRole('button', { name: '保存' }));
      await screen.findByText('设置已保存');
    };
    await save('http://192.0.2.7/records');
    expect((await screen.findByRole('alert')).textContent).toBe(
      '已保存，但本应用的部署不允许连到 http://192.0.2.7/records：浏览器会拦下上传。请让部署方允许它（接收端的 KADIAN_CONNECT_SRC），或换用允许的地址。',
    );
    expect((await readMeta(db, 'config'))?.sync?.endpoint).toBe('http://192.0.2.7/records');
    await save('https://report.example.cn/api/v1');
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    meta.remove();
  });
});
