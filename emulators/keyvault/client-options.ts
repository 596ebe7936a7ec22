/**
 * DEV/TEST ONLY. What a Key Vault SDK client needs to talk to the stand-in: trust of the test CA
 * (an extra pipeline policy, so no NODE_EXTRA_CA_CERTS is needed) and no check that the challenge
 * resource matches *.vault.azure.net. The credential comes from the stand-in itself:
 * `kv.credential("app")` (read-only, as the app's managed identity) or `kv.credential("admin")`.
 */
import { Agent } from "node:https";
import type { CertificateClientOptions } from "@azure/keyvault-certificates";

/** Client options for CertificateClient / SecretClient (and the certificate provider) against the stand-in. */
export function standInClientOptions(caPem: string, opts: { maxRetries?: number } = {}) {
  const agent = new Agent({ ca: caPem, keepAlive: true });
  const additionalPolicies: NonNullable<CertificateClientOptions["additionalPolicies"]> = [
    {
      policy: {
        name: "trustStandInCa",
        sendRequest: (request, next) => {
          request.agent = agent;
          return next(request);
        },
      },
      position: "perRetry",
    },
  ];
  return {
    disableChallengeResourceVerification: true,
    additionalPolicies,
    retryOptions: { maxRetries: opts.maxRetries ?? 0 },
  };
}
