import type { Quota } from '../domain/config';
import { type Lang, type Translate, translator } from '../i18n';
import { QrImage } from './qr-image';

export interface PrintedPass {
  passId: string;
  /** The pass's KD1 text, which its QR code holds. */
  code: string;
  /** The QR code as SVG markup, made by the qrcode library from the pass's KD1 text. */
  qrSvg: string;
  addr: string;
  household: string;
  validFrom: string;
  validUntil: string;
  place: string;
  /** The outing rules the gates apply to this pass: its own, else the checkpoint's. */
  quota?: Quota;
  curfew?: string;
  /** The office's phone, for a household with a question or a lost card. */
  phone: string;
}

const PER_PAGE = 8;

/** The rules on a card in words: "每 2 天可外出 1 次", "22:00–06:00 不得外出". */
export function ruleWords(t: Translate, quota?: Quota, curfew?: string): string[] {
  const words: string[] = [];
  if (quota)
    words.push(
      quota.n === 0
        ? t('card.quotaNone')
        : t(quota.days === 1 ? 'card.quotaDaily' : 'card.quota', { n: quota.n, days: quota.days }),
    );
  if (curfew) {
    const [from = '', until = ''] = curfew.split('-');
    words.push(t('card.curfew', { from, until }));
  }
  return words;
}

/**
 * A4 sheets of pass cards, eight a page with cut lines, in the language chosen for printing
 * (loaded by the caller); on paper nothing else of the app shows.
 */
export function PassSheet({ passes, lang }: { passes: PrintedPass[]; lang: Lang }) {
  const t = translator(lang);
  const pages = Array.from({ length: Math.ceil(passes.length / PER_PAGE) }, (_, page) =>
    passes.slice(page * PER_PAGE, (page + 1) * PER_PAGE),
  );
  return (
    <div class="sheet" lang={lang}>
      {pages.map((cards, page) => (
        <section class="sheet__page" key={cards[0]?.passId ?? page}>
          {cards.map((pass) => (
            <article
              class="card"
              key={pass.passId}
              data-pass-id={pass.passId}
              data-code={pass.code}
            >
              <p class="card__title">
                {t('card.title')} · {pass.place}
              </p>
              <QrImage svg={pass.qrSvg} label={t('card.number', { id: pass.passId })} />
              <div class="card__text">
                <p class="card__addr">{pass.addr}</p>
                <p>{t('card.household', { hh: pass.household })}</p>
                {ruleWords(t, pass.quota, pass.curfew).map((words) => (
                  <p key={words} class="card__rule">
                    {words}
                  </p>
                ))}
                <p>{t('card.validity', { from: pass.validFrom, until: pass.validUntil })}</p>
                <p>{t('card.phone', { phone: pass.phone })}</p>
                <p class="card__small">{t('card.number', { id: pass.passId })}</p>
              </div>
            </article>
          ))}
        </section>
      ))}
    </div>
  );
}
