// The command centre's dashboard: a place's figures day by day as small pictures drawn here as SVG
// (no script: the page keeps the strict policy and prints), each with its numbers as a table and
// as CSV, and the period's totals in the sentence the command centre reports in.
import type { DenialReason } from '../src/domain/records';
import type { Attention, TrendDay, Trends } from '../src/domain/trends';
import { html, page } from './pages';

interface Series {
  label: string;
  value: (day: TrendDay) => number;
}
interface Chart {
  key: string;
  title: string;
  series: Series[];
}

/** Short names of the refusal reasons, for a chart's legend. */
const REASONS: Record<DenialReason, string> = {
  'bad-signature': '伪造',
  'unknown-issuer': '非本地证',
  expired: '过期',
  'not-yet-valid': '未生效',
  revoked: '已作废',
  'wrong-checkpoint': '非本小区',
  quota: '超次数',
  curfew: '禁出时段',
  duplicate: '重复扫码',
  unreadable: '无法识别',
};

/** The charts, in the order the command centre reads them; refusals by the reasons that occurred. */
export function chartsOf(trends: Trends): Chart[] {
  const reasons = (Object.keys(REASONS) as DenialReason[]).filter((reason) =>
    trends.days.some((day) => (day.totals.deniedByReason[reason] ?? 0) > 0),
  );
  return [
    {
      key: 'people',
      title: '进出人次',
      series: [
        { label: '进', value: (day) => day.totals.passesIn },
        { label: '出', value: (day) => day.totals.passesOut },
      ],
    },
    {
      key: 'refusals',
      title: '拒绝放行',
      series: [
        { label: '合计', value: (day) => day.totals.passesDenied },
        ...reasons.map((reason) => ({
          label: REASONS[reason],
          value: (day: TrendDay) => day.totals.deniedByReason[reason] ?? 0,
        })),
      ],
    },
    {
      key: 'temperatures',
      title: '测温人次',
      series: [{ label: '测温', value: (day) => day.totals.temperatures }],
    },
    {
      key: 'fevers',
      title: '发热',
      series: [{ label: '发热', value: (day) => day.totals.fevers }],
    },
    {
      key: 'visitors',
      title: '访客',
      series: [
        { label: '访客', value: (day) => day.totals.visitorsIn },
        { label: '来自重点地区', value: (day) => day.totals.visitorsFromKeyAreas },
      ],
    },
    {
      key: 'vehicles',
      title: '外地车辆',
      series: [{ label: '外地车辆', value: (day) => day.totals.outOfAreaVehicles }],
    },
    {
      key: 'reporting',
      title: '卡点日报',
      series: [
        { label: '已报', value: (day) => day.reported },
        { label: '应报', value: (day) => day.checkpoints },
      ],
    },
    {
      key: 'isolation',
      title: '居家隔离',
      series: [
        { label: '在管户数', value: (day) => day.isolation.households },
        { label: '未报', value: (day) => day.isolation.missed },
      ],
    },
    {
      key: 'alerts',
      title: '发热警报',
      series: [
        { label: '2 分钟内接手', value: (day) => day.alerts.inTime },
        { label: '超时', value: (day) => day.alerts.late },
      ],
    },
  ];
}

const STROKES = ['#000', '#b00000', '#1f5fa8', '#2f7a1f', '#7a4a00', '#6a2c91'];
const DASHES = ['', '6 3', '2 2', '8 2 2 2', '1 3', '4 4'];

/** A round number at least `n` for the top of an axis (1, 2, 5 × a power of ten). */
function axisTop(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((step) => step * power).find((top) => top >= n) ?? 10 * power;
}

/** One chart as SVG: a line per series over the days, its axis from 0, drawn to print in grey. */
export function chartSvg(chart: Chart, days: TrendDay[]): string {
  const [left, right, top, bottom] = [38, 312, 10, 112];
  const values = chart.series.map((series) => days.map(series.value));
  const max = axisTop(Math.max(0, ...values.flat()));
  const x = (i: number) =>
    days.length === 1 ? (left + right) / 2 : left + (i * (right - left)) / (days.length - 1);
  const y = (v: number) => bottom - (v / max) * (bottom - top);
  const grid = [0, max / 2, max]
    .map(
      (v) =>
        `<line x1="${left}" x2="${right}" y1="${y(v)}" y2="${y(v)}" stroke="#ccc"/><text x="${left - 4}" y="${y(v) + 3}" text-anchor="end">${html(v.toLocaleString('en'))}</text>`,
    )
    .join('');
  const dayLabel = (date: string | undefined) => html((date ?? '').slice(5));
  const axis = `<text x="${left}" y="${bottom + 14}">${dayLabel(days[0]?.date)}</text><text x="${right}" y="${bottom + 14}" text-anchor="end">${dayLabel(days.at(-1)?.date)}</text>`;
  const lines = values
    .map((series, s) => {
      const points = series.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const dash = DASHES[s % DASHES.length]
        ? ` stroke-dasharray="${DASHES[s % DASHES.length]}"`
        : '';
      return days.length === 1
        ? `<circle cx="${x(0)}" cy="${y(series[0] ?? 0)}" r="3" fill="${STROKES[s % STROKES.length]}"/>`
        : `<polyline points="${points}" fill="none" stroke="${STROKES[s % STROKES.length]}" stroke-width="2"${dash}/>`;
    })
    .join('');
  let at = left;
  const legend = chart.series
    .map((series, s) => {
      const item = `<line x1="${at}" x2="${at + 16}" y1="${bottom + 28}" y2="${bottom + 28}" stroke="${STROKES[s % STROKES.length]}" stroke-width="2"${DASHES[s % DASHES.length] ? ` stroke-dasharray="${DASHES[s % DASHES.length]}"` : ''}/><text x="${at + 19}" y="${bottom + 31}">${html(series.label)}</text>`;
      at += 26 + 10 * [...series.label].length;
      return item;
    })
    .join('');
  const summary = chart.series
    .map((series) => `${series.label} ${days.reduce((sum, day) => sum + series.value(day), 0)}`)
    .join('，');
  return `<svg viewBox="0 0 320 ${bottom + 38}" role="img" aria-labelledby="chart-${chart.key}"><title id="chart-${chart.key}">${html(`${chart.title}：${summary}`)}</title>${grid}${axis}${lines}${legend}</svg>`;
}

