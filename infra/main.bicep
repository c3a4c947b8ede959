// CloudArchive in one resource group: the function app (Flex Consumption) under a user-assigned identity, the data
// account, a separate keyring account, Key Vault Premium with the KEK and the audit-seal key, Event Grid feeding the
// ingest queue, and monitoring with alerts. Secure by default; docs/deploy.md is the runbook and explains each
// parameter. tests/CloudArchive.Infra.Tests compiles, lints and checks this template offline.

targetScope = 'resourceGroup'

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Environment name, part of every resource name.')
@allowed([ 'dev', 'test', 'prod' ])
param environmentName string

@description('Short name prefix (lowercase letters and digits).')
@minLength(2)
@maxLength(6)
param namePrefix string = 'ca'

@description('Application (client) id of the archive\'s Entra app registration (docs/deploy.md, step 1).')
param authClientId string

@description('Application id URI of that registration: the accepted token audience (api://...).')
param authAudience string

@description('Entra tenant that issues the tokens.')
param authTenantId string = tenant().tenantId

@description('Enabled, or Disabled to allow only private endpoints (and trusted Azure services) on both accounts and the vault.')
@allowed([ 'Enabled', 'Disabled' ])
param publicNetworkAccess string = 'Disabled'

@description('Subnet for private endpoints of blob, queue and vault (blank: none).')
param privateEndpointSubnetId string = ''

@description('Private DNS zone ids for the endpoints: { blob: id, queue: id, vault: id } (missing: manage DNS yourself).')
param privateDnsZoneIds object = {}

@description('Subnet delegated to Microsoft.App/environments for the app\'s outbound VNet integration (blank: none).')
param vnetIntegrationSubnetId string = ''

@description('Storage replication of both accounts.')
@allowed([ 'Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS', 'Standard_LRS' ])
param storageSku string = 'Standard_ZRS'

@description('Days a deleted blob in the data account stays recoverable (never applies to the keyring account).')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 30

@description('Days a deleted container in the data account stays recoverable.')
@minValue(1)
@maxValue(365)
param containerSoftDeleteDays int = 30

@description('Days each audit blob is immutable after creation.')
@minValue(1)
@maxValue(146000)
param auditImmutabilityDays int = 3650

@description('Days after creation an archive blob moves to cool.')
@minValue(1)
param archiveCoolAfterDays int = 30

@description('Days after creation an archive blob moves to cold.')
@minValue(2)
param archiveColdAfterDays int = 180

@description('KEK rotation: ISO 8601 duration after creation.')
param kekRotateAfter string = 'P1Y'

@description('KEK version lifetime: ISO 8601 duration.')
param kekExpiresAfter string = 'P2Y'

@description('Days Log Analytics keeps operational logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Maximum Flex instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Always-ready (pre-warmed, billed while idle) instances for IngestInstance; 0 lets the ingest scale from zero.')
@minValue(0)
@maxValue(20)
param ingestAlwaysReadyInstances int = 0

@description('Memory per Flex instance in MB (a 1 GiB ingest peaks near 210 MiB; exports stage studies on disk).')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int = 2048

@description('`;`-separated retention policy files in the app package.')
param retentionFiles string = 'data/policies/retention/default.json'

@description('Minimization policy file in the app package.')
param minimizationFile string = 'data/policies/minimization/default.json'

@description('Retention jurisdiction (e.g. GB-ENG; blank: all).')
param jurisdiction string = ''

@description('Largest accepted upload in bytes.')
param maxInstanceBytes int = 4294967296

@description('Studies an export de-identifies at once.')
@minValue(1)
@maxValue(64)
param exportMaxParallelism int = 2

@description('Researcher API: requests per minute per principal.')
param researchApiRequestsPerMinute int = 120

@description('Researcher API: burst per principal.')
param researchApiBurst int = 30

@description('110113 audit lines in 15 minutes above which the security alert fires.')
@minValue(0)
param securityAlertThreshold int = 0

@description('E-mail for alerts (blank: no action group).')
param alertEmail string = ''

var suffix = uniqueString(resourceGroup().id, environmentName)
var baseName = '${namePrefix}-${environmentName}'
var tags = {
  application: 'cloudarchive'
  environment: environmentName
}

