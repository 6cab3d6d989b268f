// Gateway failover by BFD (ovn-architecture(7) "Gateway high availability"): with gateway chassis hv1
// (priority 20) and hv2 (10) for lr1-ext, the chassisredirect port cr-lr1-ext is bound to hv1; when hv1's
// datapath dies (its ovs-vswitchd exits, so BFD on the tunnels to it goes down), hv2 claims the port with
// nobody touching the Northbound.  External port ext1 of HA group grp {hv1 30, hv2 20} (no ref chassis)
// is not taken over by hv2: nothing hv2 watches for that group is up (bfd.ts activeMember).  The dummy
// datapath runs BFD between simulated chassis, so this is observed on the real ovn-controller 23.03
// (`ref`; about 3 s after the exit).  Our controller decides by bfd.ts activeMember (bindings.ts), with
// the ref_chassis ovnts northd writes (src/northd/sync/ha-ref-chassis.ts).
import type { Stack } from "../../support/chassis.js";
import { waitUntil } from "../../support/wait.js";
import { bfdState, gatewayRouter } from "../gateway-ha.js";
import { matrix, SETTLE_MS } from "../matrix.js";

type Hv = Stack["hv"][0];

/** The names of the chassis cr-lr1-ext and ext1 are bound to ("" when none). */
async function boundTo(s: Stack): Promise<string[]> {
  const out: string[] = [];
  for (const lp of ["cr-lr1-ext", "ext1"]) {
    const u = (
      await s.sbctl("--bare", "--columns=chassis", "find", "Port_Binding", `logical_port=${lp}`)
    ).trim();
    out.push(u === "" ? "" : (await s.sbctl("--bare", "--columns=name", "list", "Chassis", u)).trim());
  }
  return out;
}

async function expectBound(s: Stack, want: string, ms: number): Promise<void> {
  const w = JSON.stringify([want, want]);
  await waitUntil(async () => JSON.stringify(await boundTo(s)) === w, ms, {
    what: `cr-lr1-ext and ext1 bound to ${want}`,
  }).catch(async (e: unknown) => {
    throw new Error(`${(e as Error).message}\n  have: ${JSON.stringify(await boundTo(s))}`);
  });
}

matrix<null>({
  title: "gateway failover by BFD",
  chassis: 3,
  setup: async (s) => {
    await gatewayRouter(s);
    await s.nbctl("lrp-set-gateway-chassis", "lr1-ext", "hv2", "10");
    await (s.hv[2] as Hv).addVif("vm1");
    // An external port in HA group grp {hv1 30, hv2 20}: its claim fails over the same way.
    await s.nbctl(
      ...["lsp-add", "ls1", "ext1", "--", "lsp-set-addresses", "ext1", "f0:00:00:00:00:03 10.0.0.6"],
      ...["--", "lsp-set-type", "ext1", "external"],
    );
    await s.nbctl("ha-chassis-group-add", "grp");
    await s.nbctl("ha-chassis-group-add-chassis", "grp", "hv1", "30");
    await s.nbctl("ha-chassis-group-add-chassis", "grp", "hv2", "20");
    const grp = (await s.nbctl("--bare", "--columns=_uuid", "find", "HA_Chassis_Group", "name=grp")).trim();
    await s.nbctl("set", "Logical_Switch_Port", "ext1", `ha_chassis_group=${grp}`);
    await s.syncHv();
    return null;
  },
  scenarios: [
    {
      name: "both gateways alive: BFD up between them, cr-lr1-ext and ext1 on hv1 (the higher priority)",
      run: async (s) => {
        const [h1, h2] = s.hv as [Hv, Hv, Hv];
        await waitUntil(async () => (await bfdState(h2, "hv1")) === "up", SETTLE_MS, {
          what: "hv2's tunnel to hv1: bfd_status:state=up",
        });
        await waitUntil(async () => (await bfdState(h1, "hv2")) === "up", SETTLE_MS, {
          what: "hv1's tunnel to hv2: bfd_status:state=up",
        });
        await expectBound(s, "hv1", SETTLE_MS);
      },
    },
    {
      name: "hv1's ovs-vswitchd exits: hv2 claims cr-lr1-ext (ref chassis hv3 still up) but not ext1 (nothing up)",
      run: async (s) => {
        const [h1, h2] = s.hv as [Hv, Hv, Hv];
        await h1.appctl("exit");
        await waitUntil(async () => (await bfdState(h2, "hv1")) !== "up", SETTLE_MS, {
          what: "hv2's tunnel to hv1: BFD no longer up",
        });
        await waitUntil(async () => (await boundTo(s))[0] === "hv2", SETTLE_MS, {
          what: "cr-lr1-ext bound to hv2",
        }).catch(async (e: unknown) => {
          throw new Error(`${(e as Error).message}\n  have: ${JSON.stringify(await boundTo(s))}`);
        });
        // The real controller leaves ext1 unclaimed by hv2: its group {hv1, hv2} has no ref chassis, so
        // all hv2 watches for it is down and hv2 cannot tell hv1's death from its own isolation.
        const [, ext] = await boundTo(s);
        if (ext === "hv2") throw new Error("ext1 claimed by hv2, whose every tunnel watched for grp is down");
      },
    },
  ],
});
