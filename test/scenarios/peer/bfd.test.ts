// BFD on tunnels for gateway high availability (ovn-architecture(7)): which tunnel interfaces get
// bfd:enable, on which chassis, and when it goes off again.  Expectations read from the real
// ovn-controller 23.03 (the `ref` stack checks them; /tmp/ctlbfd/obs*.mjs):
//   - a gateway port with one gateway chassis: no BFD anywhere;
//   - with two, the gateways watch each other and the chassis bound to ports behind the router
//     (ref_chassis), and those watch the gateways; bfd = {check_tnl_key=true, enable=true}, and the
//     dummy datapath does run BFD between simulated chassis (bfd_status:state=up);
//   - an external port's HA group (no ref_chassis): only its members watch each other;
//   - BFD goes off ({}) when the VM behind the router leaves, or the group shrinks to one.
// Topology: lr1 with lr1-ls1 (ls1, vm1 on hv3) and gateway port lr1-ext; ls2 (localnet) with an
// external port in group grp {hv2 20, hv4 10}.
import type { Stack } from "../../support/chassis.js";
import { waitUntil } from "../../support/wait.js";
import { bfdState, gatewayRouter } from "../gateway-ha.js";
import { matrix, SETTLE_MS } from "../matrix.js";

type Hv = Stack["hv"][0];

/** The chassis's tunnels with BFD configured, as "remote" names, sorted (remote from the interface name);
 *  any bfd column other than {} or exactly {check_tnl_key=true, enable=true} is reported as is. */
async function bfdTunnels(h: Hv): Promise<string[]> {
  const out = await h.vsctl("--bare", "--columns=name,bfd", "find", "Interface", "options:key=flow");
  const lines = out.split("\n");
  const rows: string[] = [];
  for (let i = 0; i + 1 < lines.length; i += 3) {
    const name = (lines[i] ?? "").trim();
    if (name === "") continue;
    const bfd = (lines[i + 1] ?? "")
      .trim()
      .split(/\s+/)
      .filter((x) => x !== "")
      .sort()
      .join(" ");
    const remote = name.replace(/^ovn-|-\d+$/g, "");
    if (bfd === "") continue;
    rows.push(bfd === "check_tnl_key=true enable=true" ? remote : `${remote} ${bfd}`);
  }
  return rows.sort();
}

async function expectBfd(s: Stack, want: Record<string, string[]>): Promise<void> {
  for (const h of s.hv) {
    const w = JSON.stringify(want[h.name] ?? []);
    await waitUntil(async () => JSON.stringify(await bfdTunnels(h)) === w, SETTLE_MS, {
      what: `${h.name}: BFD on tunnels to ${w}`,
    }).catch(async (e: unknown) => {
      throw new Error(`${(e as Error).message}\n  have: ${JSON.stringify(await bfdTunnels(h))}`);
    });
  }
}

matrix<null>({
  title: "BFD on tunnels for gateway HA",
  chassis: 4,
  bridgeMappings: "phys:br-phys",
  setup: async (s) => {
    await gatewayRouter(s);
    await (s.hv[2] as Hv).addVif("vm1");
    await s.syncHv();
    return null;
  },
  scenarios: [
    {
      name: "one gateway chassis: no BFD",
      run: async (s) => {
        await s.syncHv();
        await expectBfd(s, {});
      },
    },
    {
      name: "second gateway: gateways and the VM's chassis watch each other; BFD comes up",
      run: async (s) => {
        await s.nbctl("lrp-set-gateway-chassis", "lr1-ext", "hv2", "10");
        await expectBfd(s, { hv1: ["hv2", "hv3"], hv2: ["hv1", "hv3"], hv3: ["hv1", "hv2"] });
        const [h1, , h3] = s.hv as [Hv, Hv, Hv, Hv];
        await waitUntil(async () => (await bfdState(h3, "hv1")) === "up", SETTLE_MS, {
          what: "hv3's tunnel to hv1: bfd_status:state=up",
        });
        await waitUntil(async () => (await bfdState(h1, "hv3")) === "up", SETTLE_MS, {
          what: "hv1's tunnel to hv3: bfd_status:state=up",
        });
      },
    },
    {
      name: "external port's HA group {hv2, hv4}: only its members add BFD to each other",
      run: async (s) => {
        await s.nbctl(
          ...["lsp-add", "ls1", "ext1", "--", "lsp-set-addresses", "ext1", "f0:00:00:00:00:03 10.0.0.6"],
          ...["--", "lsp-set-type", "ext1", "external"],
        );
        await s.nbctl("ha-chassis-group-add", "grp");
        await s.nbctl("ha-chassis-group-add-chassis", "grp", "hv2", "20");
        await s.nbctl("ha-chassis-group-add-chassis", "grp", "hv4", "10");
        const grp = (
          await s.nbctl("--bare", "--columns=_uuid", "find", "HA_Chassis_Group", "name=grp")
        ).trim();
        await s.nbctl("set", "Logical_Switch_Port", "ext1", `ha_chassis_group=${grp}`);
        await expectBfd(s, {
          hv1: ["hv2", "hv3"],
          hv2: ["hv1", "hv3", "hv4"],
          hv3: ["hv1", "hv2"],
          hv4: ["hv2"],
        });
      },
    },
    {
      name: "VM leaves: BFD off on the tunnels to and from its chassis",
      run: async (s) => {
        await s.nbctl("lsp-del", "vm1");
        await expectBfd(s, { hv1: ["hv2"], hv2: ["hv1", "hv4"], hv4: ["hv2"] });
      },
    },
    {
      name: "groups shrink to one member: BFD off everywhere",
      run: async (s) => {
        await s.nbctl("lrp-del-gateway-chassis", "lr1-ext", "hv2");
        await s.nbctl("ha-chassis-group-remove-chassis", "grp", "hv4");
        await expectBfd(s, {});
      },
    },
  ],
});
