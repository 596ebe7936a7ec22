// Azure Relay: each school's on-prem relay listens on its own Hybrid Connection with outbound 443 only.
// Hybrid connections (one per school) are added by scripts/onboarding, not here.
param name string
param location string

resource ns 'Microsoft.Relay/namespaces@2021-11-01' = {
  name: name
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
}

output namespaceName string = ns.name
output baseUrl string = 'https://${ns.name}.servicebus.windows.net'
