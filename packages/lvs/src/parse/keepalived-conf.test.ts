import { describe, expect, it } from "vitest";
import type { ServiceSpec } from "../model.ts";
import { renderKeepalivedConf } from "../render/keepalived-conf.ts";
import { parseKeepalivedConf } from "./keepalived-conf.ts";

// Written the way operators write it, not the way the panel renders: tabs, both comment
// characters, the old keyword names, nb_get_retry, VRRP beside the LVS part.
const OPERATOR_CONF = `! Configuration File for keepalived (lb1)
global_defs {
   notification_email {
     ops@example.com
   }
   router_id LVS_DEVEL
}

vrrp_sync_group VG1 {
	group {
		VI_1
	}
}

vrrp_instance VI_1 {
	state MASTER
	interface eth0
	virtual_router_id 51
	priority 150
	authentication {
		auth_type PASS
		auth_pass s3cret
	}
	virtual_ipaddress {
		192.168.200.100/24 dev eth0
		2001:db8::100/64 dev eth0
	}
}

include /etc/keepalived/conf.d/*.conf

# The shop. inhibit_on_failure here holds for every realserver.
virtual_server 192.168.200.100 80 {
	delay_loop 6
	lb_algo wlc
	lb_kind DR
	persistence_timeout 300
	protocol TCP
	inhibit_on_failure
	smtp_alert

	real_server 192.168.200.11 80 {
		weight 3
		HTTP_GET {
			url {
				path /healthz
				status_code 200
			}
			connect_timeout 3
			nb_get_retry 2
			delay_before_retry 6
		}
	}
	real_server 192.168.200.12 80 {
		weight 1    ! was 2 until the disk swap
		HTTP_GET {
			url {
				path /healthz
				status_code 200
			}
			connect_timeout 3
			nb_get_retry 2
			delay_before_retry 6
		}
	}
}

! Mail, checked by a script
virtual_server 192.168.200.100 25 {
	delay_loop 10
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server 10.0.1.21 25 {
		MISC_CHECK {
			misc_path "/usr/local/bin/check_smtp 10.0.1.21"
		}
	}
}

# Retries sooner than the next round: imported, with a note on what the panel changes.
virtual_server 192.168.200.100 8080 {
	delay_loop 6
	lb_algo rr
	lb_kind DR
	protocol TCP
	real_server 192.168.200.11 8080 {
		TCP_CHECK {
			connect_timeout 3
			retry 3
			delay_before_retry 3
		}
	}
}

# Mark 7 is set by iptables for 80 and 443 together.
virtual_server fwmark 7 {
	lvs_sched sh
	sh-port
	lvs_method DR
	delay_loop 10
	sorry_server 192.168.200.99
	real_server 192.168.200.11 {
		TCP_CHECK {
			connect_port 443
			connect_timeout 5
			retry 0
		}
	}
	real_server 192.168.200.12 {
		TCP_CHECK {
			connect_port 443
			connect_timeout 5
			retry 0
		}
	}
}

virtual_server 2001:db8::100 443 {
	protocol TCP
	lvs_sched rr
	lvs_method NAT
	delay_loop 4
	sorry_server 2001:db8::99 8443
	real_server 2001:db8:1::11 8443 {
		inhibit_on_failure off
		SSL_GET {
			url { path "/status?full=1" }
			virtualhost www.example.com
			enable_sni
			connect_timeout 2
			retry 0
		}
	}
}
`;

const SHOP: ServiceSpec = {
  protocol: "tcp",
  vip: "192.168.200.100",
  port: 80,
  scheduler: "wlc",
  schedulerFlags: [],
  persistence: 300,
  persistenceNetmask: null,
  forwarding: "dr",
  realservers: [
    { address: "192.168.200.11", port: 80, weight: 3, enabled: true },
    { address: "192.168.200.12", port: 80, weight: 1, enabled: true },
  ],
  healthCheck: {
    type: "http",
    intervalSeconds: 6,
    timeoutSeconds: 3,
    retries: 2,
    path: "/healthz",
    expectStatus: 200,
  },
  onFailure: "quiesce",
};

const MARK: ServiceSpec = {
  protocol: "tcp",
  vip: "0.0.0.0",
  port: 0,
  scheduler: "sh",
  schedulerFlags: ["sh-port"],
  persistence: null,
  persistenceNetmask: null,
  forwarding: "dr",
  realservers: [
    { address: "192.168.200.11", port: 0, weight: 1, enabled: true },
    { address: "192.168.200.12", port: 0, weight: 1, enabled: true },
  ],
  fwmark: 7,
  healthCheck: { type: "tcp", intervalSeconds: 10, timeoutSeconds: 5, retries: 0, port: 443 },
  onFailure: "remove",
  // keepalived clears a mark service's DR sorry server port; the model needs one.
  sorryServer: { address: "192.168.200.99", port: 80 },
};

// The panel retries after one delay_loop, not after delay_before_retry.
const RETRYING: ServiceSpec = {
  protocol: "tcp",
  vip: "192.168.200.100",
  port: 8080,
  scheduler: "rr",
  schedulerFlags: [],
  persistence: null,
  persistenceNetmask: null,
  forwarding: "dr",
  realservers: [{ address: "192.168.200.11", port: 8080, weight: 1, enabled: true }],
  healthCheck: { type: "tcp", intervalSeconds: 6, timeoutSeconds: 3, retries: 3 },
  onFailure: "remove",
};