// The code's defaults (ArchiveContainerNames, the function attributes); tests/CloudArchive.Infra.Tests checks them.
var containerNames = {
  Incoming: 'incoming'
  Archive: 'archive'
  Quarantine: 'quarantine'
  Keyring: 'keyring'
  Research: 'research'
  Audit: 'audit'
  Control: 'control'
  Seals: 'seals'
}
// The function names (functions.metadata of src/CloudArchive.Functions); tests/CloudArchive.Infra.Tests checks them.
var functionNames = {
  ingest: 'IngestInstance'
  export: 'ExportResearchCopies'
  researchApi: 'ResearchApi'
  auditSeal: 'AuditSeal'
  clinicalDicomWeb: 'ClinicalDicomWeb'
  stowRs: 'StowRs'
  reconcile: 'Reconcile'
  fixitySweep: 'FixitySweep'
  retentionSweep: 'RetentionSweep'
}
var ingestQueue = 'ingest-events'
var exportQueue = 'export-requests'
var poisonQueues = [ '${ingestQueue}-poison', '${exportQueue}-poison' ]
var deploymentContainer = 'app-package'
var deadLetterContainer = 'eventgrid-deadletter'
var hostContainers = [ 'azure-webjobs-hosts', 'azure-webjobs-secrets' ]
var securityAlertLogPrefix = 'AuditSecurityAlert'

// Names are computed here, not read from module outputs, so What-If can predict every resource of the nested modules.
var dataAccountName = take('${namePrefix}${environmentName}d${suffix}', 24)
var keyringAccountName = take('${namePrefix}${environmentName}k${suffix}', 24)
var vaultName = take('${namePrefix}-${environmentName}-${suffix}', 24)
var kekName = 'cloudarchive-kek'
var signingKeyName = 'cloudarchive-audit-seal'
var appInsightsName = '${baseName}-ai'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${baseName}-app-id'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: '${baseName}-logs'
    appInsightsName: appInsightsName
    retentionInDays: logRetentionDays
    tags: tags
  }
}

module data 'modules/data-storage.bicep' = {
  name: 'data-storage'
  params: {
    location: location
    name: dataAccountName
    skuName: storageSku
    publicNetworkAccess: publicNetworkAccess
    archiveContainers: [ containerNames.Incoming, containerNames.Archive, containerNames.Quarantine, containerNames.Research, containerNames.Audit, containerNames.Control, containerNames.Seals ]
    auditContainerName: containerNames.Audit
    sealsContainerName: containerNames.Seals
    archiveContainerName: containerNames.Archive
    deploymentContainerName: deploymentContainer
    deadLetterContainerName: deadLetterContainer
    hostContainerNames: hostContainers
    queueNames: concat([ ingestQueue, exportQueue ], poisonQueues)
    blobSoftDeleteDays: blobSoftDeleteDays
    containerSoftDeleteDays: containerSoftDeleteDays
    auditImmutabilityDays: auditImmutabilityDays
    archiveCoolAfterDays: archiveCoolAfterDays
    archiveColdAfterDays: archiveColdAfterDays
    tags: tags
  }
}

module keyring 'modules/keyring-storage.bicep' = {
  name: 'keyring-storage'
  params: {
    location: location
    name: keyringAccountName
    skuName: storageSku
    publicNetworkAccess: publicNetworkAccess
    keyringContainerName: containerNames.Keyring
    tags: tags
  }
}

module dataDiagnostics 'modules/diagnostics.bicep' = {
  name: 'data-diagnostics'
  params: {
    storageAccountName: dataAccountName
    workspaceId: monitoring.outputs.workspaceId
  }
  dependsOn: [ data ]
}

module keyringDiagnostics 'modules/diagnostics.bicep' = {
  name: 'keyring-diagnostics'
  params: {
    storageAccountName: keyringAccountName
    workspaceId: monitoring.outputs.workspaceId
  }
  dependsOn: [ keyring ]
}

module vault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    location: location
    name: vaultName
    publicNetworkAccess: publicNetworkAccess
    kekName: kekName
    signingKeyName: signingKeyName
    kekRotateAfter: kekRotateAfter
    kekExpiresAfter: kekExpiresAfter
    workspaceId: monitoring.outputs.workspaceId
    tags: tags
  }
}

