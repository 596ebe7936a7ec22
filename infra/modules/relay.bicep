// Azure Relay: the school's on-prem relay listens on a Hybrid Connection with outbound 443 only;
// the app sends through it with a Send-only rule whose key is kept in Key Vault.
param name string
param location string
@description('Name of the Hybrid Connection the LVS2000 relay listens on.')
param hybridConnectionName string = 'lvs2000'

resource ns 'Microsoft.Relay/namespaces@2021-11-01' = {
  name: name
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
}

resource hc 'Microsoft.Relay/namespaces/hybridConnections@2021-11-01' = {
  parent: ns
  name: hybridConnectionName
  properties: { requiresClientAuthorization: true }
}

// The on-prem relay listens with this rule (its key goes into the relay's configuration at the school).
resource listen 'Microsoft.Relay/namespaces/hybridConnections/authorizationRules@2021-11-01' = {
  parent: hc
  name: 'relay-listen'
  properties: { rights: ['Listen'] }
}

// The cloud app sends with this rule only.
resource send 'Microsoft.Relay/namespaces/hybridConnections/authorizationRules@2021-11-01' = {
  parent: hc
  name: 'cloud-send'
  properties: { rights: ['Send'] }
}

output namespaceName string = ns.name
output baseUrl string = 'https://${ns.name}.servicebus.windows.net/${hc.name}'
output sendRuleName string = send.name
output sendRuleId string = send.id
