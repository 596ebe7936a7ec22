// BRON Sync Cloud: one Function App per school board or supplier, with its storage, Key Vault,
// Azure Relay namespace (for the on-prem LVS2000 relays) and monitoring.
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

@description('Client id of the Entra ID app registration that signs people in to the admin page and API; its app roles Beheerder and Schooladministratie say who may do what (docs/access.md).')
param authClientId string

var suffix = uniqueString(resourceGroup().id, appName)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-${appName}', location: location }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: appName, location: location }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: take('st${replace(appName, '-', '')}${suffix}', 24), location: location }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: { name: take('kv-${appName}-${suffix}', 24), location: location }
}

module relay 'modules/relay.bicep' = {
  name: 'relay'
  params: { name: 'relay-${appName}-${suffix}', location: location }
}

module relaySendKey 'modules/relay-send-key.bicep' = {
  name: 'relay-send-key'
  params: { keyVaultName: keyVault.outputs.name, sendRuleId: relay.outputs.sendRuleId }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: 'func-${appName}-${suffix}'
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
      KEY_VAULT_URL: keyVault.outputs.uri
      RELAY_BASE_URL: relay.outputs.baseUrl
      RELAY_KEY_SECRET_NAME: 'relay-hmac-key'
      RELAY_SENDER_KEY_NAME: relay.outputs.sendRuleName
      RELAY_SENDER_KEY_SECRET_NAME: relaySendKey.outputs.secretName
      SYNC_SCHEDULE: syncSchedule
      AZURE_CREDENTIAL: 'managed-identity'
      OVERZICHT_WACHTTIJD_SECONDEN: '60'
      OVERZICHT_MAX_AGE_DAYS: '28'
      CERTIFICATE_WARN_DAYS: '30'
    }
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    relayNamespaceName: relay.outputs.namespaceName
    certificateAdminsGroupId: certificateAdminsGroupId
  }
}

output functionAppName string = functionApp.outputs.name
output keyVaultUri string = keyVault.outputs.uri
output relayNamespace string = relay.outputs.namespaceName
