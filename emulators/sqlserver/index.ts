export { startTdsServer, type TdsServer, type TdsServerOptions } from "./server.js";
export type { ProcedureHandler, ProcedureResult } from "./procedures.js";
