// The office's form for the configuration it pushes to its gates (see config-code.ts), both ways.
import { DEFAULT_REPORT_DEADLINE, type DeviceConfig } from './config';
import { ConfigPayload } from './config-code';
import { hotlinesFromText, hotlinesText, lines } from './config-draft';
import { localDay } from './day';
import { DEFAULT_ISOLATION } from './isolation';
import { type Checked, check } from './issues';

/** The office's form for a configuration to push, one string per input. */
export interface PublishDraft {
  keyAreas: string;
  quotaTimes: string;
  quotaDays: string;
  curfew: string;
  dutySms: string;
  reportDeadline: string;
  isolationCheckIns: string;
  isolationCutoff: string;
  isolationDays: string;
  hotlines: string;
}

/** The form as the office's own configuration fills it. */
export function publishDraft(config: DeviceConfig): PublishDraft {
  const isolation = config.rules.isolation ?? DEFAULT_ISOLATION;
  return {
    keyAreas: (config.keyAreas?.regions ?? []).join('\n'),
    quotaTimes: String(config.rules.quota?.n ?? ''),
    quotaDays: String(config.rules.quota?.days ?? 2),
    curfew: config.rules.curfew ?? '',
    dutySms: config.rules.dutySms ?? '',
    reportDeadline: config.rules.reportDeadline ?? DEFAULT_REPORT_DEADLINE,
    isolationCheckIns: String(isolation.checkInsPerDay),
    isolationCutoff: isolation.cutoff,
    isolationDays: String(isolation.days),
    hotlines: hotlinesText(config.hotlines),
  };
}

/**
 * The configuration a draft describes, checked: dated key areas (today), the rules, hotlines, and
 * the keys and data key the office's gates are to have (the office's own).
 */
export function publishPayload(
  draft: PublishDraft,
  office: DeviceConfig,
  signer: { kid: string; publicKey: string },
  at: number,
  /** Who is on duty for the office's place from now on, by the receiver's roster. */
  roster: ConfigPayload['roster'] = [],
): Checked<ConfigPayload> {
  const dutySms = draft.dutySms.replace(/\s/g, '');
  return check(ConfigPayload, {
    v: 1,
    kid: signer.kid,
    at,
    keyAreas: { asOf: localDay(at), regions: lines(draft.keyAreas) },
    rules: {
      ...(draft.quotaTimes.trim() && {
        quota: { n: Number(draft.quotaTimes), days: Number(draft.quotaDays) },
      }),
      ...(draft.curfew.trim() && { curfew: draft.curfew.trim() }),
      ...(dutySms && { dutySms }),
      ...(draft.reportDeadline.trim() && { reportDeadline: draft.reportDeadline.trim() }),
      isolation: {
        checkInsPerDay: Number(draft.isolationCheckIns),
        cutoff: draft.isolationCutoff.trim(),
        days: Number(draft.isolationDays),
      },
    },
    hotlines: hotlinesFromText(draft.hotlines),
    ...(roster.length > 0 && { roster }),
    issuerKeys: office.issuerKeys?.length ? office.issuerKeys : [signer.publicKey],
    ...(office.dataKey && { dataKey: office.dataKey }),
  });
}
