// Every stage builder, switch pipeline then router pipeline, as the core runs them.
import type { StageBuilder } from "./lflow/api.js";
import { routerBuilders } from "./router/index.js";
import { switchBuilders } from "./switch/index.js";

export function allBuilders(): readonly StageBuilder[] {
  return [...switchBuilders, ...routerBuilders];
}
