// Checker blocks through parseKeepalivedConf: the one check per service, what is refused, and the
// timing the panel renders otherwise, imported with a note.
import { describe, expect, it } from "vitest";
import type { KeepalivedImport } from "../keepalived-conf.ts";
import { parseKeepalivedConf } from "../keepalived-conf.ts";

/** A DR service on 10.0.0.1:80 with `inner` in its block and one realserver with `rs` in its. */
function conf(inner: string, rs: string): string {
  return `virtual_server 10.0.0.1 80 {\n  protocol TCP\n  lvs_method DR\n  ${inner}\n  real_server 10.0.0.11 80 {\n    ${rs}\n  }\n}\n`;
}

function imported(text: string): KeepalivedImport {
  const result = parseKeepalivedConf(text);
  expect(result.refused).toEqual([]);
  expect(result.services).toHaveLength(1);
  return result;
}

function reason(text: string): string {
  const { services, refused } = parseKeepalivedConf(text);
  expect(services).toEqual([]);
  return refused.map((r) => `${r.service}: ${r.reason}`).join("\n");
}

const tcp = (body: string) => `TCP_CHECK {\n ${body}\n }`;
const http = (body: string) => `HTTP_GET {\n url { path /health }\n ${body}\n }`;
const checked = (rs: string) => conf("delay_loop 5", rs);

describe("parseKeepalivedConf reads checkers", () => {
  it("passes timing and Host from the virtual_server to realservers and their checkers", () => {
    const { services } = imported(
      conf(
        "delay_loop 7\n connect_timeout 2\n retry 1\n delay_before_retry 7\n virtualhost shop.example",
        "HTTP_GET {\n url {\n path /\n status_code 200-299\n }\n }",
      ),
    );
    expect(services[0]?.healthCheck).toEqual({
      type: "http",
      intervalSeconds: 7,
      timeoutSeconds: 2,
      retries: 1,
      path: "/",
      host: "shop.example",
    });
  });

  it.each([
    [
      "a MISC_CHECK",
      checked("MISC_CHECK {\n misc_path /bin/true\n }"),
      /MISC_CHECK checks are not supported/,
    ],
    ["a DNS_CHECK", checked("DNS_CHECK {\n }"), /DNS_CHECK checks are not supported/],
    ["two checkers", checked(`${tcp("retry 0")}\n ${tcp("retry 0")}`), /more than one checker/],
    ["a digest", checked("HTTP_GET { url { path /\n digest abc } }"), /digest .* not supported/],
    [
      "a status list",
      checked("HTTP_GET { url { path /\n status_code 200 301 }\n retry 0 }"),
      /status_code lists/,
    ],
    ["a regex", checked("HTTP_GET { url { path /\n regex ok } }"), /regex checks/],
    ["http_protocol 1.1", checked(http("http_protocol 1.1")), /http_protocol 1.1 is not/],
    ["connect_ip", checked(tcp("connect_ip 10.0.0.99")), /connect_ip/],
    [
      "nb_get_retry in TCP_CHECK",
      checked(tcp("nb_get_retry 2")),
      /unknown keyword nb_get_retry in TCP_CHECK/,
    ],
    [
      "fast_recovery in TCP_CHECK",
      checked(tcp("fast_recovery")),
      /unknown keyword fast_recovery in TCP_CHECK/,
    ],
    ["a malformed timer", checked(tcp("delay_loop 1,5")), /delay_loop 1,5 at line \d+ is not/],
    [
      "a sub-second delay_loop",
      checked(tcp("delay_loop 0.5")),
      /delay_loop 0.5 s: the panel checks at most once a second/,
    ],
    ["a url-less HTTP_GET", checked("HTTP_GET {\n retry 0\n }"), /without a url/],
    [
      "a timeout past the interval",
      checked(tcp("connect_timeout 9\n retry 0")),
      /healthCheck.timeoutSeconds: must not exceed the interval/,
    ],
    ["more retries than the panel's 10", checked(tcp("retry 11")), /healthCheck: /],
    [
      "a bad path",
      checked('HTTP_GET { url { path "/a b" } retry 0 }'),
      /healthCheck: must start with \//,
    ],
  ])("refuses %s", (_, text, why) => {
    expect(reason(text)).toMatch(why);
  });

  it("refuses a service whose realservers are checked differently", () => {
    const text = `virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_method DR\n delay_loop 5\n real_server 10.0.0.11 80 {\n ${tcp("retry 0")}\n }\n real_server 10.0.0.12 80 {\n ${tcp("retry 0\n connect_timeout 2")}\n }\n real_server 10.0.0.13 80 {\n weight 1\n }\n}`;
    expect(reason(text)).toMatch(/real_server 10.0.0.12:80 is checked otherwise/);
    expect(reason(text.replace("connect_timeout 2", ""))).toMatch(
      /real_server 10.0.0.13:80 has no checker while others have one/,
    );
  });

  it("refuses a service whose realservers disagree on inhibit_on_failure", () => {
    const text = `virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_method DR\n delay_loop 5\n real_server 10.0.0.11 80 {\n inhibit_on_failure\n ${tcp("retry 0")}\n }\n real_server 10.0.0.12 80 {\n ${tcp("retry 0")}\n }\n}`;
    expect(reason(text)).toMatch(/inhibit_on_failure is set for some realservers and not others/);
  });
});

