// What the function app's identity may do, by built-in role, each at the narrowest scope that works: one container,
// one queue, one key. Nothing at subscription or resource-group scope, and no Owner/Contributor (management) role.
//
// Why each data role (docs/deploy.md, "What gets deployed", explains the tags choice):
// - Storage Blob Data Owner on `archive` and `research` only: the ingest writes blob index tags (ca_study,
//   ca_patient, ca_retain_until, ca_hold) and legal holds are found with Find Blobs by Tags. Those need
//   blobs/tags/write, blobs/tags/read and blobs/filter/action, which Storage Blob Data Contributor does not include;
//   Owner is the built-in data role that has all three (learn.microsoft.com/azure/storage/blobs/storage-manage-find-blobs,
//   "Permissions and authorization").
// - Storage Blob Data Owner on the Functions host containers (azure-webjobs-hosts, azure-webjobs-secrets): what the
//   Functions docs require for an identity-based AzureWebJobsStorage, scoped to those two containers.
// - Storage Blob Data Contributor on incoming, quarantine, audit, control, the deployment container and the keyring:
//   read, create and delete blobs, no tags.
// - Storage Queue Data Contributor on the four queues: the triggers read and delete messages and the host moves
//   failures to the -poison queues.
// - Key Vault Crypto Service Encryption User on the KEK: get, wrapKey, unwrapKey and nothing else.
// - Key Vault Crypto User on the signing key: sign (audit seals) and verify; scoped to that key, so it adds no
//   decrypt or unwrap right on the KEK.
// - Monitoring Metrics Publisher on Application Insights: local auth is off, telemetry needs an Entra token.

@description('Principal (object) id of the app identity.')
param principalId string

@description('Resource id of the app identity: seeds the role assignment names, which must be known before deployment.')
param principalResourceId string

@description('Data account name.')
param dataAccountName string

@description('Containers the app needs blob index tags on (Blob Data Owner).')
param taggedContainers array

@description('Containers the app reads and writes without tags (Blob Data Contributor).')
param plainContainers array

@description('Functions host containers (Blob Data Owner, as the Functions docs require for AzureWebJobsStorage).')
param hostContainers array

@description('Queues the app consumes or dead-letters into.')
param queues array

@description('Keyring account name.')
param keyringAccountName string

@description('Keyring container name.')
param keyringContainerName string

@description('Key Vault name.')
param vaultName string

@description('KEK name.')
param kekName string

@description('Signing key name.')
param signingKeyName string

@description('Application Insights component name.')
param appInsightsName string

var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  cryptoServiceEncryptionUser: 'e147488a-f6f5-4113-8e2d-b22465e65bf6'
  cryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource data 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataAccountName

  resource blobs 'blobServices' existing = {
    name: 'default'
  }

  resource queueService 'queueServices' existing = {
    name: 'default'
  }
}

resource tagged 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for c in taggedContainers: {
  parent: data::blobs
  name: c
}]

resource taggedRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (c, i) in taggedContainers: {
  name: guid(tagged[i].id, principalResourceId, roles.blobDataOwner)
  scope: tagged[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Blob index tags (set, read, find by tags): only Storage Blob Data Owner has them.'
  }
}]

resource plain 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for c in plainContainers: {
  parent: data::blobs
  name: c
}]

resource plainRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (c, i) in plainContainers: {
  name: guid(plain[i].id, principalResourceId, roles.blobDataContributor)
  scope: plain[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Read, write and delete blobs of this container; no tags.'
  }
}]

resource host 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for c in hostContainers: {
  parent: data::blobs
  name: c
}]

resource hostRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (c, i) in hostContainers: {
  name: guid(host[i].id, principalResourceId, roles.blobDataOwner)
  scope: host[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Functions host leases and keys (identity-based AzureWebJobsStorage).'
  }
}]

resource queue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = [for q in queues: {
  parent: data::queueService
  name: q
}]

resource queueRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (q, i) in queues: {
  name: guid(queue[i].id, principalResourceId, roles.queueDataContributor)
  scope: queue[i]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Queue trigger: read, delete and move messages to the poison queue.'
  }
}]

resource keyringAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: keyringAccountName

  resource blobs 'blobServices' existing = {
    name: 'default'

    resource keyring 'containers' existing = {
      name: keyringContainerName
    }
  }
}

resource keyringRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyringAccount::blobs::keyring.id, principalResourceId, roles.blobDataContributor)
  scope: keyringAccount::blobs::keyring
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Create-only study keys, rewrap (compare-and-swap), shred (delete).'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName

  resource kek 'keys' existing = {
    name: kekName
  }

  resource signingKey 'keys' existing = {
    name: signingKeyName
  }
}

resource kekRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault::kek.id, principalResourceId, roles.cryptoServiceEncryptionUser)
  scope: vault::kek
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cryptoServiceEncryptionUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Wrap and unwrap study keys with the KEK (get, wrapKey, unwrapKey only).'
  }
}

resource signingRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault::signingKey.id, principalResourceId, roles.cryptoUser)
  scope: vault::signingKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cryptoUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Sign and verify audit seals with this key only.'
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalResourceId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Send telemetry to Application Insights with Entra ID (local auth is disabled).'
  }
}
