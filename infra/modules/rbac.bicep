// Least privilege for the app's identity: storage data roles, Key Vault read of certificates and
// secrets (no write). Certificate administrators may import certificates. (The relay channel account
// is reached with its key, kept in Key Vault: see modules/relay-channel.bicep.)
param principalId string
param storageAccountName string
param keyVaultName string
param certificateAdminsGroupId string
@description('Object id of the Beheerders group (app role Beheerder): onboarding writes a school\'s certificate and relay key with their own token')
param beheerdersGroupId string = ''

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultCertificateUser: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba'
  keyVaultCertificatesOfficer: 'a4417e6f-fecd-4de8-b567-7b0420556985'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = { name: storageAccountName }
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = { name: keyVaultName }

resource storageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
  scope: storage
  name: guid(storage.id, principalId, role)
  properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role) }
}]

resource vaultAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [roles.keyVaultSecretsUser, roles.keyVaultCertificateUser]: {
  scope: vault
  name: guid(vault.id, principalId, role)
  properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role) }
}]

resource certificateAdmins 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(certificateAdminsGroupId)) {
  scope: vault
  name: guid(vault.id, certificateAdminsGroupId, roles.keyVaultCertificatesOfficer)
  properties: { principalId: certificateAdminsGroupId, principalType: 'Group', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCertificatesOfficer) }
}

// The Beheerders import certificates and write a new school's relay key (Key Vault Secrets Officer) with their
// own token, through the page (docs/onboarding.md); the app's identity above stays read-only.
resource beheerders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in (empty(beheerdersGroupId) ? [] : [roles.keyVaultCertificatesOfficer, roles.keyVaultSecretsOfficer]): {
  scope: vault
  name: guid(vault.id, beheerdersGroupId, role)
  properties: { principalId: beheerdersGroupId, principalType: 'Group', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role) }
}]
