// Differential sweep of the packet-in actions (ovn-sb(5) Logical_Flow actions answered by
// ovn-controller): one topology, run with the real ovn-controller 23.03 (the reference) and then with
// `ovnts controller` (both beside the real ovn-northd), the same frames injected, and every answer
// compared byte for byte — DNS (A, AAAA, PTR, ANY, case, EDNS, two questions, opcode, over IPv6),
// DHCPv4 (every option encoding, iPXE, NAK, renew, INFORM) and DHCPv6 (Solicit, Request,
// Information-Request, Rapid Commit), RS → RA and the periodic RA (MTU, RDNSS, DNSSL, route info),
// ICMP/ICMPv6 errors for large packets, frag-needed / packet-too-big (gateway_mtu), nd_ns, DAD, TCP
// reset, SCTP abort, ACL reject — then the Southbound rows the row-writing actions left
// (Controller_Event, MAC_Binding, FDB, virtual port bindings), UUIDs replaced by names.
//
//   sw0 10.0.0.0/24 fd00::/64: vm1 f0:00:00:00:00:11 10.0.0.11 fd00::11 (DHCPv4/DHCPv6 options, DNS),
//        vip4 10.0.0.100 / vip6 fd00::100 (virtual, parent vm1), lb4 10.0.0.200:80 / lb6 [fd00::200]:80
//        without backends (controller_event=true)
//   sw1 20.0.0.0/24 2001:db8:1::/64: vm3 f0:00:00:00:00:13 20.0.0.13 2001:db8:1::13, vm4 (unknown),
//        an ACL rejecting port 5555
//   lr0: lrp0 00:00:00:00:ff:01 10.0.0.1/24 fd00::1/64 (ipv6_ra_configs: dhcpv6_stateful, mtu, rdnss,
//        dnssl, router_preference, route_info, periodic every 3-4 s), lrp1 00:00:00:00:ff:02 20.0.0.1/24
//        2001:db8:1::1/64
//   lr1: lrp2 on sw0 (10.0.0.2, fd00::2), lrp3 30.0.0.1/24 2001:db8:3::1/64 on sw2, a gateway port on
//        hv1 with gateway_mtu 1300
//   DNS: vm2.ovn.test = 10.0.0.12 fd00::12, PTR records for both addresses (sw0); a second row on sw0 and
//        sw1 with values that are not plain addresses (diff-probes-dns.ts).
//
// Every byte compared is deterministic (no probe draws randomness), so nothing is normalised.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Stack, type StackName, startStack } from "../../../../test/support/chassis.js";
import { toHex } from "../../../../test/support/pcap.js";
import { withSandbox } from "../../../../test/support/sandbox.js";
import { waitUntil } from "../../../../test/support/wait.js";
import { barrierId, barrierQuery, isBarrierAnswer } from "./diff-frames.js";
import { PROBES } from "./diff-probes.js";
import { setup } from "./diff-topology.js";

