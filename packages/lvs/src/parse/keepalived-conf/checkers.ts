// A realserver's checker block read, and turned into the panel's HealthCheck: the model's timing
// is delay_loop, connect_timeout and retry; what else keepalived times differently (the wait
// before a retry, fractional seconds, warmup, fast_recovery) is imported with a note saying what
// the panel's rendering of the file changes, because none of it changes what counts as healthy.
import type { HealthCheck } from "../../health-check.ts";
import type { Statement } from "./blocks.ts";
import { CHECKERS, type CheckerKeyword, other } from "./keywords.ts";
import { flag, refuse, seconds, secondsText, uint } from "./values.ts";

/** Settings a virtual_server passes to its realservers and they to their checker (§1.1). */
export interface Timing {
  delayLoop?: number;
  connectTimeout?: number;
  retry?: number;
  delayBeforeRetry?: number;
  warmup?: number;
  virtualhost?: string;
}

/** Reads `st` into `t` if it is one of the inherited settings. */
export function timing(t: Timing, st: Statement): boolean {
  const kw = st.words[0];
  if (kw === "delay_loop") t.delayLoop = seconds(st);
  else if (kw === "connect_timeout") t.connectTimeout = seconds(st);
  else if (kw === "retry") t.retry = uint(st, 0xffffffff);
  else if (kw === "delay_before_retry") t.delayBeforeRetry = seconds(st);
  else if (kw === "warmup") t.warmup = seconds(st);
  else if (kw === "virtualhost") t.virtualhost = st.words[1] ?? "";
  else return false;
  return true;
}

interface Url {
  path?: string;
  status: Set<number>;
  virtualhost?: string;
}

export interface Checker {
  keyword: CheckerKeyword;
  type: "tcp" | "http" | "https";
  timing: Timing;
  connectPort?: number;
  fastRecovery: boolean;
  urls: Url[];
}

export function checker(st: Statement): Checker {
  const kw = st.words[0] as CheckerKeyword;
  const c: Checker = { keyword: kw, type: CHECKERS[kw], timing: {}, fastRecovery: false, urls: [] };
  const http = c.type !== "tcp";
  for (const s of st.block ?? []) {
    const k = s.words[0];
    if (k === "virtualhost" && !http) other(s, kw);
    else if (k === "connect_port") c.connectPort = uint(s, 65535);
    else if (timing(c.timing, s)) continue;
    // keepalived 2.2.7 knows nb_get_retry in HTTP_GET and SSL_GET only.
    else if (k === "nb_get_retry" && http) c.timing.retry = uint(s, 0xffffffff);
    else if (k === "url" && http) c.urls.push(url(s));
    else if (k === "http_protocol" && http) {
      if (s.words[1] !== "1.0") refuse(`http_protocol ${s.words[1] ?? ""} is not supported`);
    }
    // The panel sends SNI with an HTTPS check's Host; SSL_GET verifies no certificate either way.
    else if (k === "enable_sni" && http) flag(s);
    else if (k === "fast_recovery" && http) c.fastRecovery = flag(s);
    else other(s, kw);
  }
  return c;
}

function url(st: Statement): Url {
  const u: Url = { status: new Set() };
  for (const s of st.block ?? []) {
    const k = s.words[0];
    if (k === "path") u.path = s.words[1] ?? "";
    else if (k === "virtualhost") u.virtualhost = s.words[1] ?? "";
    else if (k === "status_code") {
      for (const range of s.words.slice(1)) {
        const m = /^(\d{3})(?:-(\d{3}))?$/.exec(range);
        if (!m) refuse(`status_code ${range} at line ${s.line} is not a code or range`);
        for (let code = Number(m[1]); code <= Number(m[2] ?? m[1]); code++) u.status.add(code);
      }
    } else if (k?.startsWith("regex")) refuse("regex checks are not supported");
    else other(s, "url");
  }
  return u;
}

