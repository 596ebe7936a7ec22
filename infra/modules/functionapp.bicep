// Flex Consumption Function App (Node 20) running functions/ from dist/.
param name string
param location string
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param appInsightsConnectionString string
@description('App settings; names equal the keys of src/config.ts.')
param appSettings object
@description('Entra ID app registration that signs administrators in (App Service Authentication).')
param authClientId string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

var baseSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AZURE_CLIENT_ID: identityClientId
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      runtime: { name: 'node', version: '20' }
      // 100 instances carry the national daily run inside 15 minutes (docs/scale.md "The national daily run")
      scaleAndConcurrency: { maximumInstanceCount: 100, instanceMemoryMB: 2048 }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(baseSettings, appSettings)
}

// App Service Authentication with Entra ID (docs/access.md): every request needs a signed-in person
// (a browser is sent to the Microsoft login); the platform strips any x-ms-client-principal* header a
// client sends and passes the person's claims (app roles Beheerder / Schooladministratie, groups) in
// x-ms-client-principal, -name and -id. The app refuses a request without them itself as well (401),
// and authorises every call against the school it touches (functions/access.ts).
resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      // the relay → cloud contact API (docs/relay.md): a school's relay has no person; the app authenticates it
      // itself (registration code, or the school's relay key: functions/access.ts toegang registratiecode/relay)
      excludedPaths: [
        '/api/relay/v1/aanmelden'
        '/api/relay/v1/hartslag'
        '/api/relay/v1/releases/*'
      ]
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: { convention: 'NoProxy' }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          clientSecretSettingName: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        // who may sign in at all: the Enterprise app's "assignment required" (docs/access.md); who may do what: the app roles
        validation: { allowedAudiences: [authClientId, 'api://${authClientId}'] }
        // the person's Key Vault token in the token store (x-ms-token-aad-access-token): onboarding imports a school's
        // certificate and writes its relay key with the Beheerder's own rights, never the app's (docs/onboarding.md).
        // The code flow needs the registration's client secret, kept as an app setting that references Key Vault.
        login: { loginParameters: ['scope=openid profile email offline_access https://vault.azure.net/user_impersonation'] }
      }
    }
    login: {
      tokenStore: { enabled: true }
      preserveUrlFragmentsForLogins: true
    }
  }
}

output name string = site.name
