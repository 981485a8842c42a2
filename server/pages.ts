// The receiver's pages for people (viewer tokens): plain server-made HTML, every value escaped,
// no script, one stylesheet from this origin, legible on A4.
import type { Quota } from '../src/domain/config';
import type { QuotaFlag } from '../src/domain/quota-flags';

const html = (text: string | number) =>
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
@page { size: A4; margin: 12mm; }
@media print { form { display: none; } body { margin: 0; } }
`;

function page(title: string, body: string): string {
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
