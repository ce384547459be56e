// After a one-click change (drain, undrain, the forwarding switch) is saved: it is not on the
// director until applied. "Apply now" opens the plan for it (every pending change of the cluster,
// shown before anything runs) and applies it from there. The dialog stays open through the apply
// even though the change stops being pending as it lands.
import { useState } from "react";
import { Button } from "../../components/Button.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { PlanDialog } from "./apply/PlanDialog.tsx";

export function ApplyNow({
  clusterId,
  what,
  pending,
}: {
  clusterId: string;
  what: string;
  /** Whether the change is still not on the director (the prompt shows only then). */
  pending: boolean;
}) {
  const [open, setOpen] = useState(false);
  if (!pending && !open) return null;
  return (
    <IfCanEdit>
      {pending ? (
        <span className="inline-flex items-center gap-2 text-xs text-amber-800">
          {what}: saved, not on the director yet.
          <Button size="sm" variant="primary" onClick={() => setOpen(true)}>
            Apply now
          </Button>
        </span>
      ) : null}
      {open ? <PlanDialog clusterId={clusterId} onClose={() => setOpen(false)} /> : null}
    </IfCanEdit>
  );
}
