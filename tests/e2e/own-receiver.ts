import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, expect, type Page } from '@playwright/test';
import { fillSetup, openSettings, waitForServiceWorker, watchCspViolations } from './helpers';

/**
 * A receiver of its own for this test (tokens make it closed, which the shared one must not be),
 * started as a process on a fixed port so it can be stopped by its PID and started again.
 */
export async function ownReceiver(
  extraEnv: Record<string, string>,
  tokenArgs: Record<string, string[]>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'kadian-alerts-'));
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const port = (probe.address() as { port: number }).port;
  await new Promise((done) => probe.close(done));
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    KADIAN_DB: join(dir, 'receiver.sqlite'),
    KADIAN_REGISTRY: 'tests/fixtures/e2e-registry.json',
    ...extraEnv,
  };
  const token = (...args: string[]) =>
    execFileSync('node', ['dist-server/tokens.js', 'create', ...args], {
      env,
      encoding: 'utf8',
    }).trim();
  const tokens = Object.fromEntries(
    Object.entries(tokenArgs).map(([name, args]) => [name, token(...args)]),
  );
  let child: ChildProcess | undefined;
  const origin = `http://127.0.0.1:${port}`;
  async function start() {
    child = spawn('node', ['dist-server/main.js'], { env, stdio: 'ignore' });
    await expect
      .poll(async () => (await fetch(`${origin}/config.json`).catch(() => undefined))?.status, {
        timeout: 15_000,
      })
      .toBe(200);
  }
  /** Whether the process is still there (not exited, nor killed by a signal). */
  const alive = (running: ChildProcess | undefined): running is ChildProcess =>
    running !== undefined && running.exitCode === null && running.signalCode === null;
  async function stop() {
    const running = child;
    if (!alive(running)) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill('SIGTERM');
    await exited;
  }
  /** Kills the process at once (SIGKILL): nothing in flight is finished or answered. */
  async function kill() {
    const running = child;
    if (!alive(running)) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill('SIGKILL');
    await exited;
  }
  await start();
  return {
    origin,
    tokens,
    start,
    stop,
    kill,
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A gate of its own browser context on a receiver's origin, set up by name and given its device
 * token (and any other settings `more` fills in) in Settings.
 */
export async function gateOn(
  browser: Browser,
  origin: string,
  token: string,
  more: (page: Page) => Promise<void> = async () => {},
) {
  const context = await browser.newContext({ baseURL: origin, locale: 'zh-CN' });
  const gate = await context.newPage();
  await gate.goto('/');
  await waitForServiceWorker(gate);
  await fillSetup(gate);
  await gate.getByRole('button', { name: '开始值守' }).click();
  await openSettings(gate);
  await gate.getByLabel('设备令牌 （选填）').fill(token);
  await more(gate);
  await gate.getByRole('button', { name: '保存', exact: true }).click();
  await expect(gate.getByText('设置已保存')).toBeVisible();
  return { context, gate };
}

/** A duty page logged in with a token, its system notifications recorded. */
export async function dutyPage(browser: Browser, origin: string, token: string) {
  const context = await browser.newContext({
    baseURL: origin,
    locale: 'zh-CN',
    httpCredentials: { username: 'duty', password: token },
  });
  // The page's script is a file the policy allows; nothing inline.
  const cspViolations = await watchCspViolations(context);
  await context.addInitScript(() => {
    const shown: string[] = [];
    Object.assign(window, { notified: shown });
    // The browser's notifications, as a person would be shown them.
    class Recorded {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title: string, options: { body?: string }) {
        shown.push(`${title}|${options.body ?? ''}`);
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded });
  });
  const page = await context.newPage();
  await page.goto('/view/alerts');
  await expect(page.getByRole('status')).toHaveText('已连接：新的警报会立即出现。');
  await page.getByRole('button', { name: '开启声音和通知' }).click();
  return Object.assign(page, { cspViolations });
}
