// Azure Communication Services Email for the daily digest per school (issue 10, src/activities/digest.ts):
// an Email Communication Service with an Azure-managed domain and a DoNotReply sender, linked to a
// Communication Services resource. The app sends with its managed identity (no access key in settings);
// its identity gets a role on this resource only.
param name string
@description('Where ACS keeps its data at rest.')
param dataLocation string = 'Europe'
param principalId string

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: 'email-${name}'
  location: 'global'
  properties: { dataLocation: dataLocation }
}

resource domain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  // no tracking pixels or rewritten links in a school's mail
  properties: { domainManagement: 'AzureManaged', userEngagementTracking: 'Disabled' }
}

resource sender 'Microsoft.Communication/emailServices/domains/senderUsernames@2023-04-01' = {
  parent: domain
  name: 'donotreply'
  properties: { username: 'DoNotReply', displayName: 'BRON Sync' }
}

resource acs 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: 'acs-${name}'
  location: 'global'
  properties: { dataLocation: dataLocation, linkedDomains: [domain.id] }
}

// Contributor on this Communication Services resource only: what sending e-mail with an Entra ID token needs
var contributor = 'b24988ac-6180-42a0-ab88-20f7382dd24c'
resource sendAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: acs
  name: guid(acs.id, principalId, contributor)
  properties: { principalId: principalId, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributor) }
}

output endpoint string = 'https://${acs.properties.hostName}'
output senderAddress string = '${sender.properties.username}@${domain.properties.mailFromSenderDomain}'
