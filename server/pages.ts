// The receiver's pages for people (viewer tokens): plain server-made HTML, every value escaped,
// one stylesheet from this origin, legible on A4; no script but the live duty page's own file.

import type { TakeTimes } from '../src/domain/alerts';
import type { Quota } from '../src/domain/config';
import type { DailyCounts } from '../src/domain/daily-summary';
import { maskIdNumber } from '../src/domain/identity';
import { maskName } from '../src/domain/mask';
import { maskMobile } from '../src/domain/phone';
import type { QuotaFlag } from '../src/domain/quota-flags';
import type { KadianRecord } from '../src/domain/records';
import type { Level, RollUp } from '../src/domain/roll-up';
import alertsScript from './alerts-page.js?raw';
import type { AuditEntry } from './audit-store';
import type { DeviceRow } from './fleet-store';

/** The duty page's script, served as a file (the policy allows no inline script). */
export const ALERTS_SCRIPT = alertsScript;

export const html = (text: string | number) =>
  String(text).replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

const time = (ms: number) => {
  const at = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
};

export const PAGE_CSS = `
body { font: 16px/1.5 "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #000; background: #fff; margin: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
tr { break-inside: avoid; }
form { margin: 1rem 0; }
input, button { font: inherit; min-height: 44px; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.level0 td, tr.level1 td { font-weight: 700; }
tr.missing td { background: #eee; }
.alert { border: 3px solid #8e0000; border-radius: 8px; padding: 0.5rem 1rem; margin: 0.75rem 0; }
.alert.due { background: #fff0f0; }
.alert.raised { border-width: 6px; background: #ffe0e0; }
.alert.later, .alert.done { border-color: #888; }
.alert h2 { margin: 0.25rem 0; }
.alert ol { margin: 0.25rem 0; padding-left: 1.25rem; }
.alert button, #enable { min-width: 44px; padding: 0 1rem; }
.small { font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr)); gap: 1rem; }
figure { margin: 0; min-width: 0; break-inside: avoid; }
figure h2 { font-size: 1.1rem; margin: 0; }
figure svg { width: 100%; height: auto; font-size: 10px; }
figure table { font-size: 14px; }
table.attention td:first-child { min-width: 6em; }
@media (max-width: 480px) { body { margin: 0.75rem; } }
@page { size: A4 landscape; margin: 10mm; }
@media print { form, figure p, figure details:not([open]) { display: none; } body { margin: 0; } .charts { display: block; } .charts figure { display: inline-block; width: 32%; margin: 0 0.5% 0.5rem; vertical-align: top; } }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title><link rel="stylesheet" href="/view/page.css"></head>
<body>${body}</body></html>`;
}

