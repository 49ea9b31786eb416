// esbuild loads .css imports as text (loader '.css': 'text' in build-assets.mjs).
declare module '*.css' {
  const text: string;
  export default text;
}
