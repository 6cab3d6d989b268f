// The hash-table order model against orders printed by the 3.1 tools (captured by hand):
// `ovsdb-client list-tables OVN_Northbound` and the row order of an `ovsdb-client monitor` update.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hashOrder, hashString } from "../../src/cli/ovsdb/hash-order.js";
import { parseOvsJson } from "../../src/cli/ovsdb/ovs-json.js";
import { toolSchema } from "../../src/cli/ovsdb/schema-json.js";
import { repoPath } from "../support/paths.js";

test("hash_string values", () => {
  // Pinned (MurmurHash3 x86_32, seed 0, over the UTF-8 bytes); their low four bits put these names in
  // buckets 0, 1 and 2 of a 16-bucket table, which is where list-tables prints them below.
  assert.equal(hashString("Logical_Router_Static_Route"), 0x4e554350);
  assert.equal(hashString("NB_Global"), 0xabcd5841);
  assert.equal(hashString("ACL"), 0x538472e2);
  assert.equal(hashString(""), 0);
});

test("list-tables order of the Northbound schema as served by ovsdb-server 3.1", () => {
  // ovsdb-server sends the schema's tables in this order (its own iteration order); the client's
  // parse and schema build are two more passes, which reproduce it.
  const wire =
    "Logical_Router_Static_Route Meter_Band NB_Global ACL Copp Logical_Switch Meter Load_Balancer_Group HA_Chassis_Group Address_Set Static_MAC_Binding BFD NAT Load_Balancer QoS DNS Forwarding_Group Connection SSL Load_Balancer_Health_Check Gateway_Chassis Mirror HA_Chassis Chassis_Template_Var Logical_Router_Port Logical_Router_Policy Logical_Router Port_Group Logical_Switch_Port DHCP_Options".split(
      " ",
    );
  assert.deepEqual(hashOrder(hashOrder(wire)), wire);
  // The file's own order (what `ovsdb-tool create` starts from) leads to the same iteration order.
  const file = toolSchema(parseOvsJson(readFileSync(repoPath("schemas/ovn-nb.ovsschema"), "utf8")));
  assert.deepEqual(file.tableOrder, wire);
});

test("list-columns order of NB_Global", () => {
  const wire =
    "sb_cfg_timestamp name hv_cfg nb_cfg sb_cfg external_ids options ssl ipsec hv_cfg_timestamp connections nb_cfg_timestamp".split(
      " ",
    );
  assert.deepEqual(
    hashOrder(["_uuid", "_version", ...hashOrder(wire)]).join(" "),
    "_version name sb_cfg_timestamp hv_cfg nb_cfg options sb_cfg external_ids ssl ipsec hv_cfg_timestamp connections _uuid nb_cfg_timestamp",
  );
});

test("rows of a monitor update, in the order ovsdb-client printed them", () => {
  const wire = [
    "b61428b3-f9b4-4616-bded-c8cedc47916d",
    "0f0d6256-71ff-46cf-a097-9afb57809520",
    "afb4e9c0-eac1-425c-b8b9-941ca4017e5e",
    "5e75f720-5616-4001-bc51-fc6c2d1908c0",
    "a5483a3a-428f-42e9-b41d-2db0879652ae",
    "313f51c1-671d-41f2-a5b8-e6332b5ee9e6",
    "edbcc04b-3580-416c-8076-d7c96a7eee36",
    "a3886804-1dda-486c-bb29-636720594192",
    "c05f2db1-65c2-4968-98b6-eba8501d3767",
    "0f8eed12-5a95-4db8-93b5-0ac60a1fd2dd",
    "fb8b2b17-851d-4c6d-b883-9a1f39b8b4b9",
    "1813a03d-f742-4441-96d4-6ab0ab48a65d",
  ];
  const printed = "b614 0f0d afb4 5e75 a548 313f edbc 0f8e c05f a388 fb8b 1813".split(" ");
  assert.deepEqual(
    hashOrder(wire).map((u) => u.slice(0, 4)),
    printed,
  );
});

test("the order is a permutation and depends only on keys and insertion order", () => {
  const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
  const a = hashOrder(keys);
  assert.deepEqual([...a].sort(), [...keys].sort());
  assert.deepEqual(hashOrder(keys), a);
});