/** Quota breaches found across gates for one day: what the office follows up. */
export function flagsPage(date: string, quota: Quota | undefined, flags: QuotaFlag[]): string {
  const form = `<form method="get"><label>日期 <input type="date" name="date" value="${html(date)}"></label> <button>查看</button></form>`;
  if (!quota)
    return page(
      `外出次数核查 ${date}`,
      `<h1>外出次数核查 ${html(date)}</h1>${form}<p>接收端没有设置外出次数（config.json 的 rules.quota），无法核查。</p>`,
    );
  const rule = `每户每 ${quota.days} 天最多外出 ${quota.n} 次`;
  const rows = flags
    .map(
      (flag) =>
        `<tr><td>${html(flag.passId)}</td><td>${html(flag.householdId)}</td><td>${html(time(flag.exit.at))}</td><td>${html(flag.exit.checkpointId)} / ${html(flag.exit.deviceId)}</td><td>${flag.window
          .map(
            (exit) => `${html(time(exit.at))} ${html(exit.checkpointId)} / ${html(exit.deviceId)}`,
          )
          .join('<br>')}</td><td>${flag.acrossDevices ? '多个卡口' : '同一设备'}</td></tr>`,
    )
    .join('');
  const table = flags.length
    ? `<table><thead><tr><th>通行证</th><th>户号</th><th>超出的外出</th><th>卡点 / 设备</th><th>时段内的外出</th><th>发现于</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p>这一天没有超出外出次数的记录。</p>';
  return page(
    `外出次数核查 ${date}`,
    `<h1>外出次数核查 ${html(date)}</h1>${form}<p>规则：${html(rule)}。各卡口离线时各自放行、汇总后才看得出的超次外出。共 ${flags.length} 条。</p>${table}`,
  );
}

const COLUMNS: [keyof Omit<DailyCounts, 'deniedByReason'>, string][] = [
  ['passesIn', '放行·进'],
  ['passesOut', '放行·出'],
  ['passesDenied', '拒绝'],
  ['temperatures', '测温'],
  ['fevers', '发热'],
  ['visitorsIn', '访客'],
  ['visitorsFromKeyAreas', '重点地区'],
  ['visitorsStillInside', '仍在院内'],
  ['outOfAreaVehicles', '外地车辆'],
  ['visitorsWithFlaggedHealthCode', '黄码红码'],
];

const figures = (counts: DailyCounts | undefined) =>
  COLUMNS.map(([key]) => `<td class="n">${counts ? html(counts[key] ?? 0) : ''}</td>`).join('');

type AnyLevel = Pick<RollUp, 'alerts' | 'isolation'> | Level<unknown>;

/** One row per level of the chain, from the whole down to the communities (rows left empty dropped). */
function levelRows(
  day: RollUp,
  row: (depth: number, name: string, node: Partial<AnyLevel>) => string,
): string[] {
  const rows = [row(0, '合计', day)];
  for (const county of day.counties) {
    rows.push(row(1, county.name, county));
    for (const township of county.children) {
      rows.push(row(2, township.name, township));
      for (const community of township.children) rows.push(row(3, community.name, community));
    }
  }
  return rows.filter(Boolean);
}

/** The day's home isolations per level, and the households that missed, by community. */
function isolationSection(day: RollUp): string {
  if (day.isolation.households === 0) return '<p>这一天没有居家隔离的住户。</p>';
  const rows = levelRows(day, (depth, name, node) => {
    const counts = node.isolation;
    if (!counts?.households) return '';
    return `<tr class="level${depth}"><td>${'　'.repeat(depth)}${html(name)}</td>${[
      counts.households,
      counts.checkedIn,
      counts.missed,
      counts.symptomatic,
      counts.released,
    ]
      .map((n) => `<td class="n">${n}</td>`)
      .join('')}</tr>`;
  });
  const byCommunity = new Map<string, RollUp['nonReporting']>();
  for (const household of day.nonReporting)
    byCommunity.set(household.community, [
      ...(byCommunity.get(household.community) ?? []),
      household,
    ]);
  const missed = [...byCommunity]
    .map(
      ([community, households]) =>
        `<h3>${html(community)}（${households.length} 户）</h3><ul>${households
          .map(
            (household) =>
              `<li>${html(household.address)} ${html(household.name)} ${html(household.phone)} · ${html(household.checkpointId)} · 共未报 ${household.missedDays} 天${household.twoDaysRunning ? ' <strong>连续两天未报</strong>' : ''}</li>`,
          )
          .join('')}</ul>`,
    )
    .join('');
  return `<table><thead><tr><th>层级</th><th>在管户数</th><th>已打卡</th><th>未报</th><th>有症状</th><th>解除</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<h3>未报的住户（${day.nonReporting.length}）</h3>${missed || '<p>全部已报。</p>'}`;
}

/** The day's roll-up: totals at every level, who has not reported, and the open fevers. */
export function rollUpPage(day: RollUp): string {
  const head = `<tr><th>层级</th><th>已报 / 应报</th>${COLUMNS.map(([, label]) => `<th>${label}</th>`).join('')}</tr>`;
  const row = (
    depth: number,
    name: string,
    status: string,
    counts: DailyCounts | undefined,
    cls = '',
  ) =>
    `<tr class="level${depth}${cls}"><td>${'　'.repeat(depth)}${html(name)}</td><td>${status}</td>${figures(counts)}</tr>`;
  const rows: string[] = [row(0, '合计', `${day.reported} / ${day.checkpoints}`, day.totals)];
  for (const county of day.counties) {
    rows.push(row(1, county.name, `${county.reported} / ${county.checkpoints}`, county.totals));
    for (const township of county.children) {
      rows.push(
        row(2, township.name, `${township.reported} / ${township.checkpoints}`, township.totals),
      );
      for (const community of township.children) {
        rows.push(
          row(
            3,
            community.name,
            `${community.reported} / ${community.checkpoints}`,
            community.totals,
          ),
        );
        for (const checkpoint of community.children)
          rows.push(
            row(
              4,
              `${checkpoint.name}（${checkpoint.courtyard}）`,
              checkpoint.devices === 0
                ? '<strong>未报</strong>'
                : `${checkpoint.late ? '<strong>迟报</strong>' : '已报'}（${checkpoint.devices} 台设备）${checkpoint.zero ? '零报告' : ''}`,
              checkpoint.counts,
              checkpoint.devices === 0 ? ' missing' : '',
            ),
          );
      }
    }
  }
  const missing = day.missing.length
    ? `<ul>${day.missing.map((checkpoint) => `<li>${html(checkpoint.name)}（${html(checkpoint.id)}）</li>`).join('')}</ul>`
    : '<p>全部已报。</p>';
  const fevers = day.openFevers.length
    ? `<table><thead><tr><th>卡点</th><th>时间</th><th>人员</th><th>体温</th></tr></thead><tbody>${day.openFevers
        .map(
          (fever) =>
            `<tr><td>${html(fever.checkpointId)}</td><td>${html(time(fever.at))}</td><td>${html(fever.name ? maskName(fever.name) : SUBJECTS[fever.subject])}</td><td>${html(fever.celsius.toFixed(1))} °C</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>没有未处置的发热。</p>';
  const form = `<form method="get"><label>日期 <input type="date" name="date" value="${html(day.date)}"></label> <button>查看</button></form>`;
  const seconds = (ms: number | undefined) =>
    ms === undefined ? '—' : `${Math.floor(ms / 60_000)} 分 ${Math.round((ms % 60_000) / 1000)} 秒`;
  const takeRow = (depth: number, name: string, times: TakeTimes | undefined) =>
    times?.alerts
      ? `<tr class="level${depth}"><td>${'　'.repeat(depth)}${html(name)}</td><td class="n">${times.alerts}</td><td class="n">${times.taken}</td><td class="n">${seconds(times.medianMs)}</td><td class="n">${seconds(times.p90Ms)}</td><td class="n">${times.notTakenInTime}</td></tr>`
      : '';
  const takeRows = levelRows(day, (depth, name, node) => takeRow(depth, name, node.alerts));
  const takes = day.alerts.alerts
    ? `<table><thead><tr><th>层级</th><th>发热警报</th><th>已接手</th><th>接手用时中位数</th><th>90% 在此之内</th><th>2 分钟内未接手</th></tr></thead><tbody>${takeRows.join('')}</tbody></table>`
    : '<p>这一天没有发热警报。</p>';
  return page(
    `卡点日报汇总 ${day.date}`,
    `<h1>卡点日报汇总 ${html(day.date)}</h1>${form}
${day.submitted.deadline ? `<p>截止 ${html(day.submitted.deadline)}：按时 ${day.submitted.onTime}，迟报 ${day.submitted.late}，未报 ${day.submitted.missing}。</p>` : ''}
<table class="roll-up"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>
<h2>未报的卡点（${day.missing.length}）</h2>${missing}
<h2>未处置的发热（${day.openFevers.length}）</h2>${fevers}
<h2>发热警报接手用时（从接收端收到起）</h2>${takes}
<h2>居家隔离</h2>${isolationSection(day)}
<p class="small">发热在复测正常或送发热门诊前都算未处置。打印时间 ${html(time(Date.now()))}</p>`,
  );
}

const SUBJECTS: Record<RollUp['openFevers'][number]['subject'], string> = {
  pass: '住户',
  visitor: '访客',
  person: '无证人员',
};

const ID_TYPES: Record<string, string> = {
  resident: '居民身份证',
  'hk-macau': '港澳通行证',
  taiwan: '台湾通行证',
  passport: '护照',
  none: '无证件',
};

const OPENING_FAILURES: Record<string, string> = {
  'no-file': '请选择数据密钥文件。',
  'not-a-key-file': '这个文件不是数据密钥文件（kadian-data-key-….json）。',
  'wrong-passphrase': '口令不对，或者密钥文件损坏。',
};

/**
 * A day's visitors across the gates. ID and phone numbers show masked; a viewer who brings the
 * office's data key file and its passphrase gets the page once with the numbers sealed to it.
 */
export function visitorsPage(
  date: string,
  visitors: KadianRecord[],
  opening?: { ok: true; kid: string; opened: number } | { ok: false; reason: string },
): string {
  const shown = (value: string | { masked: string } | undefined, mask: (text: string) => string) =>
    value === undefined
      ? ''
      : typeof value === 'string'
        ? opening?.ok
          ? value
          : mask(value)
        : value.masked;
  const rows = visitors
    .flatMap((record) => (record.kind === 'visitor-in' ? [record] : []))
    .map(
      ({ recordedAt, checkpointId, data }) =>
        `<tr><td>${html(time(recordedAt))}</td><td>${html(checkpointId)}</td><td>${html(data.name)}</td><td>${html(ID_TYPES[data.idType] ?? data.idType)} ${html(shown(data.idNumber, maskIdNumber))}</td><td>${html(shown(data.phone, maskMobile))}</td><td>${html(data.from.region)}${data.from.keyArea ? '（重点地区）' : ''}</td><td>${html(data.visiting)}</td><td>${html(data.purpose)}</td></tr>`,
    )
    .join('');
  const table = rows
    ? `<table><thead><tr><th>时间</th><th>卡点</th><th>姓名</th><th>证件</th><th>手机</th><th>来自</th><th>到访</th><th>事由</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p>这一天没有访客登记。</p>';
  const dated = `?date=${encodeURIComponent(date)}`;
  const status = !opening
    ? '<p>证件号和手机号打码显示。加密的号码要用社区办公室的数据密钥文件和口令才能看到：</p>'
    : opening.ok
      ? `<p role="status">已用数据密钥 ${html(opening.kid)} 打开 ${opening.opened} 位访客的号码。密钥没有留在接收端；关掉或刷新这一页，号码就不再显示。</p>`
      : `<p role="alert">${html(OPENING_FAILURES[opening.reason] ?? opening.reason)}</p>`;
  return page(
    `访客登记 ${date}`,
    `<h1>访客登记 ${html(date)}</h1><form method="get"><label>日期 <input type="date" name="date" value="${html(date)}"></label> <button>查看</button></form>
${status}<form method="post" action="/view/visitors${dated}" enctype="multipart/form-data"><label>数据密钥文件 <input type="file" name="keyFile" accept=".json,application/json"></label> <label>口令 <input type="password" name="passphrase" autocomplete="off"></label> <button>查看完整号码</button></form>
${table}<p class="small">打印时间 ${html(time(Date.now()))}</p>`,
  );
}

/**
 * The live duty page: fever alerts of the token's place as they arrive (a sound and a system
 * notification once enabled), taken and closed from here. Its script keeps the list current.
 */
export function alertsPage(): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>发热警报 · 值班</title><link rel="stylesheet" href="/view/page.css"><script src="/view/alerts.js" defer></script></head>
<body><h1>发热警报 · 值班</h1>
<p id="scope"></p><p><a href="/view/devices">各卡口设备（失联的排在最前）</a></p>
<form id="me"><label>我的姓名 <input id="my-name" name="name" maxlength="50" autocomplete="name" required></label>
<label>手机 <input id="my-phone" name="phone" inputmode="tel" maxlength="20"></label>
<button type="button" id="enable">开启声音和通知</button></form>
<p id="link" role="status">正在连接…</p>
<section aria-labelledby="missing-title" id="missing-section" hidden><h2 id="missing-title">过了截止时间还没交日报的卡点</h2><ul id="missing"></ul></section>
<section aria-labelledby="due-title"><h2 id="due-title">待处理</h2><div id="due"></div></section>
<section aria-labelledby="later-title"><h2 id="later-title">下级正在处理（未接手会升级到这里）</h2><div id="later"></div></section>
<section aria-labelledby="done-title"><h2 id="done-title">已接手、已结束（24 小时内）</h2><div id="done"></div></section>
</body></html>`;
}

/** The office's gates at a glance: last contact, version, unsent records, clock, configuration. */
export function devicesPage(list: {
  devices: (DeviceRow & { silent: boolean })[];
  silentAfterMs: number;
  now: number;
}): string {
  const minutes = (ms: number) => Math.round(ms / 60_000);
  const rows = list.devices
    .map(
      (device) =>
        `<tr${device.silent ? ' class="missing"' : ''}><td>${html(device.checkpointName ?? device.checkpointId)}</td><td>${html(device.deviceId)}</td><td>${html(time(device.lastContact))}${device.silent ? `<br><strong>${minutes(list.now - device.lastContact)} 分钟没有联系</strong>` : ''}</td><td>${html(device.appVersion)}</td><td class="n">${html(device.pending)}</td><td class="n">${device.clockSkewMs === undefined ? '—' : `${html(Math.round(device.clockSkewMs / 1000))} 秒`}</td><td>${device.configAt ? html(time(device.configAt)) : '—'}</td></tr>`,
    )
    .join('');
  const silent = list.devices.filter((device) => device.silent).length;
  const table = rows
    ? `<table><thead><tr><th>卡点</th><th>设备</th><th>最后联系</th><th>版本</th><th>未上传</th><th>时钟差</th><th>配置版本</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p>还没有设备联系过接收端。</p>';
  return page(
    '设备',
    `<h1>设备</h1><p>${silent} 台设备超过 ${minutes(list.silentAfterMs)} 分钟没有联系（排在最前）。</p>${table}`,
  );
}

const ACTIONS: Record<AuditEntry['action'], string> = {
  'personal-data-opened': '查看完整证件号和手机号',
  'alert-taken': '接手发热警报',
  'alert-closed': '结束发热警报',
  'token-created': '创建令牌',
  'token-revoked': '作废令牌',
  'enrolment-made': '生成设备登记码',
  'config-published': '下发配置',
  'roster-changed': '排值班',
};

/** The audit log, newest first: who did what, to what, when. */
export function auditPage(entries: AuditEntry[]): string {
  const rows = entries
    .map(
      (entry) =>
        `<tr><td>${html(time(entry.at))}</td><td>${html(entry.actor)}</td><td>${html(ACTIONS[entry.action])}</td><td>${html(entry.subject)}</td><td>${html(entry.detail ?? '')}</td></tr>`,
    )
    .join('');
  return page(
    '操作记录',
    `<h1>操作记录</h1><p>只增不改，保留到数据保存期限。</p>${
      rows
        ? `<table><thead><tr><th>时间</th><th>谁</th><th>做了什么</th><th>对象</th><th>说明</th></tr></thead><tbody>${rows}</tbody></table>`
        : '<p>还没有记录。</p>'
    }`,
  );
}
