// The Entra ID app registration people sign in with, and its two app roles (docs/access.md): Beheerder (the IT
// team: every school, onboarding, settings) and Schooladministratie (only the schools assigned to the person or
// their group). Declared with the Microsoft Graph Bicep extension (bicepconfig.json: "extensions":
// { "microsoftGraphV1": "br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:<version>" }); the deploying
// identity needs Application.ReadWrite.All. Assigning people and groups to the roles is done in the Enterprise app.
// Not compiled in this repository's CI (no Bicep CLI here): check with `az bicep build` before deploying.
extension microsoftGraphV1

param appName string

// fixed role ids: a role's id must never change once people are assigned to it
var beheerderRoleId = guid('bronsync-approle-beheerder')
var schooladministratieRoleId = guid('bronsync-approle-schooladministratie')

resource signIn 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: 'bronsync-${appName}'
  displayName: 'BRON Sync (${appName})'
  signInAudience: 'AzureADMyOrg'
  groupMembershipClaims: 'SecurityGroup'
  appRoles: [
    {
      id: beheerderRoleId
      value: 'Beheerder'
      displayName: 'Beheerder'
      description: 'IT-beheer: alle scholen, scholen aansluiten, instellingen en toewijzingen.'
      allowedMemberTypes: ['User']
      isEnabled: true
    }
    {
      id: schooladministratieRoleId
      value: 'Schooladministratie'
      displayName: 'Schooladministratie'
      description: 'Alleen de toegewezen scholen (per persoon of Entra-groep).'
      allowedMemberTypes: ['User']
      isEnabled: true
    }
  ]
  // the page asks Key Vault for the Beheerder's own token during onboarding (delegated user_impersonation)
  requiredResourceAccess: [
    {
      resourceAppId: 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093' // Azure Key Vault
      resourceAccess: [{ id: 'f53da476-18e3-4152-8e01-aec403e6edc0', type: 'Scope' }] // user_impersonation
    }
  ]
}

resource signInSp 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: signIn.appId
  appRoleAssignmentRequired: true
}

output appId string = signIn.appId
