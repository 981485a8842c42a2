import { addDays } from 'date-fns';
import { useEffect, useState } from 'preact/hooks';
import { readMeta, writeMeta } from '../../db/settings';
import type { Rules } from '../../domain/config';
import { decodeText } from '../../domain/csv';
import { localDay } from '../../domain/day';
import {
  checkOfficePhone,
  HOUSEHOLD_COLUMNS,
  type HouseholdDraft,
  householdPasses,
  importHouseholds,
  type RowProblem,
} from '../../domain/household-passes';
import type { FieldIssue } from '../../domain/issues';
import type { PassPayload } from '../../domain/pass';
import { issueMessage, LANG_NAMES, LANGS, type Lang, loadLang } from '../../i18n';
import { FileButton, Form, IssueSummary, SelectField, TextField } from '../../ui/fields';
import { StatusLine } from '../../ui/notices';
import { PassSheet, type PrintedPass } from '../../ui/pass-sheet';
import { download } from '../files';
import { useSession } from '../session';
import { useIssuer } from './issuer';
import { type Issuer, signPass } from './keys';
import { qrSvg } from './qr';

const FIELDS: { key: keyof HouseholdDraft; numeric?: boolean }[] = [
  { key: 'household' },
  { key: 'address' },
  { key: 'cards', numeric: true },
  { key: 'validFrom' },
  { key: 'validUntil' },
  { key: 'quotaTimes', numeric: true },
  { key: 'quotaDays', numeric: true },
  { key: 'curfew' },
];

/**
 * Signs the payloads and lays them out as cards for the A4 sheet. A pass without its own quota or
 * curfew is held to the checkpoint's, which the office's setup codes give its gates: the card says so.
 */
async function printable(
  issuer: Issuer,
  payloads: PassPayload[],
  office: { place: string; phone: string; rules: Rules },
) {
  return Promise.all(
    payloads.map(async (payload): Promise<PrintedPass> => {
      const code = await signPass(issuer, payload);
      return {
        passId: payload.pid,
        code,
        qrSvg: await qrSvg(code, 'M'),
        addr: payload.addr,
        household: payload.hh,
        validFrom: localDay(payload.nb * 1000),
        validUntil: localDay(payload.na * 1000),
        place: office.place,
        quota: payload.q ?? office.rules.quota,
        curfew: payload.cf ?? office.rules.curfew,
        phone: office.phone,
      };
    }),
  );
}

/** Passes for one household from the form, or for many from a CSV file; then the A4 sheet. */
export function IssueSection() {
  const { db, t, config } = useSession();
  const issuer = useIssuer();
  const today = Date.now();
  const [draft, setDraft] = useState<HouseholdDraft>({
    household: '',
    address: '',
    cards: '2',
    validFrom: localDay(today),
    validUntil: localDay(addDays(today, 30).getTime()),
    quotaTimes: '',
    quotaDays: '2',
    curfew: '',
  });
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [printed, setPrinted] = useState<PrintedPass[]>([]);
  const [status, setStatus] = useState('');
  const [phone, setPhone] = useState(config.hotlines[0]?.number ?? '');
  const [cardLang, setCardLang] = useState<Lang>('zh-CN');
  useEffect(() => {
    void readMeta(db, 'officePhone').then((saved) => saved && setPhone(saved));
  }, [db]);

  if (!issuer) return null;
  const context = async () => ({
    kid: issuer.kid,
    series: issuer.series,
    nextSeq: ((await readMeta(db, 'passSeq')) ?? 0) + 1,
    checkpoints: [config.place.courtyard.id],
  });

  /** The office's phone for the cards; its problem is shown at its field. */
  function checkedPhone() {
    const checked = checkOfficePhone(phone);
    if (!checked.ok) {
      setStatus('');
      setIssues(checked.issues);
      return undefined;
    }
    return checked.value;
  }

  /** Nothing is numbered, signed or shown until every household is right. */
  async function issue(payloads: PassPayload[], households: number, officePhone: string) {
    const cards = await printable(issuer as Issuer, payloads, {
      place: config.place.courtyard.name,
      phone: officePhone,
      rules: config.rules,
    });
    await writeMeta(db, 'passSeq', ((await readMeta(db, 'passSeq')) ?? 0) + payloads.length);
    await writeMeta(db, 'officePhone', officePhone);
    setPrinted(cards);
    setIssues([]);
    setProblems([]);
    setStatus(
      t('office.issued', {
        count: cards.length,
        households,
        first: cards[0]?.passId ?? '',
        last: cards.at(-1)?.passId ?? '',
      }),
    );
  }

  async function issueOne() {
    const officePhone = checkedPhone();
    if (!officePhone) return;
    const made = householdPasses(draft, await context());
    if (!made.ok) {
      setStatus('');
      return setIssues(made.issues);
    }
    await issue(made.value, 1, officePhone);
  }

  async function importFile(file: File) {
    const officePhone = checkedPhone();
    if (!officePhone) return;
    const text = decodeText(new Uint8Array(await file.arrayBuffer()));
    const imported = importHouseholds(text, draft, await context());
    if (!imported.ok) {
      setStatus('');
      setPrinted([]);
      return setProblems(imported.problems);
    }
    await issue(imported.payloads, imported.households, officePhone);
  }

  const template = () => {
    const header = FIELDS.map(({ key }) => HOUSEHOLD_COLUMNS[key][0]).join(',');
    download('kadian-households.csv', `\uFEFF${header}\r\n`, 'text/csv;charset=utf-8');
  };

  return (
    <section>
      <h2>{t('office.issue')}</h2>
      <Form onSubmit={() => void issueOne()}>
        <TextField
          label={t('field.officePhone')}
          path="officePhone"
          value={phone}
          issues={issues}
          onValue={setPhone}
          inputMode="tel"
        />
        {FIELDS.map(({ key, numeric }) => (
          <TextField
            key={key}
            label={t(`field.${key}`)}
            path={key}
            value={draft[key]}
            issues={issues}
            onValue={(value) => setDraft({ ...draft, [key]: value })}
            inputMode={numeric ? 'numeric' : undefined}
          />
        ))}
        <IssueSummary issues={issues} />
        <button type="submit" class="primary">
          {t('office.issueButton')}
        </button>
      </Form>
      <h3>{t('office.csv')}</h3>
      <p>{t('office.csvHint')}</p>
      <FileButton
        label={t('office.csvPick')}
        accept=".csv,text/csv"
        onFile={(file) => void importFile(file)}
      />
      <button type="button" onClick={template}>
        {t('office.csvTemplate')}
      </button>
      {problems.length > 0 && (
        <div class="issues" role="alert">
          <p>{t('office.csvRefused')}</p>
          <ul>
            {problems.flatMap(({ line, issues: rowIssues }) =>
              rowIssues.map((issue) => (
                <li key={`${line}-${issue.field}-${issue.rule}`}>
                  {t('office.csvLine', { line, problem: issueMessage(t, issue) })}
                </li>
              )),
            )}
          </ul>
        </div>
      )}
      <StatusLine text={status} />
      {printed.length > 0 && (
        <>
          <SelectField
            label={t('office.cardLang')}
            path="cardLang"
            value={cardLang}
            issues={[]}
            options={LANGS.map((lang) => ({ value: lang, label: LANG_NAMES[lang] }))}
            onValue={(lang) => void loadLang(lang).then(() => setCardLang(lang))}
          />
          <button type="button" onClick={() => window.print()}>
            {t('office.print')}
          </button>
          <PassSheet passes={printed} lang={cardLang} />
        </>
      )}
    </section>
  );
}
