/** A Lua script imported as its text (Vite's `?raw`, in the main and worker builds and in Vitest). */
declare module '*.lua?raw' {
  const text: string;
  export default text;
}
