// Shell text exactly as it will run or ran: monospace, preserved whitespace, scrolls sideways.
export function CodeBlock({ code, tone = "dark" }: { code: string; tone?: "dark" | "light" }) {
  return (
    <pre
      className={`max-h-96 overflow-auto rounded-md px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre ${
        tone === "dark"
          ? "bg-slate-900 text-slate-100"
          : "bg-slate-50 text-slate-800 ring-1 ring-inset ring-slate-200"
      }`}
    >
      <code>{code}</code>
    </pre>
  );
}