const V6: ServiceSpec = {
  protocol: "tcp",
  vip: "2001:db8::100",
  port: 443,
  scheduler: "rr",
  schedulerFlags: [],
  persistence: null,
  persistenceNetmask: null,
  forwarding: "nat",
  realservers: [{ address: "2001:db8:1::11", port: 8443, weight: 1, enabled: true }],
  healthCheck: {
    type: "https",
    intervalSeconds: 4,
    timeoutSeconds: 2,
    retries: 0,
    path: "/status?full=1",
    host: "www.example.com",
  },
  onFailure: "remove",
  sorryServer: { address: "2001:db8::99", port: 8443 },
};

describe("parseKeepalivedConf on an operator's file", () => {
  const imported = parseKeepalivedConf(OPERATOR_CONF);

  it("imports the services it can represent, with their checks", () => {
    expect(imported.services).toEqual([SHOP, RETRYING, MARK, V6]);
  });

  it("refuses the rest whole, saying why", () => {
    expect(imported.refused).toEqual([
      {
        service: "include /etc/keepalived/conf.d/*.conf",
        reason: "include files are not read: /etc/keepalived/conf.d/*.conf",
      },
      { service: "TCP 192.168.200.100:25", reason: "MISC_CHECK checks are not supported" },
    ]);
  });

  it("says what the panel's rendering changes in the timing of what it imports", () => {
    expect(imported.adjusted).toEqual([
      {
        service: "TCP 192.168.200.100:8080",
        note: "retries wait delay_loop (6 s) instead of delay_before_retry (3 s): a failing realserver is out 18 s after its first failed check, not 9 s",
      },
    ]);
  });

  it("names the blocks that are not LVS configuration once each", () => {
    expect(imported.ignored).toEqual(["global_defs", "vrrp_sync_group", "vrrp_instance"]);
  });

  it("gives services that the panel renders and reads back unchanged", () => {
    const again = parseKeepalivedConf(renderKeepalivedConf(imported));
    expect(again.services).toEqual(imported.services);
    expect(again.refused).toEqual([]);
    expect(again.adjusted).toEqual([]);
  });
});

/** A DR service on 10.0.0.1:80 with `inner` in its block and one realserver with `rs` in its. */
function conf(inner: string, rs = "weight 1", head = "10.0.0.1 80"): string {
  return `virtual_server ${head} {\n  protocol TCP\n  lvs_method DR\n  ${inner}\n  real_server 10.0.0.11 80 {\n    ${rs}\n  }\n}\n`;
}

describe("parseKeepalivedConf on the file as a whole", () => {
  it("refuses both blocks of a service defined twice", () => {
    const { services, refused } = parseKeepalivedConf(conf("") + conf("lvs_sched rr"));
    expect(services).toEqual([]);
    expect(refused.map((r) => r.reason)).toEqual([
      "the same service is defined at lines 1, 9",
      "the same service is defined at lines 1, 9",
    ]);
  });

  it("refuses ~SEQ and ~LST lines, whose expansion it does not read", () => {
    const { services, refused } = parseKeepalivedConf(`~SEQ(i,1,3) ${conf("")}`);
    expect(services).toEqual([]);
    expect(refused).toEqual([
      expect.objectContaining({ reason: "~SEQ and ~LST lines are not expanded" }),
    ]);
  });

  it("refuses a service that uses a $ parameter, and ignores the definition", () => {
    const { services, refused, ignored } = parseKeepalivedConf(
      `$SCHED=rr\n${conf("lvs_sched $SCHED")}`,
    );
    expect(services).toEqual([]);
    expect(refused).toEqual([
      {
        service: "TCP 10.0.0.1:80",
        reason: "line 5 uses a $ parameter, which the panel does not substitute",
      },
    ]);
    expect(ignored).toEqual([]);
  });
});

describe("parseKeepalivedConf on unbalanced braces", () => {
  const before = conf("", "weight 1", "10.0.0.1 80");
  const after = conf("", "weight 1", "10.0.0.2 80");

  it("refuses everything from a { never closed, keeping what came before", () => {
    const text = `${before}vrrp_instance VI_1 {\n state MASTER\n${after}`;
    const { services, refused, ignored } = parseKeepalivedConf(text);
    expect(services.map((s) => s.vip)).toEqual(["10.0.0.1"]);
    expect(refused).toEqual([
      {
        service: "TCP 10.0.0.2:80",
        reason:
          "unbalanced braces: the { at line 9 is never closed; nothing from there on is imported",
      },
    ]);
    expect(ignored).toEqual(["vrrp_instance"]);
  });

  it("refuses everything after an extra }, and the block just before it", () => {
    const text = `${conf("", "weight 1", "10.0.0.3 80")}${before}}\n${after}`;
    const { services, refused } = parseKeepalivedConf(text);
    expect(services.map((s) => s.vip)).toEqual(["10.0.0.3"]);
    expect(refused.map((r) => r.service)).toEqual(["TCP 10.0.0.1:80", "TCP 10.0.0.2:80"]);
    expect(refused[0]?.reason).toBe(
      "unbalanced braces: an extra } at line 17; nothing from there on is imported",
    );
  });

  it("does not read the spill of a block closed early as blocks of their own", () => {
    // The } after weight 1 closes the virtual_server: its second realserver lands at top level.
    const text = conf("", "weight 1 }\n  }\n  real_server 10.0.0.12 80 {\n weight 1");
    const { services, refused, ignored } = parseKeepalivedConf(text);
    expect(services).toEqual([]);
    expect(refused.map((r) => r.service)).toEqual(["TCP 10.0.0.1:80"]);
    expect(ignored).toEqual(["real_server"]);
  });
});
