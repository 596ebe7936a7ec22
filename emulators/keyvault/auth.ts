/**
 * DEV/TEST ONLY. Who may call the Key Vault stand-in, and what they may do, as Key Vault with RBAC:
 * - The stand-in issues the bearer tokens of its identities itself (JWT, HS256, signed with a key
 *   made at start and never written anywhere) and checks signature, audience and expiry. A token
 *   it did not issue, or an expired one, gets 401 with the bearer challenge, as Key Vault answers.
 *   Fixed tokens can be registered for an identity (the local stack's app process uses one).
 * - Each identity has the built-in roles infra/modules/rbac.bicep gives it; an operation outside
 *   them gets Key Vault's 403 `Forbidden` / `ForbiddenByRbac`.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { TokenCredential } from "@azure/core-auth";

export const TENANT_ID = "00000000-0000-0000-0000-000000000000";
export const AUDIENCE = "https://vault.azure.net";

/** Key Vault data actions of the operations the stand-in serves. */
export const DATA_ACTION = {
  getCertificate: "Microsoft.KeyVault/vaults/certificates/read",
  importCertificate: "Microsoft.KeyVault/vaults/certificates/import/action",
  updateCertificate: "Microsoft.KeyVault/vaults/certificates/update/action",
  getSecret: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
  setSecret: "Microsoft.KeyVault/vaults/secrets/setSecret/action",
} as const;

/** The data actions of the built-in roles used here (Azure built-in role definitions). */
const ROLES = {
  "Key Vault Secrets User": ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"],
  "Key Vault Certificate User": [
    "Microsoft.KeyVault/vaults/certificates/read", "Microsoft.KeyVault/vaults/secrets/getSecret/action",
    "Microsoft.KeyVault/vaults/secrets/readMetadata/action", "Microsoft.KeyVault/vaults/keys/read",
  ],
  "Key Vault Certificates Officer": ["Microsoft.KeyVault/vaults/certificatecas/*", "Microsoft.KeyVault/vaults/certificates/*", "Microsoft.KeyVault/vaults/certificatecontacts/write"],
  "Key Vault Secrets Officer": ["Microsoft.KeyVault/vaults/secrets/*"],
  "Key Vault Administrator": ["Microsoft.KeyVault/vaults/*"],
} as const;
type Role = keyof typeof ROLES;

/**
 * The identities: `app` is the Function App's managed identity (read-only: Secrets User +
 * Certificate User), `certificate-admin` the certificate administrators' group (Certificates
 * Officer), `admin` whoever seeds the vault in tests and the local stack (Administrator).
 */
export const IDENTITIES = {
  app: { oid: "11111111-1111-4111-8111-111111111111", roles: ["Key Vault Secrets User", "Key Vault Certificate User"] },
  "certificate-admin": { oid: "22222222-2222-4222-8222-222222222222", roles: ["Key Vault Certificates Officer"] },
  // the Beheerders' group (onboarding a school: its certificate and its relay key), as rbac.bicep assigns it
  beheerder: { oid: "44444444-4444-4444-8444-444444444444", roles: ["Key Vault Certificates Officer", "Key Vault Secrets Officer"] },
  admin: { oid: "33333333-3333-4333-8333-333333333333", roles: ["Key Vault Administrator"] },
} as const satisfies Record<string, { oid: string; roles: readonly Role[] }>;
export type Identity = keyof typeof IDENTITIES;

export function permits(identity: Identity, dataAction: string): boolean {
  return IDENTITIES[identity].roles.some((role) =>
    ROLES[role].some((granted) => granted === dataAction || (granted.endsWith("/*") && dataAction.startsWith(granted.slice(0, -1)))),
  );
}

export type TokenCheck = { ok: true; identity: Identity } | { ok: false; message: string };

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");

export class TokenIssuer {
  private readonly key = randomBytes(32);
  private readonly fixed = new Map<string, Identity>();

  constructor(fixedTokens: Record<string, Identity> = {}) {
    for (const [token, identity] of Object.entries(fixedTokens)) this.fixed.set(token, identity);
  }

  /** A token for `identity`, valid for `lifetimeSeconds` from now (negative: already expired). */
  mint(identity: Identity, lifetimeSeconds = 3600, now = Date.now()): { token: string; expiresOnTimestamp: number } {
    const iat = Math.floor(now / 1000);
    const exp = iat + lifetimeSeconds;
    const { oid } = IDENTITIES[identity];
    const claims = { aud: AUDIENCE, iss: `https://sts.windows.net/${TENANT_ID}/`, iat, nbf: Math.min(iat, exp), exp, oid, sub: oid, appid: oid, tid: TENANT_ID, idtyp: "app", uti: randomUUID(), stand_in_identity: identity };
    const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
    return { token: `${unsigned}.${this.sign(unsigned)}`, expiresOnTimestamp: exp * 1000 };
  }

  /** A TokenCredential for the SDK clients that hands out fresh tokens of `identity`. */
  credential(identity: Identity): TokenCredential {
    return { getToken: async () => this.mint(identity) };
  }

  /** Key Vault's checks: a token we issued (signature), for the vault (audience), not expired. */
  check(token: string, now = Date.now()): TokenCheck {
    const fixed = this.fixed.get(token);
    if (fixed) return { ok: true, identity: fixed };
    const [header, payload, signature] = token.split(".");
    if (!header || !payload || !signature) return { ok: false, message: "[BearerReadAccessTokenFailed] Error validating token: 'S2S12005'." };
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, message: "AKV10046: Unable to resolve the key used for signature validation." };
    }
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { aud?: string; exp?: number; nbf?: number; stand_in_identity?: Identity };
    if (claims.aud !== AUDIENCE) return { ok: false, message: `AKV10022: Invalid audience. Expected ${AUDIENCE}, found: ${claims.aud}.` };
    const seconds = Math.floor(now / 1000);
    if (typeof claims.exp !== "number" || claims.exp <= seconds) return { ok: false, message: "[TokenExpired] Error validating token: 'S2S12086'." };
    if (typeof claims.nbf === "number" && claims.nbf > seconds) return { ok: false, message: "Token not yet valid." };
    if (!claims.stand_in_identity || !(claims.stand_in_identity in IDENTITIES)) return { ok: false, message: "AKV10000: The token does not name a known identity." };
    return { ok: true, identity: claims.stand_in_identity };
  }

  private sign(unsigned: string): string {
    return createHmac("sha256", this.key).update(unsigned).digest("base64url");
  }
}

/** Key Vault's RBAC refusal (403), naming caller and action as Key Vault does. */
export function forbiddenByRbac(identity: Identity, dataAction: string, resource: string) {
  const { oid } = IDENTITIES[identity];
  return {
    error: {
      code: "Forbidden",
      message:
        "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n" +
        `Caller: appid=${oid};oid=${oid};iss=https://sts.windows.net/${TENANT_ID}/\r\nAction: '${dataAction}'\r\nResource: '${resource}'\r\n` +
        "Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: stand-in;location=local\r\n",
      innererror: { code: "ForbiddenByRbac" },
    },
  };
}
