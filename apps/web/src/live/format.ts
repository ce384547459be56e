// Display formatting for the live view: rates, byte throughput, countdowns, clock times.
const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 1234 → "1,234"; undefined (not reported) → "—". */
export function formatCount(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "—" : count.format(value);
}

const SI = ["", "k", "M", "G", "T"] as const;

/** Bytes per second with SI prefixes: 512 → "512 B/s", 1234 → "1.2 kB/s", 34_500_000 → "35 MB/s". */
export function formatBytesPerSecond(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "—";
  return `${scaleSI(value)}B/s`;
}

/** Packets or connections per second, shortened: 42 → "42/s", 12_340 → "12k/s". */
export function formatPerSecond(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "—";
  return `${formatAxisNumber(value)}/s`;
}

/** Chart axis labels: 0, 950, 1.2k, 35M (no unit; the chart title names it). */
export function formatAxisNumber(value: number): string {
  return scaleSI(value).replace(" ", "");
}

function scaleSI(value: number): string {
  let scaled = Math.abs(value);
  let prefix = 0;
  while (scaled >= 999.5 && prefix < SI.length - 1) {
    scaled /= 1000;
    prefix++;
  }
  const sign = value < 0 ? "-" : "";
  const digits = prefix > 0 && scaled < 9.95 ? scaled.toFixed(1) : Math.round(scaled).toString();
  return `${sign}${digits} ${SI[prefix]}`;
}

/** Seconds left on a connection entry as mm:ss (minutes unbounded: 3725 → "62:05"). */
export function formatExpires(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const whole = Math.floor(seconds);
  const minutes = Math.floor(whole / 60);
  return `${String(minutes).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
}

/** Local wall-clock HH:MM:SS (24 h), whatever the browser's locale. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
