import { useT } from './i18n';

export interface PrintedPass {
  passId: string;
  /** The pass's KD1 text, which its QR code holds. */
  code: string;
  /** The QR code as SVG markup, made by the qrcode library from the pass's KD1 text. */
  qrSvg: string;
  addr: string;
  validFrom: string;
  validUntil: string;
  place: string;
}

const PER_PAGE = 8;

/** A4 sheets of pass cards, eight a page with cut lines; on paper nothing else of the app shows. */
export function PassSheet({ passes }: { passes: PrintedPass[] }) {
  const t = useT();
  const pages = Array.from({ length: Math.ceil(passes.length / PER_PAGE) }, (_, page) =>
    passes.slice(page * PER_PAGE, (page + 1) * PER_PAGE),
  );
  return (
    <div class="sheet">
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
              {/* The SVG is path data from the qrcode library; no text a person typed goes in it. */}
              <div
                class="card__qr"
                role="img"
                aria-label={pass.passId}
                dangerouslySetInnerHTML={{ __html: pass.qrSvg }}
              />
              <p class="card__addr">{pass.addr}</p>
              <p class="card__small">
                {t('card.validity', { from: pass.validFrom, until: pass.validUntil })}
              </p>
              <p class="card__small">{pass.passId}</p>
            </article>
          ))}
        </section>
      ))}
    </div>
  );
}