/** One code, or undefined for keepalived's default (any 2xx); any other set is refused. */
function expectStatus(status: Set<number>): number | undefined {
  const codes = [...status];
  if (codes.length === 0) return undefined;
  if (codes.length === 100 && codes.every((c) => c >= 200 && c <= 299)) return undefined;
  if (codes.length === 1) return codes[0];
  return refuse(
    "status_code lists and ranges are not supported: the panel expects one code or any 2xx",
  );
}

export interface CheckOf {
  check: HealthCheck;
  /** What the panel's rendering of this check changes in keepalived's timing. */
  notes: string[];
}

/**
 * The check a realserver's checker amounts to. `inherited` is the realserver's timing, then its
 * virtual_server's: the checker's own setting wins, then the realserver's (check_data.c).
 */
export function healthCheckOf(c: Checker, inherited: Timing[], name: string): CheckOf {
  const pick = <K extends keyof Timing>(k: K): Timing[K] =>
    [c.timing, ...inherited].map((t) => t[k]).find((v) => v !== undefined);
  const notes: string[] = [];
  const delayLoop = pick("delayLoop") ?? 60;
  // Rounded up to a second, checks under a second apart would come over twice as slowly.
  if (delayLoop < 1) {
    refuse(`${name}: delay_loop ${secondsText(delayLoop)}: the panel checks at most once a second`);
  }
  const check: HealthCheck = {
    type: c.type,
    intervalSeconds: whole("delay_loop", delayLoop, notes),
    // Rounded up, a slow answer keepalived would take still passes.
    timeoutSeconds: whole("connect_timeout", pick("connectTimeout") ?? 5, notes),
    retries: pick("retry") ?? 1,
  };
  retryNote(c, check, delayLoop, pick("delayBeforeRetry"), notes);
  const warmup = pick("warmup");
  if (warmup !== undefined && warmup !== delayLoop) {
    notes.push(
      `warmup (${secondsText(warmup)}) is left out: after keepalived starts or reloads, each first check comes at a random moment within delay_loop (${check.intervalSeconds} s)`,
    );
  }
  if (c.fastRecovery) {
    // With its one url, fast_recovery only skips the wait before the second good check that
    // brings a failed realserver back (check_http.c, epilog()).
    notes.push(
      `fast_recovery is left out: a failed realserver that answers again is back one delay_loop (${check.intervalSeconds} s) later`,
    );
  }
  if (c.type !== "tcp") {
    const [u, ...more] = c.urls;
    if (!u) refuse(`${name}: a ${c.type} check without a url (keepalived drops the checker)`);
    if (more.length > 0) refuse(`${name}: more than one url is not supported`);
    if (u.path === undefined) refuse(`${name}: url without a path (keepalived drops it)`);
    check.path = u.path;
    const status = expectStatus(u.status);
    if (status !== undefined) check.expectStatus = status;
    const host = u.virtualhost ?? pick("virtualhost");
    if (host !== undefined) check.host = host;
  }
  return { check, notes };
}

/** The model holds whole seconds: a fraction is rounded up, and said. */
function whole(keyword: string, value: number, notes: string[]): number {
  const n = Math.ceil(value);
  if (n !== value) notes.push(`${keyword} ${secondsText(value)} is rounded up to ${n} s`);
  return n;
}

/**
 * The panel renders delay_before_retry as delay_loop: a retry comes one interval after a failed
 * check. keepalived's own default is 1 s, 3 s for HTTP_GET and SSL_GET.
 */
function retryNote(
  c: Checker,
  check: HealthCheck,
  delayLoop: number,
  given: number | undefined,
  notes: string[],
): void {
  const wait = given ?? (c.type === "tcp" ? 1 : 3);
  if (check.retries === 0 || wait === delayLoop) return;
  const said = given === undefined ? `, keepalived's default for ${c.keyword}` : "";
  const now = check.retries * check.intervalSeconds;
  notes.push(
    `retries wait delay_loop (${check.intervalSeconds} s) instead of delay_before_retry (${secondsText(wait)}${said}): a failing realserver is out ${now} s after its first failed check, not ${secondsText(check.retries * wait)}`,
  );
}
