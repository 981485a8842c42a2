/**
 * A QR code from the SVG markup the qrcode library made of a code: path data only, so no text a
 * person typed ever becomes markup. `big` for a code read off a screen (setup, revocations,
 * configuration), else a pass card's.
 */
export function QrImage({ svg, label, big }: { svg: string; label: string; big?: boolean }) {
  return (
    <div
      class={big ? 'setup-code__qr' : 'card__qr'}
      role="img"
      aria-label={label}
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}
