// An IPVS connection state with a colour cue: established green, handshakes amber, closing grey.
const tones: Record<string, string> = {
  ESTABLISHED: "bg-emerald-500",
  SYN_RECV: "bg-amber-500",
  SYN_SENT: "bg-amber-500",
  SYNACK: "bg-amber-500",
  LISTEN: "bg-sky-500",
  ASSURED: "bg-violet-500",
  UDP: "bg-sky-500",
  NONE: "bg-violet-400",
};

export function stateTone(state: string): string {
  return tones[state] ?? "bg-slate-400";
}

export function StateLabel({ state }: { state: string }) {
  return (
    <span className="inline-flex items-center gap-1.5 font-sans text-xs font-medium text-slate-700">
      <span aria-hidden="true" className={`size-1.5 rounded-full ${stateTone(state)}`} />
      {state}
    </span>
  );
}
