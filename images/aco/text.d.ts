// The builder (esbuild) imports .txt files as their text.
declare module '*.txt' {
  const text: string;
  export default text;
}
