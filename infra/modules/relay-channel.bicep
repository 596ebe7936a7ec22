// The relay channel (docs/relay.md "Transport"): one Storage queue per school that the school's relay
// polls (outbound HTTPS only; nothing at the school listens), and one container for the answers.
// A separate account from the app's state because a queue SAS — what a relay at a school holds,
// read + process on its own queue only — can only be signed with an account key: shared-key access is
// on here, and only here. It holds nothing but requests in flight and answers for minutes.
// New schools get their queue at onboarding (src/adapters/lvs/channel-provisioning.ts:
// provisionRelayChannel creates `relay-<school id>`, a stored access policy `relay` and the SAS);
// `schoolIds` declares queues for schools known at deployment time, the same pattern.
param name string
param location string
param keyVaultName string
@description('School ids (registry, table schools) whose queues relay-<id> this deployment declares; onboarding creates the others.')
param schoolIds array = []

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource replies 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'relay-replies'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource schoolQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for id in schoolIds: {
  parent: queueService
  name: 'relay-${id}'
}]

// Answers hold personal data (snapshot pages): the app deletes each once read; this rule is the backstop.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-relay-replies'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['relay-replies/'] }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 1 } } }
          }
        }
      ]
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = { name: keyVaultName }

// The app reads the channel account's connection string from here (RELAY_CHANNEL_SECRET_NAME): it puts
// requests on the queues and signs each answer's short-lived SAS with the key. Rotate: regenerate the
// key, redeploy (the secret gets the new key), then renew the schools' relay SAS (onboarding).
resource connection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'relay-channel-connection'
  properties: {
    contentType: 'text/plain'
    value: 'DefaultEndpointsProtocol=https;AccountName=${account.name};AccountKey=${account.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

output name string = account.name
output connectionSecretName string = connection.name
