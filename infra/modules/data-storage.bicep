// The data account: every archive container except the keyring, the queues, the Flex deployment container and the
// Event Grid dead-letter container. Entra ID only (no Shared Key, so no account SAS either), HTTPS and TLS 1.2 only,
// no public blobs; versioning and soft delete protect against deletes by mistake; `audit` is WORM with protected
// appends, `seals` is WORM (each hourly seal written once); `archive` moves to cheaper tiers as it ages.

@description('Azure region.')
param location string

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Replication: ZRS keeps a zone outage from losing data; GZRS adds a paired region.')
@allowed([ 'Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS', 'Standard_LRS' ])
param skuName string

@description('Enabled, or Disabled to reach the account only through private endpoints (and trusted Azure services).')
@allowed([ 'Enabled', 'Disabled' ])
param publicNetworkAccess string

@description('Archive containers (incoming, archive, quarantine, research, audit, control, seals).')
param archiveContainers array

@description('Name of the audit container (gets the immutability policy).')
param auditContainerName string

@description('Name of the audit seals container (gets a time-based immutability policy without appends).')
param sealsContainerName string

@description('Name of the archive container (gets the tiering rules).')
param archiveContainerName string

@description('Flex Consumption deployment package container.')
param deploymentContainerName string

@description('Event Grid dead-letter container.')
param deadLetterContainerName string

@description('Containers the Functions host keeps its leases and keys in (AzureWebJobsStorage); created here so the app identity needs no account-wide role.')
param hostContainerNames array

@description('Queues: the trigger queues and their -poison queues.')
param queueNames array

@description('Days a deleted or overwritten blob stays recoverable.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int

@description('Days a deleted container stays recoverable.')
@minValue(1)
@maxValue(365)
param containerSoftDeleteDays int

@description('Days each audit blob is immutable after creation (time-based retention; lock the policy once verified, docs/deploy.md).')
@minValue(1)
@maxValue(146000)
param auditImmutabilityDays int

@description('Days after creation an archive blob moves to the cool tier.')
@minValue(1)
param archiveCoolAfterDays int

@description('Days after creation an archive blob moves to the cold tier (must exceed archiveCoolAfterDays).')
@minValue(2)
param archiveColdAfterDays int

param tags object

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: { name: skuName }
  tags: tags
  properties: {
    accessTier: 'Hot'
    // Entra ID only: no account key, so no Shared Key request and no account or service SAS can be honoured.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      // Event Grid (system-assigned identity) and the monitoring pipeline come in as trusted services.
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Disabled' ? 'Deny' : 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      // A second, independent layer of service-side encryption under the client-side CSE v2.1 of archive blobs.
      requireInfrastructureEncryption: true
      services: {
        blob: { enabled: true, keyType: 'Account' }
        queue: { enabled: true, keyType: 'Account' }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: blobSoftDeleteDays }
    containerDeleteRetentionPolicy: { enabled: true, days: containerSoftDeleteDays }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for c in union(archiveContainers, [ deploymentContainerName, deadLetterContainerName ], hostContainerNames): {
  parent: blobService
  name: c
  properties: {
    publicAccess: 'None'
  }
}]

resource auditContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: auditContainerName
}

// Time-based retention on the audit log: lines can be appended (append blobs) but no blob can be changed or deleted
// until it is auditImmutabilityDays old. Left unlocked by the template so a wrong period can still be corrected; locking is a
// deliberate, irreversible operator step (docs/deploy.md).
resource auditImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: auditContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditImmutabilityDays
    allowProtectedAppendWritesAll: true
  }
  dependsOn: [ containers ]
}

resource sealsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: sealsContainerName
}

// The hourly audit seals (signed Merkle roots, docs/lifecycle.md): each is a block blob written once, create-only, and
// then neither changed nor deleted for as long as the log lines it seals. No protected appends: a seal never grows.
resource sealsImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: sealsContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditImmutabilityDays
    allowProtectedAppendWrites: false
    allowProtectedAppendWritesAll: false
  }
  dependsOn: [ containers ]
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for q in queueNames: {
  parent: queueService
  name: q
}]

// Archive blobs are written once and read rarely (exports, audits), so they age into cheaper tiers. Not the archive
// tier: an export must be able to read any study without an hours-long rehydration.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'archive-ages-to-cool-then-cold'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ '${archiveContainerName}/' ]
            }
            actions: {
              baseBlob: {
                tierToCool: { daysAfterCreationGreaterThan: archiveCoolAfterDays }
                tierToCold: { daysAfterCreationGreaterThan: archiveColdAfterDays }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [ containers ]
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
