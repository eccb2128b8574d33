/** Vite's `?raw` imports (file contents as a string), used by tests that check shipped config files. */
declare module "*?raw" {
  const content: string;
  export default content;
}
