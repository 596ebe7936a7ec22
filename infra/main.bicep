// BRON Sync Cloud: one Function App for many schools (a school board, or a supplier hosting hundreds),
// with its storage, Key Vault, the relay channel account (each school's on-prem LVS2000 relay polls its
// own queue there; no Azure Relay namespace) and monitoring. Schools are data (table `schools`), not
// deployment parameters: docs/relay.md "Transport" and docs/scale.md.
// Deploy: az deployment group create -g <rg> -f infra/main.bicep -p infra/main.bicepparam
targetScope = 'resourceGroup'

@description('Short name used in every resource name, e.g. "bronsync-stichtingx".')
@minLength(3)
@maxLength(20)
param appName string

param location string = resourceGroup().location

@description('BRON (DUO) endpoint; not editable by users, as in the desktop tool.')
param bronEndpoint string

@description('DUO OIN used in wsa:To.')
param bronOin string = '00000001800866472000'

@description('NCRONTAB schedule of the hourly check for daily syncs (UTC): each aanleverpunt runs in the hour its instellingen name (Dutch time).')
param syncSchedule string = '0 0 * * * *'

@description('Object id of the group of IT administrators who manage certificates in Key Vault.')
param certificateAdminsGroupId string = ''

@description('Object id of the Beheerders group (app role Beheerder): may import certificates and write relay keys in Key Vault during onboarding.')
param beheerdersGroupId string = ''

@description('E-mail address of the IT team for alerts on failed runs; empty: no alerts.')
param alertEmail string = ''

@description('Seconds over which the daily run spreads its starts (each aanleverpunt its own hash-derived offset; docs/scale.md).')
param syncSpreidingSeconden int = 600

@description('Client id of the Entra ID app registration that signs people in to the admin page and API; its app roles Beheerder and Schooladministratie say who may do what (docs/access.md).')
param authClientId string

@description('Schools known at deployment whose relay queues are declared here; onboarding creates the others.')
param relaySchoolIds array = []

@description('NCRONTAB schedule of the daily e-mail digest per school (UTC), after the sync.')
param digestSchedule string = '0 0 7 * * *'

@description('The beheerpagina as people reach it, linked from the digest; empty: the Function App\'s default host name.')
param beheerUrl string = ''

var suffix = uniqueString(resourceGroup().id, appName)
var functionAppName = 'func-${appName}-${suffix}'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-${appName}', location: location }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: appName, location: location, alertEmail: alertEmail }
}

// The app roles Beheerder and Schooladministratie on the sign-in app registration (Microsoft Graph Bicep extension).
module appRoles 'modules/app-roles.bicep' = {
  name: 'app-roles'
  params: { appName: appName }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: take('st${replace(appName, '-', '')}${suffix}', 24), location: location }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: { name: take('kv-${appName}-${suffix}', 24), location: location }
}

module relayChannel 'modules/relay-channel.bicep' = {
  name: 'relay-channel'
  params: { name: take('strelay${replace(appName, '-', '')}${suffix}', 24), location: location, keyVaultName: keyVault.outputs.name, schoolIds: relaySchoolIds }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  params: { name: appName, principalId: identity.outputs.principalId }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: functionAppName
    location: location
    authClientId: authClientId
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    appSettings: {
      DURABLE_TASK_HUB: 'bronsync'
      BRON_ENDPOINT: bronEndpoint
      BRON_OIN: bronOin
      BRON_TIMEOUT_MS: '30000'
      BRON_BATCH_SIZE: '500'
      KEY_VAULT_URL: keyVault.outputs.uri
      RELAY_CHANNEL_SECRET_NAME: relayChannel.outputs.connectionSecretName
      RELAY_PICKUP_TIMEOUT_SECONDS: '45'
      RELAY_ANSWER_TIMEOUT_SECONDS: '120'
      SYNC_SCHEDULE: syncSchedule
      SYNC_SPREIDING_SECONDEN: string(syncSpreidingSeconden)
      AZURE_CREDENTIAL: 'managed-identity'
      OVERZICHT_WACHTTIJD_SECONDEN: '60'
      OVERZICHT_MAX_AGE_DAYS: '28'
      CERTIFICATE_WARN_DAYS: '30'
      EMAIL_ENDPOINT: communication.outputs.endpoint
      EMAIL_SENDER: communication.outputs.senderAddress
      DIGEST_SCHEDULE: digestSchedule
      BEHEER_URL: empty(beheerUrl) ? 'https://${functionAppName}.azurewebsites.net/api/beheer' : beheerUrl
    }
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    certificateAdminsGroupId: certificateAdminsGroupId
    beheerdersGroupId: beheerdersGroupId
  }
}

output functionAppName string = functionApp.outputs.name
output keyVaultUri string = keyVault.outputs.uri
output relayChannelAccount string = relayChannel.outputs.name
output signInAppId string = appRoles.outputs.appId
