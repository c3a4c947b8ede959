// Diagnostic settings for one storage account: blob and queue transaction logs (StorageRead, StorageWrite,
// StorageDelete) to Log Analytics. Every read of an archive, keyring or audit blob leaves a platform record beside the
// archive's own audit log, and the poison-queue alert reads the queue logs.

@description('Name of an existing storage account.')
param storageAccountName string

@description('Log Analytics workspace resource id.')
param workspaceId string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }

  resource queueService 'queueServices' existing = {
    name: 'default'
  }
}

var storageLogs = [
  { category: 'StorageRead', enabled: true }
  { category: 'StorageWrite', enabled: true }
  { category: 'StorageDelete', enabled: true }
]

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'blob-to-log-analytics'
  scope: account::blobService
  properties: {
    workspaceId: workspaceId
    logs: storageLogs
    metrics: [ { category: 'Transaction', enabled: true } ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'queue-to-log-analytics'
  scope: account::queueService
  properties: {
    workspaceId: workspaceId
    logs: storageLogs
    metrics: [ { category: 'Transaction', enabled: true } ]
  }
}
