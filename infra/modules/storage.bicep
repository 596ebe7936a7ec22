// State (Table Storage), work (queues), large snapshots (blobs), Durable Functions task hub.
// Shared-key access is off: the app reaches it with its managed identity only.
param name string
param location string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: { deleteRetentionPolicy: { enabled: true, days: 7 } }
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'deployments'
}

// Blobs with personal data (docs/privacy.md), each deleted by the app itself; these rules are the backstop:
// - LVS snapshots between activities: each run deletes its own.
// - raw BRON feedback too large for a table row (registratieoverzichten): deleted once processed; a failed
//   one is kept 90 days to look into (FAILED_RAW_DAYS in src/activities/fetch-feedback.ts).
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-lvs-snapshots'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['lvs-snapshots/'] }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 1 } } }
          }
        }
        {
          name: 'delete-raw-feedback'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['state-blobs/feedback/'] }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 91 } } }
          }
        }
      ]
    }
  }
}

output name string = account.name
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}deployments'
