export {
  type ChangeHandler,
  Engine,
  EngineNode,
  type EngineRunOptions,
  type EngineRunReport,
  type NodeHandle,
  type NodeSpec,
  type NodeState,
  type NodeStats,
  type RunResult,
} from "./engine.js";
