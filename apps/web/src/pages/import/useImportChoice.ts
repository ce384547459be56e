// Which of a director's services the operator imports: all of them ticked to begin with; when
// keepalived.conf is taken over whole, all of them, always.
import { useState } from "react";
import type { ImportPreview } from "../../api/types.ts";

export interface ImportChoice {
  /** keepalived.conf is taken over whole: every service it configures comes along. */
  required: boolean;
  isChosen: (service: string) => boolean;
  setChosen: (service: string, chosen: boolean) => void;
  /** The labels to import, in the preview's order. */
  chosen: string[];
  /** Every importable service is chosen (the request may then leave `services` out). */
  all: boolean;
  /** Why keepalived.conf cannot be taken over; while there are any, nothing can be imported. */
  blockers: string[];
}

export function useImportChoice(preview: ImportPreview | undefined): ImportChoice {
  // The unticked ones, so a service a new read brings is ticked like the rest.
  const [left, setLeft] = useState<ReadonlySet<string>>(() => new Set());
  const required = preview?.keepalivedConf?.takenOver === true;
  const isChosen = (service: string) => required || !left.has(service);
  const services = preview?.services.map((s) => s.service) ?? [];
  const chosen = services.filter(isChosen);
  return {
    required,
    isChosen,
    setChosen: (service, yes) =>
      setLeft((old) => {
        const next = new Set(old);
        if (yes) next.delete(service);
        else next.add(service);
        return next;
      }),
    chosen,
    all: chosen.length === services.length,
    blockers: preview?.keepalivedConf?.blockers ?? [],
  };
}
