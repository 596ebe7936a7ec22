export { startTdsServer, type TdsServer, type TdsServerOptions } from "./server.js";
