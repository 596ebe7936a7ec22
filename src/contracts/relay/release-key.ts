/**
 * The project's production release key, public half (Ed25519, PEM): the relay verifies every update
 * against it and the cloud offers only releases it verifies. The same key is in
 * packages/relay/release-key.pub (a unit test keeps them equal). The private half is not in this
 * repository: docs/relay.md "Update" says where it lives. Builds for tests embed a throwaway key instead
 * (packages/relay/build.mjs --publieke-sleutel).
 */
export const PRODUCTION_RELEASE_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAXBOKZ1uFVT2x7b8tFS83aSFkO4wluhtguK5Z2XsIx/M=
-----END PUBLIC KEY-----
`;
