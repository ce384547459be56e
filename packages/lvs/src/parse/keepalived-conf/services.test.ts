// virtual_server and real_server blocks through parseKeepalivedConf: read as keepalived 2.2.7
// reads them, or refused whole with the reason. Checkers: checkers.test.ts.
import { describe, expect, it } from "vitest";
import type { ServiceSpec } from "../../model.ts";
import { parseKeepalivedConf } from "../keepalived-conf.ts";

/** A DR service on 10.0.0.1:80 with `inner` in its block and one realserver with `rs` in its. */
function conf(inner: string, rs = "weight 1", head = "10.0.0.1 80"): string {
  return `virtual_server ${head} {\n  protocol TCP\n  lvs_method DR\n  ${inner}\n  real_server 10.0.0.11 80 {\n    ${rs}\n  }\n}\n`;
}

function only(text: string): ServiceSpec {
  const { services, refused } = parseKeepalivedConf(text);
  expect(refused).toEqual([]);
  expect(services).toHaveLength(1);
  return services[0] as ServiceSpec;
}

function reason(text: string): string {
  const { services, refused } = parseKeepalivedConf(text);
  expect(services).toEqual([]);
  return refused.map((r) => `${r.service}: ${r.reason}`).join("\n");
}

const tcp = (body: string) => `TCP_CHECK {\n ${body}\n }`;

