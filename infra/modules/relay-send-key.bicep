// Puts the Send rule's key of the relay's Hybrid Connection into Key Vault, where the app reads it.
param keyVaultName string
param sendRuleId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = { name: keyVaultName }

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'relay-send-key'
  properties: { value: listKeys(sendRuleId, '2021-11-01').primaryKey, contentType: 'text/plain' }
}

output secretName string = secret.name
