import { lightFormat } from 'date-fns';
import type { Place } from '../domain/config';
import { abnormalities, type DaySummary } from '../domain/daily-summary';
import type { IsolationCounts } from '../domain/isolation';
import { maskName } from '../domain/mask';
import { DENIAL_REASONS } from '../domain/records';
import type { MessageKey, Translate } from '../i18n';
import { useT } from './i18n';

export interface DailyReportProps {
  summary: DaySummary;
  place: Place;
  checkpointName: string;
  deviceName: string;
  note: string;
  /** Records of the day not yet uploaded. */
  unsent: number;
  printedAt: number;
}

const time = (ms: number) => lightFormat(ms, 'HH:mm');

type CountKey = Exclude<keyof DaySummary['counts'], 'deniedByReason'>;

/** The report's figures in the order they are printed, with their labels. */
export const COUNT_LABELS: [CountKey, MessageKey][] = [
  ['passesIn', 'report.passesIn'],
  ['passesOut', 'report.passesOut'],
  ['passesDenied', 'report.passesDenied'],
  ['temperatures', 'report.temperatures'],
  ['fevers', 'report.fevers'],
  ['visitorsIn', 'report.visitorsIn'],
  ['visitorsFromKeyAreas', 'report.visitorsFromKeyAreas'],
  ['visitorsStillInside', 'report.visitorsStillInside'],
  ['outOfAreaVehicles', 'report.outOfAreaVehicles'],
  ['visitorsWithFlaggedHealthCode', 'report.visitorsWithFlaggedHealthCode'],
];

/** The home-isolation figures in the order they are printed, with their labels. */
export const ISOLATION_LABELS: [keyof IsolationCounts, MessageKey][] = [
  ['households', 'report.isolation.households'],
  ['checkedIn', 'report.isolation.checkedIn'],
  ['missed', 'report.isolation.missed'],
  ['symptomatic', 'report.isolation.symptomatic'],
  ['released', 'report.isolation.released'],
];

/** The report's first line: a zero-report, or every reason it is not one, with its count. */
export function verdictLine(
  t: Translate,
  summary: Pick<DaySummary, 'counts' | 'isolation'>,
): string {
  const reasons = abnormalities(summary.counts, summary.isolation);
  if (reasons.length === 0) return t('report.zero');
  return t('report.notZero', {
    reasons: reasons
      .map(({ reason, count }) => t(`report.abnormal.${reason}`, { count }))
      .join(t('report.listSeparator')),
  });
}

/** The day's report as one document: on screen, on A4 paper, and as a shared picture. */
export function DailyReport(props: DailyReportProps) {
  const t = useT();
  const { summary, place } = props;
  const { counts } = summary;
  const denials = DENIAL_REASONS.filter((reason) => counts.deniedByReason[reason]);
  return (
    <article class="report" aria-label={t('report.title')}>
      <header class="report__header">
        <h2>{t('report.title')}</h2>
        <p>
          {t('report.unit', {
            unit: [
              place.county.name,
              place.township.name,
              place.community.name,
              place.courtyard.name,
            ].join(' '),
          })}
        </p>
        <p>{t('report.checkpointDay', { checkpoint: props.checkpointName, date: summary.date })}</p>
      </header>
      <p class={summary.zero ? 'report__zero' : 'report__zero report__zero--not'}>
        {verdictLine(t, summary)}
      </p>
      <table class="report__counts">
        <tbody>
          {COUNT_LABELS.map(([key, label]) => (
            <tr key={key} data-count={key}>
              <th scope="row">{t(label)}</th>
              <td>{counts[key] ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {denials.length > 0 && (
        <section>
          <h3>{t('report.denials')}</h3>
          <table>
            <tbody>
              {denials.map((reason) => (
                <tr key={reason}>
                  <th scope="row">{t(`reason.${reason}`)}</th>
                  <td>{counts.deniedByReason[reason]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <ListSection
        title={t('report.feverList')}
        none={t('report.none')}
        rows={summary.fevers}
        columns={[
          [t('report.time'), (fever) => time(fever.at)],
          [
            t('report.person'),
            (fever) => (fever.name ? maskName(fever.name) : t(`report.subject.${fever.subject}`)),
            'report__person',
          ],
          [t('report.celsius'), (fever) => `${fever.celsius.toFixed(1)} °C`],
          [
            t('report.followUp'),
            (fever) =>
              fever.actions.map((action) => t(`report.action.${action}`)).join('、') ||
              t('report.noFollowUp'),
          ],
        ]}
      />
      <ListSection
        title={t('report.insideList')}
        none={t('report.none')}
        rows={summary.visitorsInside}
        columns={[
          [t('report.since'), (visitor) => lightFormat(visitor.at, 'MM-dd HH:mm')],
          [t('report.person'), (visitor) => maskName(visitor.name), 'report__person'],
          [t('report.visiting'), (visitor) => visitor.visiting],
        ]}
      />
      {summary.isolation && (
        <section>
          <h3>{t('report.isolation')}</h3>
          <table class="report__counts">
            <tbody>
              {ISOLATION_LABELS.map(([key, label]) => (
                <tr key={key} data-count={`isolation.${key}`}>
                  <th scope="row">{t(label)}</th>
                  <td>{summary.isolation?.[key]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {summary.outOfAreaPlates.length > 0 && (
        <section>
          <h3>{t('report.plates')}</h3>
          <p>{summary.outOfAreaPlates.join('、')}</p>
        </section>
      )}
      {props.note.trim() && (
        <section>
          <h3>{t('report.note')}</h3>
          <p class="report__note">{props.note.trim()}</p>
        </section>
      )}
      <section class="report__signatures">
        <h3>{t('report.volunteers')}</h3>
        {summary.volunteers.length === 0 && <p>{t('report.none')}</p>}
        {summary.volunteers.map((volunteer) => (
          <p key={volunteer.name} class="report__signature">
            <span>{volunteer.name}</span>
            <span class="report__sign-line">{t('report.sign')}</span>
          </p>
        ))}
      </section>
      <footer class="report__footer">
        {t('report.footer', {
          printedAt: lightFormat(props.printedAt, 'yyyy-MM-dd HH:mm'),
          device: props.deviceName,
          sync:
            props.unsent === 0
              ? t('report.allSent')
              : t('report.unsentCount', { count: props.unsent }),
        })}
      </footer>
    </article>
  );
}

/** A titled table of the day's people, one row each, or a line saying there is none. */
function ListSection<Row extends { id: string }>(props: {
  title: string;
  none: string;
  rows: readonly Row[];
  /** Heading, cell text, and the cell's class. */
  columns: [string, (row: Row) => string, string?][];
}) {
  return (
    <section>
      <h3>{props.title}</h3>
      {props.rows.length === 0 ? (
        <p>{props.none}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {props.columns.map(([heading]) => (
                <th key={heading}>{heading}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.id}>
                {props.columns.map(([heading, cell, cls]) => (
                  <td key={heading} class={cls}>
                    {cell(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
