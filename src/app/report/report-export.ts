// The daily report as it leaves the device: a CSV and a JSON file, and a picture for a chat group
// (shared through the Web Share API where the browser has it, else downloaded).
import { lightFormat } from 'date-fns';
import { toCsv } from '../../domain/csv';
import { abnormalities, type DaySummary } from '../../domain/daily-summary';
import { maskName } from '../../domain/mask';
import { DENIAL_REASONS } from '../../domain/records';
import type { Translate } from '../../i18n';
import { COUNT_LABELS, ISOLATION_LABELS, verdictLine } from '../../ui/daily-report';
import { download } from '../files';

export interface ReportContext {
  summary: DaySummary;
  place: { county: string; township: string; community: string; courtyard: string };
  checkpoint: { id: string; name: string };
  deviceName: string;
  note: string;
  unsent: number;
}

/** Rows of `key, label, value`: the keys are DESIGN's count names, so a program can read it back. */
export function reportRows(t: Translate, report: ReportContext): (string | number)[][] {
  const { summary, place } = report;
  const counts = summary.counts;
  return [
    ['key', t('report.csvItem'), t('report.csvValue')],
    ['date', t('report.date'), summary.date],
    ['county', t('field.place.county.name'), place.county],
    ['township', t('field.place.township.name'), place.township],
    ['community', t('field.place.community.name'), place.community],
    ['courtyard', t('field.place.courtyard.name'), place.courtyard],
    ['checkpoint', t('field.checkpoint.name'), report.checkpoint.name],
    ['device', t('field.deviceName'), report.deviceName],
    ['zero', t('report.zeroColumn'), summary.zero ? t('report.yes') : t('report.no')],
    ...abnormalities(counts, summary.isolation).map(({ reason, count }) => [
      `abnormal.${reason}`,
      t('report.abnormalColumn'),
      t(`report.abnormal.${reason}`, { count }),
    ]),
    ...COUNT_LABELS.map(([key, label]) => [key, t(label), counts[key] ?? 0]),
    ...DENIAL_REASONS.filter((reason) => counts.deniedByReason[reason]).map((reason) => [
      `deniedByReason.${reason}`,
      `${t('report.passesDenied')}：${t(`reason.${reason}`)}`,
      counts.deniedByReason[reason] ?? 0,
    ]),
    ...(summary.isolation
      ? ISOLATION_LABELS.map(([key, label]) => [
          `isolation.${key}`,
          t(label),
          summary.isolation?.[key] ?? 0,
        ])
      : []),
    ...summary.fevers.map((fever, i) => [
      `fever.${i + 1}`,
      t('report.fevers'),
      `${lightFormat(fever.at, 'HH:mm')} ${fever.name ? maskName(fever.name) : t(`report.subject.${fever.subject}`)} ${fever.celsius.toFixed(1)} °C`,
    ]),
    ['volunteers', t('report.volunteers'), summary.volunteers.map((v) => v.name).join('、')],
    ['note', t('report.note'), report.note.trim()],
    ['unsent', t('report.unsentColumn'), report.unsent],
  ];
}

const fileName = (report: ReportContext, ext: string) =>
  `kadian-report-${report.checkpoint.id}-${report.summary.date}.${ext}`;

export function downloadCsv(t: Translate, report: ReportContext): void {
  download(fileName(report, 'csv'), toCsv(reportRows(t, report)), 'text/csv;charset=utf-8');
}

export function downloadJson(report: ReportContext, data: unknown): void {
  const body = {
    checkpointId: report.checkpoint.id,
    deviceName: report.deviceName,
    unsent: report.unsent,
    report: data,
  };
  download(fileName(report, 'json'), JSON.stringify(body, null, 2), 'application/json');
}

/** The report drawn as a picture, black on white: what a chat group sees. */
export async function reportPicture(t: Translate, report: ReportContext): Promise<Blob> {
  const lines = reportRows(t, report)
    .slice(1)
    .filter(([key, , value]) => key !== 'device' && key !== 'note' && value !== '')
    .map(([, label, value]) => `${label}：${value}`);
  const title = t('report.title');
  const verdict = verdictLine(t, report.summary);
  const note = report.note.trim() ? [`${t('report.note')}：${report.note.trim()}`] : [];
  const all = [verdict, ...lines, ...note];
  const width = 1080;
  const lineHeight = 52;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = 160 + all.length * lineHeight;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d canvas');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000';
  const font = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  context.font = `bold 48px ${font}`;
  context.fillText(title, 48, 88, width - 96);
  context.font = `34px ${font}`;
  all.forEach((line, i) => {
    context.fillText(line, 48, 160 + i * lineHeight, width - 96);
  });
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no picture'))), 'image/png'),
  );
}

/** Shares the picture where the browser can (a chat app); otherwise downloads it. */
export async function sharePicture(
  t: Translate,
  report: ReportContext,
): Promise<'shared' | 'saved'> {
  const file = new File([await reportPicture(t, report)], fileName(report, 'png'), {
    type: 'image/png',
  });
  if (navigator.canShare?.({ files: [file] })) {
    try {
      await navigator.share({ files: [file], title: t('report.title') });
      return 'shared';
    } catch (error) {
      // The person closed the share sheet: nothing to do. Anything else: fall back to a download.
      if ((error as DOMException).name === 'AbortError') return 'shared';
    }
  }
  download(file.name, file, 'image/png');
  return 'saved';
}
