// Vite imports a file's text with `?raw` (the duty page's script is served from the bundle).
declare module '*?raw' {
  const text: string;
  export default text;
}