/** A chart's numbers as CSV (a byte-order mark first, so spreadsheets read the Chinese). */
export function chartCsv(chart: Chart, days: TrendDay[]): string {
  const rows = [
    ['日期', ...chart.series.map((series) => series.label)],
    ...days.map((day) => [day.date, ...chart.series.map((series) => String(series.value(day)))]),
  ];
  return `\uFEFF${rows.map((row) => row.join(',')).join('\r\n')}\r\n`;
}

/** The period's totals in the sentence the command centre reports in. */
export function totalsSentence(trends: Trends): string {
  const t = trends.totals;
  const alerts = trends.alerts.inTime + trends.alerts.late;
  return `共排查 ${t.passesIn + t.passesOut} 人次（进 ${t.passesIn}，出 ${t.passesOut}），拒绝放行 ${t.passesDenied} 人次，测温 ${t.temperatures} 人次，发热 ${t.fevers} 人，访客 ${t.visitorsIn} 人次（来自重点地区 ${t.visitorsFromKeyAreas}），外地车辆 ${t.outOfAreaVehicles} 台，发热警报 ${alerts} 起（2 分钟内接手 ${trends.alerts.inTime} 起），居家隔离漏报 ${trends.missedCheckIns} 户次。`;
}

/** What is wrong where: communities and checkpoints, the most wrong first, each linking to its page. */
function attentionSection(trends: Trends, query: (more?: string) => string): string {
  const table = (title: string, list: Attention[]) => {
    if (list.length === 0) return '';
    const rows = list
      .map(
        (one) =>
          `<tr><td><a href="/view/dashboard${query(`&amp;place=${encodeURIComponent(one.place)}`)}">${html(one.name)}</a></td><td class="n">${one.missingDays}</td><td class="n">${one.lateAlerts}</td><td class="n">${one.missedCheckIns}</td><td>${one.refusalsRising ? `<strong>${one.refusals.before} → ${one.refusals.last}</strong>` : `${one.refusals.before} → ${one.refusals.last}`}</td></tr>`,
      )
      .join('');
    return `<h3>${title}</h3><table class="attention"><thead><tr><th>名称</th><th>未报日报</th><th>警报超时</th><th>隔离漏报</th><th>拒绝</th></tr></thead><tbody>${rows}</tbody></table>`;
  };
  const { communities, checkpoints } = trends.attention;
  return `<section id="attention"><h2>需要关注</h2>${
    communities.length + checkpoints.length === 0
      ? '<p>这段时间没有未报的日报、超时的警报、漏报的隔离户，拒绝也没有明显增多。</p>'
      : `<p class="small">未报日报：天数；警报超时：2 分钟内没人接手的发热警报（起）；隔离漏报：户次；拒绝：前 7 天 → 近 7 天，明显增多的加粗。</p>${table('社区', communities)}${table('卡点', checkpoints)}`
  }</section>`;
}

export function dashboardPage(trends: Trends & { name: string }): string {
  const where = trends.name;
  const query = (more = '') => `?from=${trends.from}&amp;to=${trends.to}${more}`;
  const placed = trends.place === undefined ? '' : `&amp;place=${encodeURIComponent(trends.place)}`;
  const figures = chartsOf(trends)
    .map((chart) => {
      const head = `<tr><th>日期</th>${chart.series.map((series) => `<th>${html(series.label)}</th>`).join('')}</tr>`;
      const rows = trends.days
        .map(
          (day) =>
            `<tr><td>${html(day.date)}</td>${chart.series.map((series) => `<td class="n">${series.value(day)}</td>`).join('')}</tr>`,
        )
        .join('');
      return `<figure id="${chart.key}"><figcaption><h2>${html(chart.title)}</h2></figcaption>${chartSvg(chart, trends.days)}<details><summary>数字</summary><table><thead>${head}</thead><tbody>${rows}</tbody></table></details><p><a href="/view/dashboard.csv${query(`${placed}&amp;chart=${chart.key}`)}">下载 CSV</a></p></figure>`;
    })
    .join('');
  const keep =
    trends.place === undefined
      ? ''
      : `<input type="hidden" name="place" value="${html(trends.place)}">`;
  const form = `<form method="get">${keep}<label>从 <input type="date" name="from" value="${html(trends.from)}"></label> <label>到 <input type="date" name="to" value="${html(trends.to)}"></label> <button>查看</button></form>`;
  return page(
    `${where} 防控概况 ${trends.from} 至 ${trends.to}`,
    `<h1>${html(where)} 防控概况</h1><p>${html(trends.from)} 至 ${html(trends.to)}，${trends.days.length} 天。</p><p class="sentence">${html(totalsSentence(trends))}</p>${form}${attentionSection(trends, query)}<div class="charts">${figures}</div>`,
  );
}
