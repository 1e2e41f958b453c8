/** The part of solc-js (which ships no types) that compile.ts uses. */
declare module 'solc' {
  const solc: {
    /** standard-JSON compilation: JSON input → JSON output */
    compile(input: string): string;
    version(): string;
  };
  export default solc;
}
