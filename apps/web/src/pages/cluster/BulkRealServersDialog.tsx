// Add many realservers to a service from a pasted list, one a line: `address[:port] [weight]`.
// The list is read as typed (the same parser names a bad line before anything is sent), sent in
// one request that adds all or none, and what the API refuses is named by its line too.
import {
  addressFamily,
  canonicalAddress,
  liveServiceKey,
  parseRealserverList,
} from "@lvs-panel/lvs";
import { type FormEvent, useState } from "react";
import { useBulkCreateRealServersMutation } from "../../api/bulkRealservers.ts";
import { isApiError } from "../../api/client.ts";
import { useHostsQuery } from "../../api/hosts.ts";
import type { Service } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { CheckboxField, FormError, TextAreaField } from "../../components/Field.tsx";
import { pluralize } from "../../lib/format.ts";

interface LineProblem {
  line: number;
  message: string;
}

/** The API's `fields` (`realservers.2.address`) as lines of the paste, by the entries sent. */
function problemsByLine(error: unknown, lines: number[]): LineProblem[] | null {
  if (!isApiError(error)) return null;
  const problems: LineProblem[] = [];
  for (const [field, message] of Object.entries(error.fields)) {
    const m = /^realservers\.(\d+)\.(\w+)$/.exec(field);
    const line = m ? lines[Number(m[1])] : undefined;
    if (line === undefined) return null;
    problems.push({ line, message: m?.[2] === "address" ? message : `${m?.[2]}: ${message}` });
  }
  return problems.length > 0 ? problems.sort((a, b) => a.line - b.line) : null;
}

export function BulkRealServersDialog({
  service,
  onClose,
}: {
  service: Service;
  onClose: () => void;
}) {
  const create = useBulkCreateRealServersMutation(service.clusterId, service.id);
  const hosts = useHostsQuery();
  const [text, setText] = useState("");
  const [link, setLink] = useState(true);
  // Shown after Add: the problems of the list as it was then, until the text changes and fixes
  // them (each line is read again as typed; one that is right now drops out).
  const [shown, setShown] = useState<LineProblem[] | null>(null);
  const [apiProblems, setApiProblems] = useState<{ text: string; problems: LineProblem[] } | null>(
    null,
  );
  const mark = service.fwmark !== null;
  const list = parseRealserverList(text, {
    port: mark ? null : service.port,
    family: addressFamily(service.vip),
    existing: service.realservers,
  });
  const byAddress = new Map(
    (hosts.data ?? []).flatMap((h) =>
      addressFamily(h.address) === null ? [] : [[canonicalAddress(h.address), h.id] as const],
    ),
  );
  const linkable = list.entries.filter((e) => byAddress.has(e.address)).length;
  const stillWrong = shown?.filter((p) => list.problems.some((q) => q.line === p.line)) ?? null;
  const problems = [
    ...(stillWrong ?? []).map((p) => list.problems.find((q) => q.line === p.line) ?? p),
    ...(apiProblems && apiProblems.text === text ? apiProblems.problems : []),
  ];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.reset();
    setApiProblems(null);
    if (list.problems.length > 0 || list.entries.length === 0) {
      setShown(list.problems);
      return;
    }
    setShown(null);
    const sent = text;
    create.mutate(
      {
        realservers: list.entries.map((e) => ({
          address: e.address,
          port: e.port,
          weight: e.weight,
          ...(link && byAddress.has(e.address) ? { hostId: byAddress.get(e.address) } : {}),
        })),
      },
      {
        onSuccess: onClose,
        onError: (error) => {
          const lines = problemsByLine(
            error,
            list.entries.map((e) => e.line),
          );
          if (lines) setApiProblems({ text: sent, problems: lines });
        },
      },
    );
  };

  const empty = list.entries.length === 0 && list.problems.length === 0;
  const unplaced = create.isError && !apiProblems ? create.error.message : null;
  return (
    <Dialog
      title={`Add realservers to ${liveServiceKey(service)}`}
      description={
        <>
          One realserver a line: <span className="font-mono">address[:port] [weight]</span>. An IPv6
          address with a port goes in brackets, as in{" "}
          <span className="font-mono">[fd00::11]:8080</span>.{" "}
          {mark
            ? "A mark service has no port of its own: give each line one."
            : `Without a port a realserver gets the service's, ${service.port}; without a weight, 1.`}{" "}
          All of them are added, or none.
        </>
      }
      onClose={onClose}
      size="lg"
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={unplaced} />
        <TextAreaField
          label="Realservers"
          name="realservers"
          rows={8}
          autoFocus
          spellCheck={false}
          placeholder={
            mark ? "10.10.0.11:80\n10.10.0.12:80 2" : `10.10.0.11\n10.10.0.12:${service.port} 2`
          }
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={
            problems.length > 0
              ? `${pluralize(problems.length, "line")} to fix before anything is added`
              : shown && empty
                ? "Paste at least one realserver"
                : undefined
          }
          hint={
            empty
              ? undefined
              : list.problems.length > 0
                ? `${pluralize(list.entries.length, "realserver")} read, ${pluralize(list.problems.length, "line")} not understood`
                : `${pluralize(list.entries.length, "realserver")} to add`
          }
        />
        {problems.length > 0 ? (
          <ul aria-label="Lines to fix" className="space-y-1 text-sm text-red-700">
            {problems.map((p) => (
              <li key={`${p.line}-${p.message}`}>
                <span className="font-medium">Line {p.line}:</span> {p.message}
              </li>
            ))}
          </ul>
        ) : null}
        {byAddress.size > 0 ? (
          <CheckboxField
            label={`Link each to the SSH host with its address (${linkable} of ${list.entries.length})`}
            hint="Linked realservers are prepared by the panel (VIP on lo, ARP settings, NAT return route); the others by hand."
            checked={link}
            onChange={(e) => setLink(e.target.checked)}
          />
        ) : null}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" pending={create.isPending}>
            {list.entries.length > 0
              ? `Add ${pluralize(list.entries.length, "realserver")}`
              : "Add realservers"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
