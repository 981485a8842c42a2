// What the office hands out: files to download and QR codes to print or show.
import QRCode from 'qrcode';

/** Saves a text file through the browser's download. */
export function download(name: string, text: string, type: string): void {
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(new Blob([text], { type })),
    download: name,
  });
  link.click();
  URL.revokeObjectURL(link.href);
}

/** A QR code as SVG markup (path data only: nothing a person typed ends up as markup). */
export function qrSvg(text: string, level: 'L' | 'M'): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: level, margin: 4 });
}
