import QRCode from 'qrcode';

/** A QR code as SVG markup (path data only: nothing a person typed ends up as markup). */
export function qrSvg(text: string, level: 'L' | 'M'): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: level, margin: 4 });
}