/** Runs every probe on `stack`; the answers' hex by probe name ("-" when none came). */
async function run(stack: StackName): Promise<Map<string, string>> {
  return withSandbox(async (box) => {
    const s = await startStack(box, stack, { chassis: 1 });
    const vifs = await setup(s);
    const out = new Map<string, string>();
    let barriers = 0;
    // Debugging aid: PINCTRL_DIFF_ONLY=<regexp> runs only the probes whose names match.
    const only = process.env.PINCTRL_DIFF_ONLY;
    for (const p of PROBES.filter((x) => only === undefined || new RegExp(only).test(x.name))) {
      const on = vifs[p.on];
      const before = on.sent().length;
      const m = p.match;
      const answer = () =>
        on
          .sent()
          .slice(before)
          .map((x) => x.data)
          .find((f) => !isBarrierAnswer(f) && (m?.(f) ?? false));
      await vifs[p.from].inject(p.frame);
      if (m === undefined) continue;
      // Two barriers: an answer that takes a second packet-in (a query resumed unanswered draws the
      // router's ICMP error) is queued behind the first barrier, but ahead of the second.
      for (let k = 0; p.barrier === true && k < 2; k++) {
        const b = barrierQuery(barriers++);
        const vm1Before = vifs.vm1.sent().length;
        await vifs.vm1.inject(b.frame);
        await waitUntil(
          () =>
            vifs.vm1
              .sent()
              .slice(vm1Before)
              .some((x) => barrierId(x.data) === b.id),
          3000,
          { what: `barrier after ${p.name}` },
        );
      }
      // ovs-vswitchd wrote the probe's answer (if any) before the second barrier's: a moment for the
      // capture files to be read back.
      if (p.barrier === true) await new Promise((r) => setTimeout(r, 10));
      const got =
        p.barrier === true
          ? answer()
          : await waitUntil(answer, p.waitMs ?? 3000, { what: p.name }).catch(() => undefined);
      // Debugging aid: PINCTRL_DIFF_TRACE=1 prints where an unanswered probe went in br-int.
      if (process.env.PINCTRL_DIFF_TRACE !== undefined && got === undefined) {
        const h = s.hv[0] as Stack["hv"][0];
        const port = (await h.vsctl("get", "Interface", vifs[p.from].name, "ofport")).trim();
        console.log(p.name, await h.appctl("ofproto/trace", "br-int", `in_port=${port}`, toHex(p.frame)));
      }
      out.set(p.name, got === undefined ? "-" : toHex(got));
    }
    // What the row-writing actions left in the Southbound database, UUIDs replaced by names.
    const names = new Map<string, string>();
    for (const [table, col] of [
      ["Load_Balancer", "name"],
      ["Port_Binding", "logical_port"],
      ["Chassis", "name"],
    ] as const) {
      const db = table === "Load_Balancer" ? s.nbctl.bind(s) : s.sbctl.bind(s);
      for (const l of (
        await db("--format=csv", "--no-headings", "--data=bare", `--columns=_uuid,${col}`, "list", table)
      ).split("\n")) {
        const [u, n] = l.split(",");
        if (u !== undefined && n !== undefined) names.set(u, n);
      }
    }
    const rows = async (table: string, cols: string) =>
      (await s.sbctl("--format=csv", "--no-headings", "--data=bare", `--columns=${cols}`, "list", table))
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) =>
          l.replace(
            /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
            (u) => names.get(u) ?? "<uuid>",
          ),
        )
        .sort()
        .join(" | ");
    // Rows are written asynchronously: read each table once it has stopped changing for a second.
    const settled = async (table: string, cols: string): Promise<string> => {
      let last = await rows(table, cols);
      let since = Date.now();
      const start = since;
      while (Date.now() - since < 1000 && Date.now() - start < 8000) {
        await new Promise((r) => setTimeout(r, 100));
        const now = await rows(table, cols);
        if (now !== last) {
          last = now;
          since = Date.now();
        }
      }
      return last;
    };
    out.set(
      "SB Controller_Event rows",
      await settled("Controller_Event", "event_type,event_info,chassis,seq_num"),
    );
    out.set("SB MAC_Binding rows", await settled("MAC_Binding", "logical_port,ip,mac,datapath"));
    // Written (and rewritten) bindings carry the time they were; only whether it is set compares.
    out.set(
      "SB MAC_Binding timestamps",
      (await rows("MAC_Binding", "logical_port,ip,timestamp")).replace(
        /,(\d+)( \||$)/g,
        (_, t: string, e: string) => `,${t === "0" ? "zero" : "set"}${e}`,
      ),
    );
    out.set("SB FDB rows", await settled("FDB", "mac,dp_key,port_key"));
    out.set(
      "SB virtual Port_Binding rows",
      (await settled("Port_Binding", "logical_port,type,virtual_parent,chassis,up"))
        .split(" | ")
        .filter((r) => r.includes(",virtual,"))
        .join(" | "),
    );
    return out;
  });
}

test("pinctrl actions, answered as the real ovn-controller 23.03 answers them", {
  timeout: 300_000,
}, async (t) => {
  let reference: Map<string, string> | undefined;
  await t.test("real ovn-controller", async () => {
    reference = await run("ref");
    if (process.env.PINCTRL_DIFF_ONLY !== undefined) return;
    // The row-writing probes did write (else comparing the rows would prove nothing).
    assert.equal(
      reference.get("SB Controller_Event rows")?.match(/empty_lb_backends/g)?.length,
      2,
      reference.get("SB Controller_Event rows"),
    );
    assert.match(reference.get("SB FDB rows") ?? "", /^f0:00:00:00:00:44,\d+,\d+$/);
    assert.equal(
      reference.get("SB virtual Port_Binding rows"),
      "vip4,virtual,vm1,hv1,true | vip6,virtual,vm1,hv1,true",
    );
    assert.match(
      reference.get("SB MAC_Binding rows") ?? "",
      /lrp1,20\.0\.0\.98,f0:00:00:00:00:98.*lrp1,20\.0\.0\.99,f0:00:00:00:00:13.* \| lrp1,2001:db8:1::99,f0:00:00:00:00:13/,
    );
    assert.match(reference.get("SB MAC_Binding timestamps") ?? "", /^lrp\d,[^,]+,set( \| lrp\d,[^,]+,set)+$/);
    const missing = [...reference].filter(([, v]) => v === "-").map(([k]) => k);
    if (missing.length > 0) console.log(`reference: no answer to ${missing.join("; ")}`);
  });
  await t.test("ovnts controller", async () => {
    assert.ok(reference !== undefined);
    const ours = await run("controller");
    const diffs = [...(reference ?? [])]
      .filter(([k, v]) => ours.get(k) !== v)
      .map(([k, v]) => `${k}:\n  C:    ${v}\n  ours: ${ours.get(k)}`);
    assert.deepEqual(diffs, []);
  });
});
