// A host picker's options, each host as "name (address)": the director, import and realserver
// dialogs name hosts the same way (and the e2e tests pick them by that label).
import type { Host } from "../../api/types.ts";

export function HostOptions({
  hosts,
}: {
  hosts: readonly Pick<Host, "id" | "name" | "address">[] | undefined;
}) {
  return (
    <>
      {hosts?.map((host) => (
        <option key={host.id} value={host.id}>
          {host.name} ({host.address})
        </option>
      ))}
    </>
  );
}
