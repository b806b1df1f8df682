// Vite's `?url` imports: the module's default export is the served URL of the file.
declare module '*?url' {
  const url: string;
  export default url;
}
