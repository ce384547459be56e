// Copies a text to the clipboard and says so. Falls back to a selection copy where the
// Clipboard API is missing (plain-HTTP panels on a LAN address are not a secure context).
import { useEffect, useState } from "react";
import { Button } from "./Button.tsx";
import { CheckCircleIcon, CopyIcon } from "./icons.tsx";

async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the selection copy
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  // Inside an open modal <dialog> only its subtree is interactive, so append there.
  (document.querySelector("dialog[open]") ?? document.body).appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  return ok;
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <>
      <Button
        size="sm"
        icon={
          state === "copied" ? (
            <CheckCircleIcon className="size-4 text-emerald-600" />
          ) : (
            <CopyIcon />
          )
        }
        aria-label={label}
        onClick={async () => setState((await copyText(text)) ? "copied" : "failed")}
      >
        {state === "copied" ? "Copied" : "Copy"}
      </Button>
      <span role="status" className="sr-only">
        {state === "copied"
          ? "Copied to the clipboard"
          : state === "failed"
            ? "Copy failed; select the text and copy it"
            : ""}
      </span>
    </>
  );
}
