// After a one-click change (drain, undrain, the forwarding switch) is saved: it is not on the
// director until applied. "Apply now" opens the plan for it (every pending change of the cluster,
// shown before anything runs) and applies it from there.
import { useState } from "react";
import { Button } from "../../components/Button.tsx";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { PlanDialog } from "./apply/PlanDialog.tsx";

export function ApplyNow({ clusterId, what }: { clusterId: string; what: string }) {
  const [open, setOpen] = useState(false);
  return (
    <IfCanEdit>
      <span className="inline-flex items-center gap-2 text-xs text-amber-800">
        {what}: saved, not on the director yet.
        <Button size="sm" variant="primary" onClick={() => setOpen(true)}>
          Apply now
        </Button>
      </span>
      {open ? <PlanDialog clusterId={clusterId} onClose={() => setOpen(false)} /> : null}
    </IfCanEdit>
  );
}
