import { reportsOf } from '../../db/daily-reports';
import { DEFAULT_REPORT_DEADLINE, deadlineOf } from '../../domain/config';
import { localDay } from '../../domain/day';
import { useSession } from '../session';
import { useLive } from '../use-live';
import { useNow } from '../use-now';

const HOUR = 60 * 60_000;

/**
 * The header's place line: the checkpoint and the volunteer on duty. From an hour before the daily
 * report's deadline until today's report is made, a reminder that opens the report takes the
 * checkpoint's place (in the line, so the gate's screen keeps its layout).
 */
export function PlaceLine() {
  const { db, t, config } = useSession();
  const now = useNow(60_000);
  const today = localDay(now);
  const deadline = config.rules.reportDeadline ?? DEFAULT_REPORT_DEADLINE;
  const due = deadlineOf(today, deadline);
  const reported = useLive(async () => (await reportsOf(db, today)).length > 0, [db, today]);
  const remind = reported === false && now >= due - HOUR;
  return (
    <p class="topbar__place">
      {remind ? (
        <a class="report-reminder" href="#/report">
          {t(now < due ? 'reminder.soon' : 'reminder.late', { deadline })}
        </a>
      ) : (
        <strong>{config.checkpoint.name}</strong>
      )}{' '}
      · {config.volunteer.name}
    </p>
  );
}
