// Display formatting only: durations, dates, counts. Endpoints are the domain's formatEndpoint
// (@lvs-panel/lvs), written as ipvsadm writes them.
import type { Forwarding } from "@lvs-panel/lvs";

/** 300 → "5 min", 90 → "90 s", 7200 → "2 h", null → "Off". */
export function formatPersistence(seconds: number | null): string {
  if (seconds === null) return "Off";
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function formatProtocol(protocol: string): string {
  return protocol.toUpperCase();
}

const FORWARDING_NAMES: Record<Forwarding, string> = { nat: "NAT", dr: "DR", tun: "TUN" };

/** "nat" → "NAT", "tun" → "TUN"; a method this build does not know, as written, upper-cased. */
export function formatForwarding(method: string): string {
  return Object.hasOwn(FORWARDING_NAMES, method)
    ? FORWARDING_NAMES[method as Forwarding]
    : method.toUpperCase();
}

/** "3 services", "1 realserver". */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** "5 minutes ago", "yesterday"; falls back to the date beyond a month. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 30 * 86_400) return relative.format(Math.round(seconds / 86_400), "day");
  return formatDateTime(iso);
}

const clock = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Wall-clock time with seconds, for event logs. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : clock.format(date);
}

/** 860 → "0.9 s", 12_300 → "12 s", 125_000 → "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** "add service …" → "Add service …" (plan summary lines are written lower-case). */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
