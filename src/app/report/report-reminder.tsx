import type { ComponentChildren } from 'preact';
import { reportsOf } from '../../db/report';
import { DEFAULT_REPORT_DEADLINE, deadlineOf } from '../../domain/config';
import { localDay } from '../../domain/day';
import { useSession } from '../session';
import { useLive } from '../use-live';
import { useNow } from '../use-now';

const HOUR = 60 * 60_000;

/**
 * From an hour before the daily report's deadline, until today's report is made: a reminder in
 * the header (in the place line, so the gate's screen keeps its layout) that opens the report.
 */
export function ReportReminder({ otherwise }: { otherwise: ComponentChildren }) {
  const { db, t, config } = useSession();
  const now = useNow(60_000);
  const today = localDay(now);
  const deadline = config.rules.reportDeadline ?? DEFAULT_REPORT_DEADLINE;
  const due = deadlineOf(today, deadline);
  const reported = useLive(async () => (await reportsOf(db, today)).length > 0, [db, today]);
  if (reported !== false || now < due - HOUR) return <>{otherwise}</>;
  return (
    <a class="fever-bar report-reminder" href="#/report">
      {t(now < due ? 'reminder.soon' : 'reminder.late', { deadline })}
    </a>
  );
}