describe("parseKeepalivedConf reads services like keepalived 2.2.7", () => {
  it("splits braces off words, and takes a { on the line after its keyword", () => {
    const s = only(
      'virtual_server 10.0.0.1 80{\nprotocol TCP\nlvs_sched "rr"\nreal_server 10.0.0.11 80\n{\nweight 2}\nreal_server 10.0.0.12 80 { weight 3 }\n}',
    );
    expect(s.scheduler).toBe("rr");
    expect(s.realservers.map((rs) => rs.weight)).toEqual([2, 3]);
  });

  it("ends a line at # or ! outside quotes", () => {
    const s = only(conf("lvs_sched wrr # was rr", "weight 4 ! was 2"));
    expect(s.scheduler).toBe("wrr");
    expect(s.realservers[0]?.weight).toBe(4);
    // Quoted, or escaped, # is a word: here a scheduler that does not exist, and a keyword.
    expect(reason(conf('lvs_sched "#" # comment'))).toMatch(/lvs_sched # is not supported/);
    expect(reason(conf("\\# comment"))).toMatch(/unknown keyword # in virtual_server/);
  });

  it("uses keepalived's defaults for what the file leaves out", () => {
    const s = only(
      "virtual_server 10.0.0.1 80 {\n persistence_granularity 255.255.255.0\n weight 5\n real_server 10.0.0.11 {\n TCP_CHECK {\n retry 0\n }\n }\n}",
    );
    expect(s).toMatchObject({
      protocol: "udp",
      scheduler: "wlc",
      forwarding: "nat",
      persistence: 360,
      persistenceNetmask: "255.255.255.0",
      realservers: [{ address: "10.0.0.11", port: 80, weight: 5, enabled: true }],
      healthCheck: { type: "tcp", intervalSeconds: 60, timeoutSeconds: 5, retries: 0 },
      onFailure: "remove",
    });
    expect(only(conf("persistence_timeout")).persistence).toBe(360);
  });

  it("resets a DR realserver's port to the service's, as keepalived does", () => {
    const s = only(conf("", "weight 1").replace("10.0.0.11 80", "10.0.0.11 8080"));
    expect(s.realservers[0]?.port).toBe(80);
  });

  it("reads a realserver's own method and check port", () => {
    const s = only(
      `virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_method NAT\n delay_loop 5\n real_server 10.0.0.11 8080 {\n lvs_method DR\n ${tcp("retry 0")}\n }\n real_server 10.0.0.12 8080 {\n ${tcp("retry 0\n connect_port 9000")}\n }\n}`,
    );
    expect(s.realservers).toEqual([
      { address: "10.0.0.11", port: 80, weight: 1, enabled: true, forwarding: "dr" },
      { address: "10.0.0.12", port: 8080, weight: 1, enabled: true, checkPort: 9000 },
    ]);
  });

  it("ignores what changes nothing the panel holds", () => {
    const { services, refused, adjusted } = parseKeepalivedConf(
      conf(
        "smtp_alert\n snmp_name web\n hashed\n quorum 1\n hysteresis 0\n omega",
        "alpha off\n smtp_alert no\n SSL_GET {\n url { path / }\n http_protocol 1.0\n enable_sni\n log_all_failures\n retry 0\n }",
      ),
    );
    expect(refused).toEqual([]);
    expect(adjusted).toEqual([]);
    expect(services[0]?.healthCheck?.type).toBe("https");
  });
});

describe("parseKeepalivedConf reads TUN and SCTP", () => {
  it("imports lvs_method TUN and protocol SCTP", () => {
    expect(only(conf("lvs_method TUN")).forwarding).toBe("tun");
    expect(only(conf("protocol SCTP")).protocol).toBe("sctp");
  });
});

describe("parseKeepalivedConf refuses services the model cannot hold", () => {
  it.each([
    ["ops", conf("ops"), /ops/],
    ["twos", conf("lvs_sched twos"), /lvs_sched twos is not supported/],
    ["a flag before its scheduler", conf("sh-port\n lvs_sched sh"), /sh-port before lvs_sched sh/],
    ["flags on rr", conf("lvs_sched rr\n flag-2"), /scheduler flags need lvs_sched sh or mh/],
    ["quorum", conf("quorum 2"), /quorum 2 is not supported/],
    ["hysteresis", conf("hysteresis 1"), /hysteresis 1 is not supported/],
    ["alpha", conf("alpha"), /alpha/],
    ["ha_suspend", conf("ha_suspend"), /ha_suspend/],
    [
      "an unknown keyword",
      conf("lvs_frobnicate 1"),
      /unknown keyword lvs_frobnicate in virtual_server at line 4/,
    ],
    ["notify scripts", conf("", "notify_up /bin/true"), /notify scripts \(notify_up\)/],
    [
      "an include",
      conf("include /etc/keepalived/rs.conf"),
      /include files are not read: \/etc\/keepalived\/rs.conf/,
    ],
    ["a per-node line", conf("@lb2 lvs_sched rr"), /per-node lines \(@lb2\)/],
    ["a ~SEQ line", conf("~SEQ(i,1,2) weight 1"), /~SEQ and ~LST lines are not expanded/],
    ["an unterminated quote", conf('lvs_sched "rr'), /unterminated quote at line 4/],
    ["a port-less service", conf("", "weight 1", "10.0.0.1"), /without a port/],
    [
      "a group",
      conf("", "weight 1", "group WEB"),
      /^group WEB: virtual_server_group is not supported/,
    ],
    ["no realserver", "virtual_server 10.0.0.1 80 {\n protocol TCP\n}", /no real_server/],
    [
      "thresholds out of order",
      conf("", "uthreshold 5\n lthreshold 9"),
      /real_server 10.0.0.11:80 lowerThreshold: /,
    ],
    [
      "a sorry server of another method than the service's",
      conf("sorry_server 10.0.0.99 80\n sorry_server_lvs_method NAT"),
      /sorry_server_lvs_method differs from the service's/,
    ],
  ])("%s", (_, text, why) => {
    expect(reason(text)).toMatch(why);
  });

  it("refuses a sorry server whose method the first realserver's would replace", () => {
    // The panel writes the first realserver's method as the virtual_server's, and so as its
    // sorry server's: this NAT sorry server would become a DR one.
    const text = conf("sorry_server 10.0.0.99 8080", "lvs_method DR").replace(
      "lvs_method DR\n  sorry",
      "lvs_method NAT\n  sorry",
    );
    expect(reason(text)).toBe(
      "TCP 10.0.0.1:80: the sorry server is forwarded by NAT, the first realserver by DR: the panel forwards a sorry server by its first realserver's method",
    );
  });
});
