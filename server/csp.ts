// The Content-Security-Policy of the app and the receiver's pages: scripts, styles and everything
// else from this origin only, no inline script, no plugins, no framing; uploads only to `connect`.

/** Where the built page may upload when no server header says more: any HTTPS endpoint, and loopback. */
export const META_CONNECT = ['https:', 'http://127.0.0.1:*', 'http://localhost:*'];

export function contentSecurityPolicy(connect: readonly string[], header = true): string {
  const directives = [
    "default-src 'self'",
    // WebAssembly (the camera's QR decoder) is compiled, never eval'd JavaScript.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    // QR codes and photos are read from blob: URLs; the report picture is drawn on a canvas.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    // A <meta> policy cannot forbid framing; the header can.
    ...(header ? ["frame-ancestors 'none'"] : []),
  ];
  return directives.join('; ');
}
