import { runRelay } from "./run.js";

/**
 * `npm run relay`: the relay from a clone of this repository (the installed package's command is
 * `bronsync-relay start`, src/relay/cli.ts). The relay is its own program on the school's server with
 * its own settings; it does not use the cloud app's src/config.ts. This is where it reads the
 * environment (passed in, validated by zod).
 */
// eslint-disable-next-line no-restricted-properties
runRelay(process.env);
