import { lightFormat } from 'date-fns';
import { maskIdNumber } from '../domain/identity';
import { passNumber } from '../domain/pass';
import type { KadianRecord } from '../domain/records';
import type { Translate } from '../i18n';

/** One line saying what a record holds, with ID numbers masked as lists must show them. */
export function describeRecord(t: Translate, record: KadianRecord): string {
  switch (record.kind) {
    case 'pass-scan': {
      const { data } = record;
      const pass = data.passId
        ? t('verdict.pass', {
            number: passNumber(data.passId),
            householdId: data.householdId ?? '',
          })
        : '';
      const reason = data.reason ? t(`reason.${data.reason}`) : '';
      return [
        t(`verdict.${data.verdict}`),
        t(data.direction === 'in' ? 'gate.in' : 'gate.out'),
        pass,
        reason,
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'temperature': {
      const { subject, celsius, method } = record.data;
      const who = subject.name ?? subject.ref ?? t('temp.subject.person');
      return t('summary.temperature', {
        subject: who,
        celsius: celsius.toFixed(1),
        method: t(`method.${method}`),
      });
    }
    case 'fever-follow-up':
      return t('summary.followUp', { action: t(`followUp.${record.data.action}`) });
    case 'visitor-in': {
      const { name, idNumber, from, visiting } = record.data;
      const id = typeof idNumber === 'string' ? maskIdNumber(idNumber) : (idNumber?.masked ?? '—');
      return t('summary.visitorIn', { name, id, region: from.region, visiting });
    }
    case 'visitor-out':
      return t('summary.visitorOut');
    case 'shift':
      return t(`summary.shift.${record.data.action}`, { name: record.volunteer.name });
    case 'void':
      return t('summary.void', { reason: record.data.reason });
    case 'daily-report':
      return record.data.date;
    case 'pass-revocation':
      return `${record.data.passId} · ${record.data.reason}`;
    case 'fever-alert-taken':
      return t('summary.alertTaken', { name: record.volunteer.name });
    case 'fever-alert-closed':
      return t('summary.alertClosed', {
        name: record.volunteer.name,
        outcome: t(`alert.outcome.${record.data.outcome}`),
      });
    case 'isolation-start':
      return t('summary.isolationStart', {
        address: record.data.address,
        count: record.data.members.length,
        days: record.data.days,
      });
    case 'isolation-check-in':
      return t('summary.isolationCheckIn', { count: record.data.readings.length });
    case 'isolation-extension':
      return t('summary.isolationExtension', { lastDay: record.data.lastDay });
    case 'isolation-end':
      return t('summary.isolationEnd', { outcome: t(`isolation.outcome.${record.data.outcome}`) });
  }
}

export const clockTime = (ms: number) => lightFormat(ms, 'HH:mm:ss');
