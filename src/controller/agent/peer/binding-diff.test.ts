// Port binding as the real ovn-controller 23.03 does it, side by side: two 2-chassis stacks (test/support/
// chassis.ts; "ref" runs the C controller, "controller" ours, both under the C databases and northd) get
// the same changes, and after each one must show the same Southbound Port_Binding columns the
// controller writes and the same interface marks in each chassis's Open_vSwitch database.
//
//   1. Live migration of a multichassis port (options:requested-chassis hv1 → hv1,hv2 → hv2 → hv2,hv1):
//      chassis / additional_chassis / up, ovn-installed (and ovn-installed-ts) on both chassis's
//      interfaces, and encap / additional_encap from an interface's external_ids:encap-ip; the VIF only
//      on the additional chassis; a requested chassis northd does not know (the port is bound nowhere);
//      activation-strategy=rarp: the additional chassis blocks the port until a RARP from the VM comes in
//      there, then lists itself in options:additional-chassis-activated.
//   2. Several interfaces naming one logical port on a chassis (as ovn.at's "Multiple OVS interfaces
//      bound to same logical port"): the newest interface gets the port's traffic; deleting it gives
//      the traffic back to one that is left; `ovn-appctl debug/dump-local-bindings` says the same.
//   0, 3. The Chassis rows (hostname, other_config, Encaps) at start and after run-time changes of the
//      hostname and encapsulation types; br-int's ovn-nb-cfg / ovn-nb-cfg-ts / ovn-startup-ts.
//   4. `ovn-appctl exit`: the chassis unregisters (Chassis gone, ports released, tunnels removed).
//
// A comparison waits (polling) until both stacks agree or the time runs out, then asserts: timing
// differences between the controllers pass, differences in the end state fail with both states shown.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { type Hv, type Stack, startStack } from "../../../../test/support/chassis.js";
import { requireTools } from "../../../../test/support/exec.js";
import { injectPacket, withSandbox } from "../../../../test/support/sandbox.js";

/** Peer tests never skip: CI installs these (scripts/install-deps.sh); a missing one is an error. */
const PEERS = ["ovn-northd", "ovn-controller", "ovs-vswitchd", "ovsdb-server", "ovn-nbctl", "ovn-sbctl"];
before(() => requireTools(...PEERS));

/** How long the two stacks may take to agree after a change (the suite shares two cores). */
const AGREE_MS = 20_000;

