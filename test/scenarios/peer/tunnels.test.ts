// Tunnel ports between chassis (ovn-controller(8) external_ids): transport zones decide which chassis get
// a tunnel (a shared zone, or none on both sides), ovn-encap-csum of the remote chassis sets the tunnel's
// csum, ovn-encap-tos and ovn-encap-df_default of this chassis its tos and df_default; changing a setting
// changes the tunnels.  Expectations read from the real ovn-controller 23.03 (the `ref` stack checks them).
//
//   hv1 ovn-transport-zones=tz1, ovn-encap-tos=inherit, ovn-encap-df_default=false
//   hv2 ovn-transport-zones=tz1,tz2, ovn-encap-csum=false
//   hv3 no zone
import type { Stack } from "../../support/chassis.js";
import { waitUntil } from "../../support/wait.js";
import { matrix, SETTLE_MS } from "../matrix.js";

type Hv = Stack["hv"][0];

/** The chassis's tunnels: "remote type options…" lines, sorted (remote from the interface name). */
async function tunnels(h: Hv): Promise<string[]> {
  const out = await h.vsctl("--bare", "--columns=name,type,options", "find", "Interface", "options:key=flow");
  const lines = out.split("\n").filter((l) => l.trim() !== "");
  const rows: string[] = [];
  for (let i = 0; i + 2 < lines.length + 1; i += 3) {
    const [name, type, options] = [lines[i], lines[i + 1], lines[i + 2]] as [
      string,
      string,
      string | undefined,
    ];
    const remote = name.trim().replace(/^ovn-|-\d+$/g, "");
    const opts = (options ?? "")
      .trim()
      .split(/\s+/)
      .filter((o) => o !== "" && !o.startsWith("remote_ip="))
      .sort();
    rows.push(`${remote} ${type.trim()} ${opts.join(" ")}`);
  }
  return rows.sort();
}

async function expectTunnels(h: Hv, want: string[]): Promise<void> {
  await waitUntil(async () => JSON.stringify(await tunnels(h)) === JSON.stringify(want), SETTLE_MS, {
    what: `${h.name}: tunnels ${JSON.stringify(want)}`,
  }).catch(async (e: unknown) => {
    throw new Error(`${(e as Error).message}\n  have: ${JSON.stringify(await tunnels(h))}`);
  });
}

matrix<null>({
  title: "tunnels: transport zones, csum, tos, df_default",
  chassis: 3,
  setup: async (s) => {
    const [h1, h2] = s.hv as [Hv, Hv, Hv];
    await h1.vsctl(
      "set",
      "Open_vSwitch",
      ".",
      "external_ids:ovn-transport-zones=tz1",
      "external_ids:ovn-encap-tos=inherit",
      "external_ids:ovn-encap-df_default=false",
    );
    await h2.vsctl(
      "set",
      "Open_vSwitch",
      ".",
      "external_ids:ovn-transport-zones=tz1,tz2",
      "external_ids:ovn-encap-csum=false",
    );
    return null;
  },
  scenarios: [
    {
      name: "zones: hv1 and hv2 share tz1; hv3 (default zone) has no tunnel; csum/tos/df_default as set",
      run: async (s) => {
        const [h1, h2, h3] = s.hv as [Hv, Hv, Hv];
        await expectTunnels(h1, ["hv2 geneve csum=false df_default=false key=flow tos=inherit"]);
        await expectTunnels(h2, ["hv1 geneve csum=true key=flow"]);
        await expectTunnels(h3, []);
      },
    },
    {
      name: "hv3 joins tz2: tunnels to hv2 only; hv1 drops tos: its tunnel follows",
      run: async (s) => {
        const [h1, h2, h3] = s.hv as [Hv, Hv, Hv];
        await h3.vsctl("set", "Open_vSwitch", ".", "external_ids:ovn-transport-zones=tz2");
        await h1.vsctl("remove", "Open_vSwitch", ".", "external_ids", "ovn-encap-tos");
        await expectTunnels(h3, ["hv2 geneve csum=false key=flow"]);
        await expectTunnels(h2, ["hv1 geneve csum=true key=flow", "hv3 geneve csum=true key=flow"]);
        await expectTunnels(h1, ["hv2 geneve csum=false df_default=false key=flow"]);
      },
    },
  ],
});
