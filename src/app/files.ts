/** Saves a file through the browser's download. */
export function download(name: string, content: string | Blob, type: string): void {
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type })),
    download: name,
  });
  link.click();
  URL.revokeObjectURL(link.href);
}
