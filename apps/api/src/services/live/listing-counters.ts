// The ipvsadm figures of a live tick: `-Ln` (weights, ActiveConn, InActConn), `--stats --exact`
// and `--rate --exact`, joined per service and realserver under the keys the web looks them up by.
import type { LiveTick } from "@lvs-panel/contract";
import { formatEndpoint, type IpvsList, liveServiceKey, parseIpvsadmList } from "@lvs-panel/lvs";

/** The three listings' text, as the director printed them. */
export interface IpvsListings {
  list: string;
  stats: string;
  rates: string;
}

function listedServiceKey(s: IpvsList["services"][number]): string {
  return liveServiceKey({
    protocol: s.protocol,
    vip: s.address ?? "",
    port: s.port ?? 0,
    fwmark: s.fwmark,
  });
}

/** The per-service and per-realserver figures of a reading's three ipvsadm listings. */
export function listingCounters(reading: IpvsListings): LiveTick["services"] {
  return counters(
    parseIpvsadmList(reading.list),
    parseIpvsadmList(reading.stats),
    parseIpvsadmList(reading.rates),
  );
}

/** Joins the three listings by service and realserver; the default listing drives the order. */
function counters(list: IpvsList, stats: IpvsList, rates: IpvsList): LiveTick["services"] {
  const statsOf = new Map(stats.services.map((s) => [listedServiceKey(s), s]));
  const ratesOf = new Map(rates.services.map((s) => [listedServiceKey(s), s]));
  return list.services.map((s) => {
    const key = listedServiceKey(s);
    const st = statsOf.get(key);
    const rt = ratesOf.get(key);
    const sum = (f: (rs: (typeof s.realservers)[number]) => number | undefined) =>
      s.realservers.reduce((n, rs) => n + (f(rs) ?? 0), 0);
    return {
      key,
      activeConns: sum((rs) => rs.activeConns),
      inactiveConns: sum((rs) => rs.inactiveConns),
      stats: st?.counters?.values ?? {},
      rates: rt?.counters?.values ?? {},
      realservers: s.realservers.map((rs) => {
        const same = (x: { address: string; port: number }) =>
          x.address === rs.address && x.port === rs.port;
        return {
          key: formatEndpoint(rs.address, rs.port),
          weight: rs.weight,
          activeConns: rs.activeConns,
          inactiveConns: rs.inactiveConns,
          stats: st?.realservers.find(same)?.counters?.values ?? {},
          rates: rt?.realservers.find(same)?.counters?.values ?? {},
        };
      }),
    };
  });
}
