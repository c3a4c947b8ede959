// The keyring account: wrapped study keys, the index key and agreement secrets, and nothing else. It has no blob soft
// delete, no versioning, no container soft delete, no change feed and no object replication, so once
// `cloudarchive keys shred` deletes a study key no recoverable copy remains and the crypto-shred is final
// (docs/encryption.md, "Rotation, rewrap, shredding"). Transport and authentication are hardened like the data account.

@description('Azure region.')
param location string

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@allowed([ 'Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS', 'Standard_LRS' ])
param skuName string

@allowed([ 'Enabled', 'Disabled' ])
param publicNetworkAccess string

@description('The keyring container name.')
param keyringContainerName string

param tags object

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: { name: skuName }
  tags: tags
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Disabled' ? 'Deny' : 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: { enabled: true, keyType: 'Account' }
      }
    }
  }
}

// Every recovery feature is off on purpose: each one would keep a deleted study key recoverable and defeat the shred.
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: false
    deleteRetentionPolicy: { enabled: false }
    containerDeleteRetentionPolicy: { enabled: false }
    changeFeed: { enabled: false }
    restorePolicy: { enabled: false }
  }
}

resource keyring 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: keyringContainerName
  properties: {
    publicAccess: 'None'
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output keyringContainerId string = keyring.id