const bare = (s: string): string => s.trim().replace(/"/g, "");
const list = (s: string): string[] =>
  bare(s)
    .split(/[\s,]+/)
    .filter((x) => x !== "")
    .sort();

/** A Southbound row's columns by `ovn-sbctl --bare --columns=… list`, one value per line. */
async function sbColumns(s: Stack, table: string, record: string, columns: string[]): Promise<string[]> {
  const out = await s.sbctl("--bare", `--columns=${columns.join(",")}`, "list", table, record);
  return out.split("\n").map((l) => l.trim());
}

/** Each stack's names of Chassis and Encap UUIDs (they do not change during the test). */
const namesOf = new WeakMap<Stack, Map<string, string>>();

/** Chassis and Encap UUIDs as names ("hv1", "192.168.0.2/geneve"): the same in both stacks. */
async function namer(s: Stack, uuids: readonly string[]): Promise<(uuid: string) => string> {
  const known = namesOf.get(s);
  if (known !== undefined && uuids.every((u) => known.has(u))) return (u) => known.get(u) ?? `?${u}`;
  const names = new Map<string, string>();
  namesOf.set(s, names);
  for (const row of (await s.sbctl("--bare", "--columns=_uuid,name", "list", "Chassis")).split("\n\n")) {
    const [u, n] = row.trim().split("\n");
    if (u !== undefined && n !== undefined) names.set(u.trim(), n.trim());
  }
  for (const row of (await s.sbctl("--bare", "--columns=_uuid,ip,type", "list", "Encap")).split("\n\n")) {
    const [u, ip, type] = row.trim().split("\n");
    if (u !== undefined && ip !== undefined) names.set(u.trim(), `${bare(ip)}/${type?.trim()}`);
  }
  return (u) => names.get(u) ?? `?${u}`;
}

/** What the controllers write for logical port `lport`, normalised. */
interface BindingState {
  readonly chassis: string[];
  readonly additional_chassis: string[];
  readonly encap: string[];
  readonly additional_encap: string[];
  readonly up: string;
  /** options:additional-chassis-activated. */
  readonly activated: string;
  /** "hvN/iface" → which of ovn-installed / ovn-installed-ts it has. */
  readonly marks: Record<string, string>;
}

async function bindingState(s: Stack, lport: string): Promise<BindingState> {
  const [chassis, additional, encap, additionalEncap, up, options] = await sbColumns(
    s,
    "Port_Binding",
    lport,
    ["chassis", "additional_chassis", "encap", "additional_encap", "up", "options"],
  );
  const name = await namer(
    s,
    [chassis, additional, encap, additionalEncap].flatMap((c) => list(c ?? "")),
  );
  const marks: Record<string, string> = {};
  for (const hv of s.hv)
    for (const row of (
      await hv.vsctl(
        "--bare",
        "--columns=name,external_ids",
        "find",
        "Interface",
        `external_ids:iface-id=${lport}`,
      )
    ).split("\n\n")) {
      const [iface, ids] = row.trim().split("\n");
      if (iface === undefined || iface === "") continue;
      // The timestamp's value is the wall clock: only whether it is there is compared.
      marks[`${hv.name}/${iface.trim()}`] = ["ovn-installed=true", "ovn-installed-ts="]
        .filter((k) => (ids ?? "").replace(/"/g, "").includes(k))
        .join(" ");
    }
  return {
    chassis: list(chassis ?? "").map(name),
    additional_chassis: list(additional ?? "").map(name),
    encap: list(encap ?? "").map(name),
    additional_encap: list(additionalEncap ?? "").map(name),
    up: bare(up ?? ""),
    activated: bare(options ?? "").match(/additional-chassis-activated=(\S+)/)?.[1] ?? "",
    marks,
  };
}

/** The interface the port's traffic leaves by on `hv` (its table-65 output), or "none". */
async function outputIface(s: Stack, hv: Hv, lport: string): Promise<string> {
  const match = await portMatch(s, lport);
  const flows = (await hv.ofctl("dump-flows", "br-int", "table=65")).split("\n");
  const flow = flows.find((f) => f.includes(match) && / actions=output:\d+$/.test(f.trim()));
  const ofport = flow?.trim().match(/output:(\d+)$/)?.[1];
  if (ofport === undefined) return "none";
  return bare(await hv.vsctl("--bare", "--columns=name", "find", "Interface", `ofport=${ofport}`));
}

/**
 * The Chassis rows (hostname, other_config, encaps by IP/type) and, per chassis, br-int's nb_cfg keys
 * (ovn-nb-cfg's value; whether ovn-nb-cfg-ts equals Chassis_Private.nb_cfg_timestamp and
 * ovn-startup-ts is no later) and its tunnel ports' count.
 */
async function chassisState(s: Stack): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const row of (
    await s.sbctl("--bare", "--columns=name,hostname,other_config,encaps", "list", "Chassis")
  ).split("\n\n")) {
    const [name, hostname, otherConfig, encaps] = row.trim().split("\n");
    if (name === undefined || name === "") continue;
    const named = await namer(s, list(encaps ?? ""));
    out[name] = {
      hostname,
      other_config: otherConfig,
      encaps: list(encaps ?? "")
        .map(named)
        .sort(),
    };
  }
  for (const hv of s.hv) {
    const ids = new Map(
      [
        ...(await hv.vsctl("get", "Bridge", "br-int", "external_ids")).matchAll(/([\w-]+)=("?)([^",}]*)\2/g),
      ].map((m) => [m[1] as string, m[3] as string]),
    );
    const ts = bare(
      await s.sbctl("--bare", "--columns=nb_cfg_timestamp", "find", "Chassis_Private", `name=${hv.name}`),
    );
    const tunnels = await hv.vsctl(
      "--bare",
      "--columns=name",
      "find",
      "Port",
      "external_ids:ovn-chassis-id!=x",
    );
    out[`${hv.name}/br-int`] = {
      "ovn-nb-cfg": ids.get("ovn-nb-cfg"),
      "ovn-nb-cfg-ts is nb_cfg_timestamp": ids.get("ovn-nb-cfg-ts") === ts,
      "ovn-startup-ts before it": Number(ids.get("ovn-startup-ts")) <= Number(ts),
      tunnels: tunnels.split("\n").filter((l) => l.trim() !== "").length,
    };
  }
  return out;
}

/** The table-65 match of a port's output ("reg15=0x2,metadata=0x1 "), asked once per stack and port. */
const matches = new Map<string, Promise<string>>();
function portMatch(s: Stack, lport: string): Promise<string> {
  const key = `${s.name}/${lport}`;
  let m = matches.get(key);
  if (m === undefined) {
    m = (async () => {
      const [portKey, dp] = await sbColumns(s, "Port_Binding", lport, ["tunnel_key", "datapath"]);
      const [dpKey] = await sbColumns(s, "Datapath_Binding", dp ?? "", ["tunnel_key"]);
      return `reg15=0x${Number(portKey).toString(16)},metadata=0x${Number(dpKey).toString(16)} `;
    })();
    matches.set(key, m);
  }
  return m;
}