module app 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    location: location
    name: '${baseName}-func-${suffix}'
    planName: '${baseName}-plan'
    identityId: identity.id
    identityClientId: identity.properties.clientId
    dataBlobEndpoint: data.outputs.blobEndpoint
    dataQueueEndpoint: data.outputs.queueEndpoint
    keyringBlobEndpoint: keyring.outputs.blobEndpoint
    deploymentContainerName: deploymentContainer
    containerNames: containerNames
    kekUri: vault.outputs.kekUri
    signingKeyName: vault.outputs.signingKeyName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    workspaceId: monitoring.outputs.workspaceId
    authTenantId: authTenantId
    authClientId: authClientId
    authAudience: authAudience
    authInstance: environment().authentication.loginEndpoint
    retentionFiles: retentionFiles
    minimizationFile: minimizationFile
    jurisdiction: jurisdiction
    maxInstanceBytes: maxInstanceBytes
    exportMaxParallelism: exportMaxParallelism
    researchApiRequestsPerMinute: researchApiRequestsPerMinute
    researchApiBurst: researchApiBurst
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyFunctionName: functionNames.ingest
    alwaysReadyInstanceCount: ingestAlwaysReadyInstances
    vnetIntegrationSubnetId: vnetIntegrationSubnetId
    tags: tags
  }
  // The app starts reading storage and Key Vault at once; its roles must exist first.
  dependsOn: [ appRoles ]
}

module appRoles 'modules/app-roles.bicep' = {
  name: 'app-roles'
  params: {
    principalId: identity.properties.principalId
    principalResourceId: identity.id
    dataAccountName: dataAccountName
    taggedContainers: [ containerNames.Archive, containerNames.Research ]
    plainContainers: [ containerNames.Incoming, containerNames.Quarantine, containerNames.Audit, containerNames.Control, containerNames.Seals, deploymentContainer ]
    hostContainers: hostContainers
    queues: concat([ ingestQueue, exportQueue ], poisonQueues)
    keyringAccountName: keyringAccountName
    keyringContainerName: containerNames.Keyring
    vaultName: vaultName
    kekName: kekName
    signingKeyName: signingKeyName
    appInsightsName: appInsightsName
  }
  dependsOn: [ data, keyring, vault, monitoring ]
}

module events 'modules/event-grid.bicep' = {
  name: 'event-grid'
  params: {
    location: location
    topicName: '${baseName}-storage-events'
    dataAccountName: dataAccountName
    incomingContainerName: containerNames.Incoming
    ingestQueueName: ingestQueue
    deadLetterContainerName: deadLetterContainer
    maxDeliveryAttempts: 30
    eventTimeToLiveInMinutes: 1440
    tags: tags
  }
  dependsOn: [ data ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    namePrefix: baseName
    workspaceId: monitoring.outputs.workspaceId
    dataAccountName: dataAccountName
    poisonQueues: poisonQueues
    securityAlertThreshold: securityAlertThreshold
    securityAlertLogPrefix: securityAlertLogPrefix
    alertEmail: alertEmail
    tags: tags
  }
}

var privateEndpoints = empty(privateEndpointSubnetId) ? [] : [
  { name: '${dataAccountName}-blob', target: resourceId('Microsoft.Storage/storageAccounts', dataAccountName), group: 'blob' }
  { name: '${dataAccountName}-queue', target: resourceId('Microsoft.Storage/storageAccounts', dataAccountName), group: 'queue' }
  { name: '${keyringAccountName}-blob', target: resourceId('Microsoft.Storage/storageAccounts', keyringAccountName), group: 'blob' }
  { name: '${vaultName}-vault', target: resourceId('Microsoft.KeyVault/vaults', vaultName), group: 'vault' }
]

module endpoints 'modules/private-endpoint.bicep' = [for pe in privateEndpoints: {
  name: 'pe-${pe.name}'
  params: {
    location: location
    name: pe.name
    targetId: pe.target
    groupId: pe.group
    subnetId: privateEndpointSubnetId
    privateDnsZoneId: privateDnsZoneIds[?pe.group] ?? ''
    tags: tags
  }
  dependsOn: [ data, keyring, vault ]
}]

output functionAppName string = app.outputs.name
output functionAppHostName string = app.outputs.defaultHostName
output dataAccountName string = data.outputs.name
output keyringAccountName string = keyring.outputs.name
output keyVaultName string = vault.outputs.name
output kekUri string = vault.outputs.kekUri
output signingKeyUri string = vault.outputs.signingKeyUri
output appIdentityClientId string = identity.properties.clientId
output eventGridTopicId string = events.outputs.topicId
// What `az functionapp function list` must show after publishing (docs/deploy.md, step 4).
output functionNames array = [ functionNames.ingest, functionNames.export, functionNames.researchApi, functionNames.clinicalDicomWeb, functionNames.stowRs, functionNames.auditSeal, functionNames.retentionSweep, functionNames.reconcile, functionNames.fixitySweep ]