describe("parseKeepalivedConf imports timing the panel renders otherwise, with a note", () => {
  const notes = (text: string) => imported(text).adjusted.map((a) => `${a.service}: ${a.note}`);

  it("retries after delay_loop, not after delay_before_retry", () => {
    const { services, adjusted } = imported(
      conf("delay_loop 6", tcp("connect_timeout 3\n retry 3\n delay_before_retry 3")),
    );
    expect(services[0]?.healthCheck).toEqual({
      type: "tcp",
      intervalSeconds: 6,
      timeoutSeconds: 3,
      retries: 3,
    });
    expect(adjusted).toEqual([
      {
        service: "TCP 10.0.0.1:80",
        note: "retries wait delay_loop (6 s) instead of delay_before_retry (3 s): a failing realserver is out 18 s after its first failed check, not 9 s",
      },
    ]);
  });

  it("says when the wait it replaces is keepalived's default, 1 s or 3 s for HTTP", () => {
    expect(notes(conf("delay_loop 6", tcp("retry 1")))).toEqual([
      "TCP 10.0.0.1:80: retries wait delay_loop (6 s) instead of delay_before_retry (1 s, keepalived's default for TCP_CHECK): a failing realserver is out 6 s after its first failed check, not 1 s",
    ]);
    expect(notes(conf("delay_loop 6", http("nb_get_retry 2")))).toEqual([
      "TCP 10.0.0.1:80: retries wait delay_loop (6 s) instead of delay_before_retry (3 s, keepalived's default for HTTP_GET): a failing realserver is out 12 s after its first failed check, not 6 s",
    ]);
  });

  it("says nothing when no retry waits, or it waits delay_loop already", () => {
    expect(notes(conf("delay_loop 6", tcp("retry 0\n delay_before_retry 2")))).toEqual([]);
    expect(notes(conf("delay_loop 6\n delay_before_retry 6.0", tcp("retry 2")))).toEqual([]);
  });

  it("rounds fractional seconds up", () => {
    const { services, adjusted } = imported(
      conf("delay_loop 2.5", tcp("connect_timeout 0.25\n retry 0")),
    );
    expect(services[0]?.healthCheck).toMatchObject({ intervalSeconds: 3, timeoutSeconds: 1 });
    expect(adjusted.map((a) => a.note)).toEqual([
      "delay_loop 2.5 s is rounded up to 3 s",
      "connect_timeout 0.25 s is rounded up to 1 s",
    ]);
  });

  it("leaves out warmup and fast_recovery, saying what that changes", () => {
    expect(notes(conf("delay_loop 6\n warmup 0", http("retry 0\n fast_recovery")))).toEqual([
      "TCP 10.0.0.1:80: warmup (0 s) is left out: after keepalived starts or reloads, each first check comes at a random moment within delay_loop (6 s)",
      "TCP 10.0.0.1:80: fast_recovery is left out: a failed realserver that answers again is back one delay_loop (6 s) later",
    ]);
    // warmup at delay_loop is keepalived's default; fast_recovery off changes nothing.
    expect(notes(conf("delay_loop 6", http("retry 0\n warmup 6\n fast_recovery no")))).toEqual([]);
  });

  it("names the realservers when their notes differ", () => {
    const text = conf("delay_loop 6", tcp("retry 1\n delay_before_retry 2")).replace(
      "  }\n}",
      `  }\n  real_server 10.0.0.12 80 {\n ${tcp("retry 1\n delay_before_retry 3")}\n  }\n}`,
    );
    expect(notes(text)).toEqual([
      "TCP 10.0.0.1:80: real_server 10.0.0.11:80: retries wait delay_loop (6 s) instead of delay_before_retry (2 s): a failing realserver is out 6 s after its first failed check, not 2 s",
      "TCP 10.0.0.1:80: real_server 10.0.0.12:80: retries wait delay_loop (6 s) instead of delay_before_retry (3 s): a failing realserver is out 6 s after its first failed check, not 3 s",
    ]);
  });

  it("gives no note for a service it refuses", () => {
    const { adjusted } = parseKeepalivedConf(
      conf("delay_loop 6\n lvs_sched twos", tcp("retry 1")) +
        conf("delay_loop 6", tcp("retry 1")).repeat(2).replaceAll("10.0.0.1 80", "10.0.0.2 80"),
    );
    expect(adjusted).toEqual([]);
  });
});