/**
 * Polls until the reference stack's state passes `ready` (a change made in a chassis's own database is
 * not something --wait=hv waits for) and both stacks give the same value, then asserts it (shows both
 * when they still differ at the deadline).
 */
async function agree<T>(
  what: string,
  stacks: readonly Stack[],
  probe: (s: Stack) => Promise<T>,
  ready: (ref: T) => boolean = () => true,
): Promise<T> {
  const deadline = Date.now() + AGREE_MS;
  for (;;) {
    await Promise.all(stacks.map((s) => s.syncHv()));
    const [ref, ours] = await Promise.all(stacks.map(probe));
    const done = ready(ref as T) && isDeepStrictEqual(ours, ref);
    if (done || Date.now() > deadline) {
      assert.ok(ready(ref as T), `${what}: the reference never got there: ${JSON.stringify(ref)}`);
      assert.deepEqual(ours, ref, `${what}: ${stacks[1]?.name} differs from ${stacks[0]?.name}`);
      return ref as T;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

test("binding as ovn-controller 23.03: multichassis live migration, several interfaces for one port", async () => {
  await withSandbox((boxRef) =>
    withSandbox(async (boxOurs) => {
      const stacks = await Promise.all([
        startStack(boxRef, "ref", { chassis: 2 }),
        startStack(boxOurs, "controller", { chassis: 2 }),
      ]);
      const each = (f: (s: Stack) => Promise<unknown>) => Promise.all(stacks.map(f));
      const hv = (s: Stack, i: number) => s.hv[i] as Hv;
      await each(async (s) => {
        await s.nbctl(
          ...["ls-add", "sw0", "--", "lsp-add", "sw0", "p1", "--", "lsp-set-addresses", "p1"],
          ...["f0:00:00:00:00:01 10.0.0.1", "--", "lsp-set-options", "p1", "requested-chassis=hv1"],
          ...["--", "lsp-add", "sw0", "q1", "--", "lsp-set-addresses", "q1", "f0:00:00:00:00:11 10.0.0.11"],
        );
        await hv(s, 0).addVif("p1");
        await hv(s, 1).addVif("p1");
        // (p2 makes sw0 local on hv2 whatever hv2's part in p1.)
        await s.nbctl("lsp-add", "sw0", "p2", "--", "lsp-set-addresses", "p2", "f0:00:00:00:00:02 10.0.0.2");
        await hv(s, 1).addVif("p2");
      });

      // 0. The Chassis rows and what each controller stores in br-int, after a --wait=hv sync.
      await agree("Chassis rows and br-int's nb_cfg keys", stacks, chassisState);

      // 1. Live migration.
      const p1 = (s: Stack) => bindingState(s, "p1");
      const first = await agree("requested-chassis=hv1", stacks, p1);
      assert.deepEqual(first.chassis, ["hv1"]);
      for (const req of ["hv1,hv2", "hv2", "hv2,hv1", "hv1,hv2"]) {
        await each((s) => s.nbctl("lsp-set-options", "p1", `requested-chassis=${req}`));
        await agree(`requested-chassis=${req}`, stacks, p1);
      }
      // activation-strategy=rarp: the additional chassis blocks the port until the VM's RARP arrives there.
      await each((s) =>
        s.nbctl("lsp-set-options", "p1", "requested-chassis=hv1,hv2", "activation-strategy=rarp"),
      );
      const rarpFlows = async (s: Stack) => ({
        ...(await bindingState(s, "p1")),
        blocking: (await hv(s, 1).ofctl("dump-flows", "br-int", "table=0"))
          .split("\n")
          .filter((f) => /priority=10[01]0,/.test(f)).length,
      });
      assert.equal(
        (await agree("activation-strategy=rarp", stacks, rarpFlows, (r) => r.blocking === 2)).activated,
        "",
      );
      // A RARP from the VM (reverse request, op 3) for its own MAC, on hv2.
      const mac = "f00000000001";
      // Ethernet to broadcast, type RARP; hardware Ethernet, protocol IPv4, lengths 6 and 4, opcode 3.
      const rarp = `ffffffffffff${mac}8035${"0001" + "0800" + "06" + "04" + "0003"}${mac}00000000${mac}00000000`;
      await each((s) => injectPacket(hv(s, 1).vswitchd, "hv2-p1", rarp));
      const activated = await agree("RARP on hv2", stacks, rarpFlows, (r) => r.activated === "hv2");
      assert.equal(activated.blocking, 0);
      // The additional chassis's interface names its encapsulation IP; then that chassis becomes the main one.
      await each((s) => hv(s, 1).vsctl("set", "Interface", "hv2-p1", "external_ids:encap-ip=192.168.0.2"));
      const extra = await agree(
        "encap-ip on the additional chassis's interface",
        stacks,
        p1,
        (r) => r.additional_encap.length > 0,
      );
      assert.deepEqual(extra.additional_encap, ["192.168.0.2/geneve"]);
      await each((s) => s.nbctl("lsp-set-options", "p1", "requested-chassis=hv2"));
      const main = await agree("requested-chassis=hv2 with encap-ip", stacks, p1);
      assert.deepEqual(main.encap, ["192.168.0.2/geneve"]);
      // The requested main chassis loses its VIF: the port is only on its additional chassis (not up).
      await each((s) => s.nbctl("lsp-set-options", "p1", "requested-chassis=hv1,hv2"));
      await each((s) => hv(s, 0).vsctl("del-port", "hv1-p1"));
      const onlyExtra = await agree(
        "only the additional chassis has the VIF",
        stacks,
        p1,
        (r) => r.up === "false",
      );
      assert.deepEqual(onlyExtra.chassis, []);
      // A chassis name northd does not know: bound nowhere.
      await each((s) => s.nbctl("lsp-set-options", "p1", "requested-chassis=hv9"));
      assert.deepEqual((await agree("requested-chassis=hv9", stacks, p1)).chassis, []);

      // 2. Several interfaces for q1 on hv1.
      // (with hv1's debug/dump-local-bindings: q1 is hv1's only local binding by now)
      const q1 = async (s: Stack) => ({
        out: await outputIface(s, hv(s, 0), "q1"),
        ...(await bindingState(s, "q1")),
        dump: await hv(s, 0).controller.appctl("debug/dump-local-bindings"),
      });
      const vsctl1 = (...a: string[]) => each((s) => hv(s, 0).vsctl(...a));
      await vsctl1("add-port", "br-int", "lpold", "--", "set", "Interface", "lpold", "type=internal");
      await vsctl1("set", "Interface", "lpold", "external_ids:iface-id=q1");
      await agree("q1 on lpold", stacks, q1, (r) => r.out === "lpold");
      // The iface-id set in the transaction that adds the interface (seen first with no ofport).
      await vsctl1(
        ...["add-port", "br-int", "lpnew", "--", "set", "Interface", "lpnew", "type=internal"],
        ...["--", "set", "Interface", "lpnew", "external_ids:iface-id=q1"],
      );
      await agree("q1 on lpnew", stacks, q1, (r) => r.out === "lpnew");
      await vsctl1("del-port", "br-int", "lpold");
      await agree("lpold deleted", stacks, q1, (r) => r.out === "lpnew");
      await vsctl1("add-port", "br-int", "lptemp", "--", "set", "Interface", "lptemp", "type=internal");
      await vsctl1("set", "Interface", "lptemp", "external_ids:iface-id=q1");
      await agree("q1 on lptemp", stacks, q1, (r) => r.out === "lptemp");
      await vsctl1("del-port", "br-int", "lptemp");
      await agree("lptemp deleted", stacks, q1, (r) => r.out === "lpnew");
      await vsctl1("del-port", "br-int", "lpnew");
      await agree("lpnew deleted", stacks, q1, (r) => r.out === "none");

      // 3. Chassis settings changed at run time: the hostname; another encapsulation type.
      await each((s) => hv(s, 1).vsctl("set", "Open_vSwitch", ".", "external_ids:hostname=newhost"));
      await each((s) =>
        hv(s, 0).vsctl("set", "Open_vSwitch", ".", "external_ids:ovn-encap-type=geneve,vxlan"),
      );
      await agree("hostname and encap types changed", stacks, chassisState, (r) => {
        const c = r as Record<string, { hostname?: string; encaps?: string[] }>;
        return c.hv2?.hostname === "newhost" && (c.hv1?.encaps ?? []).includes("192.168.0.1/vxlan");
      });

      // 4. `ovn-appctl exit` on hv2 (as OVN's test cleanup does): the chassis unregisters, its ports are
      // released, its tunnels go; hv1 forms no tunnel to it any more.
      await each((s) => hv(s, 1).controller.appctl("exit"));
      await each((s) =>
        Promise.race([hv(s, 1).controller.daemon.exited, new Promise((r) => setTimeout(r, AGREE_MS))]),
      );
      const gone = await agree(
        "hv2 exited",
        stacks,
        async (s) => ({ chassis: await chassisState(s), p1: await bindingState(s, "p1") }),
        (r) => !("hv2" in (r.chassis as object)),
      );
      assert.deepEqual(Object.keys(gone.chassis as object).sort(), ["hv1", "hv1/br-int", "hv2/br-int"]);
    }),
  );
});
