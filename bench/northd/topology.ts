// The NB topologies of the northd benchmark (project issue 6): S (10 switches × 10 ports, 1 router),
// M (200 × 20, 20 routers), L (1000 × 20, 100 routers). Every switch has a port group of its ports
// with two ACLs and a load balancer; every router connects an equal share of the switches, has a
// distributed gateway port on its own external switch (with a localnet port), SNAT for its subnets
// and two floating IPs. Written through the IDL in a few large transactions.
import type { OvnNbTables } from "../../src/ovsdb/idl/generated/ovn-nb.js";
import type { Idl } from "../../src/ovsdb/idl/idl.js";
import type { Uuid } from "../../src/ovsdb/idl/model.js";

export interface Topology {
  readonly name: string;
  readonly switches: number;
  readonly ports: number;
  readonly routers: number;
}

export const TOPOLOGIES: Readonly<Record<string, Topology>> = {
  S: { name: "S", switches: 10, ports: 10, routers: 1 },
  M: { name: "M", switches: 200, ports: 20, routers: 20 },
  L: { name: "L", switches: 1000, ports: 20, routers: 100 },
};

const hex = (n: number): string => n.toString(16).padStart(2, "0");
export const swName = (s: number): string => `sw${s}`;
export const portName = (s: number, p: number): string => `sw${s}-p${p}`;
/** The /24 of switch s: 10.(s / 256).(s % 256).0/24. */
const subnet = (s: number): string => `10.${Math.floor(s / 256)}.${s % 256}`;
const portMac = (s: number, p: number): string =>
  `0a:01:${hex(Math.floor(s / 256))}:${hex(s % 256)}:00:${hex(p)}`;
export const portAddress = (s: number, p: number): string => `${portMac(s, p)} ${subnet(s)}.${p + 10}`;

/** Writes one switch with its ports, port group, ACLs and load balancer into `txn`. */
function addSwitch(
  txn: ReturnType<Idl<OvnNbTables>["txn"]>,
  s: number,
  ports: number,
): Uuid<"Logical_Switch"> {
  const lsps: Uuid<"Logical_Switch_Port">[] = [];
  for (let p = 0; p < ports; p++)
    lsps.push(
      txn.insert("Logical_Switch_Port", {
        name: portName(s, p),
        addresses: [portAddress(s, p)],
        portSecurity: [portAddress(s, p)],
      }),
    );
  const pg = `pg${s}`;
  const acls = [
    txn.insert("ACL", {
      priority: 1001,
      direction: "from-lport",
      match: `inport == @${pg} && ip4`,
      action: "allow-related",
    }),
    txn.insert("ACL", {
      priority: 1002,
      direction: "to-lport",
      match: `outport == @${pg} && ip4.src == $${pg}_ip4 && tcp.dst == 22`,
      action: "allow-related",
    }),
  ];
  txn.insert("Port_Group", { name: pg, ports: lsps, acls });
  const lb = txn.insert("Load_Balancer", {
    name: `lb${s}`,
    protocol: "tcp",
    vips: new Map([[`${subnet(s)}.250:80`, `${subnet(s)}.10:8080,${subnet(s)}.11:8080`]]),
  });
  return txn.insert("Logical_Switch", { name: swName(s), ports: lsps, loadBalancer: [lb] });
}

/** Populates the NB with the topology (a transaction per 50 switches, one per router). */
export async function populate(idl: Idl<OvnNbTables>, t: Topology): Promise<void> {
  const perRouter = Math.ceil(t.switches / t.routers);
  for (let first = 0; first < t.switches; first += 50) {
    await idl.transact((txn) => {
      for (let s = first; s < Math.min(first + 50, t.switches); s++) addSwitch(txn, s, t.ports);
    });
  }
  for (let r = 0; r < t.routers; r++) {
    await idl.transact((txn) => {
      const lrps: Uuid<"Logical_Router_Port">[] = [];
      const nats: Uuid<"NAT">[] = [];
      for (let s = r * perRouter; s < Math.min((r + 1) * perRouter, t.switches); s++) {
        const lrp = `lr${r}-sw${s}`;
        lrps.push(
          txn.insert("Logical_Router_Port", {
            name: lrp,
            mac: `0a:02:${hex(Math.floor(s / 256))}:${hex(s % 256)}:00:01`,
            networks: [`${subnet(s)}.1/24`],
          }),
        );
        const sw = idl.rows("Logical_Switch").find((x) => x.name === swName(s));
        const lsp = txn.insert("Logical_Switch_Port", {
          name: `sw${s}-lr${r}`,
          type: "router",
          addresses: ["router"],
          options: new Map([["router-port", lrp]]),
        });
        if (sw !== undefined) txn.mutate("Logical_Switch", sw._uuid, "ports", "insert", lsp);
        nats.push(
          txn.insert("NAT", {
            type: "snat",
            externalIp: `172.16.${r % 256}.1`,
            logicalIp: `${subnet(s)}.0/24`,
          }),
        );
      }
      const ext = `ext${r}`;
      const gc = txn.insert("Gateway_Chassis", { name: `gw${r}-hv1`, chassisName: "hv1", priority: 10 });
      lrps.push(
        txn.insert("Logical_Router_Port", {
          name: `lr${r}-${ext}`,
          mac: `0a:03:00:00:${hex(Math.floor(r / 256))}:${hex(r % 256)}`,
          networks: [`172.16.${r % 256}.1/24`],
          gatewayChassis: [gc],
        }),
      );
      for (let f = 0; f < 2; f++) {
        const s = r * perRouter;
        nats.push(
          txn.insert("NAT", {
            type: "dnat_and_snat",
            externalIp: `172.16.${r % 256}.${100 + f}`,
            logicalIp: `${subnet(s)}.${10 + f}`,
          }),
        );
      }
      const ln = txn.insert("Logical_Switch_Port", {
        name: `${ext}-ln`,
        type: "localnet",
        addresses: ["unknown"],
        options: new Map([["network_name", "phys"]]),
      });
      const rp = txn.insert("Logical_Switch_Port", {
        name: `${ext}-lr${r}`,
        type: "router",
        addresses: ["router"],
        options: new Map([["router-port", `lr${r}-${ext}`]]),
      });
      txn.insert("Logical_Switch", { name: ext, ports: [ln, rp] });
      txn.insert("Logical_Router", { name: `lr${r}`, ports: lrps, nat: nats });
    });
  }
}
