import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DefaultAzureCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { createRelayReleases, RELAY_RELEASES_CONTAINER } from "../src/adapters/state/relay-releases.js";
import { PRODUCTION_RELEASE_PUBLIC_KEY } from "../src/contracts/relay/release-key.js";
import { publishRelease, PublishError } from "./relay-publish/publish.js";

const USAGE = `gebruik: npm run relay:publish -- --sleutel PRIVE.pem [--bundel packages/relay/dist/cli.js] [--publieke-sleutel PUB.pem]
          [--account OPSLAGACCOUNT | met AzureWebJobsStorage (verbindingsreeks) in de omgeving]
Publiceert de relay-bundel als ondertekende release in blobcontainer ${RELAY_RELEASES_CONTAINER} van de opslag van de app.
Zonder --account: de verbindingsreeks in AzureWebJobsStorage (lokale stack, Azurite). Met --account: je eigen
Azure-aanmelding (az login; rol Storage Blob Data Contributor op dat account).`;

/**
 * `npm run relay:publish -- --sleutel PRIVE.pem`: builds are done by the npm script first (npm run build,
 * packages/relay/build.mjs); this signs packages/relay/dist/cli.js and stores it (docs/relay.md "Update").
 */
async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { sleutel: { type: "string" }, bundel: { type: "string" }, account: { type: "string" }, "publieke-sleutel": { type: "string" } } }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.sleutel) {
    console.error(USAGE);
    return 2;
  }
  const connection = process.env.AzureWebJobsStorage;
  if (!values.account && !connection) {
    console.error(`Geen opslag: geef --account NAAM, of zet AzureWebJobsStorage.\n${USAGE}`);
    return 2;
  }
  const blobs = values.account ? new BlobServiceClient(`https://${values.account}.blob.core.windows.net`, new DefaultAzureCredential()) : BlobServiceClient.fromConnectionString(connection!);
  const publicKey = values["publieke-sleutel"] ? readFileSync(values["publieke-sleutel"], "utf8") : PRODUCTION_RELEASE_PUBLIC_KEY;
  const releases = createRelayReleases({ container: blobs.getContainerClient(RELAY_RELEASES_CONTAINER), publicKey });
  try {
    const m = await publishRelease({ bundlePath: values.bundel ?? join(process.cwd(), "packages/relay/dist/cli.js"), privateKeyPem: readFileSync(values.sleutel, "utf8"), releases, now: new Date() });
    if (!(await releases.list()).some((r) => r.versie === m.versie)) {
      console.error(`Versie ${m.versie} is opgeslagen, maar de handtekening klopt niet met de publieke sleutel die de cloud gebruikt: relays krijgen hem niet aangeboden.`);
      return 1;
    }
    console.log(`Relay-versie ${m.versie} gepubliceerd (${m.grootte} bytes, SHA-256 ${m.sha256}). Relays die een lagere versie melden, krijgen hem bij hun volgende hartslag aangeboden.`);
    return 0;
  } catch (e) {
    if (e instanceof PublishError || (e as Error).name === "ReleaseExistsError") {
      console.error((e as Error).message);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await run(process.argv.slice(2));
