// Key Vault Premium (HSM-backed keys) with Azure RBAC, purge protection and 90 days of soft delete: no one, not even an
// owner of the subscription, can destroy the KEK before the retention has passed, and access is granted per key.
// Keys: the KEK (RSA-HSM 3072, wrapKey/unwrapKey only, rotated by policy) and the audit-seal signing key (EC-HSM P-256,
// sign/verify only).

@description('Azure region.')
param location string

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@allowed([ 'Enabled', 'Disabled' ])
param publicNetworkAccess string

@description('KEK name.')
param kekName string

@description('Audit-seal signing key name.')
param signingKeyName string

@description('ISO 8601 duration after creation at which Key Vault rotates the KEK (then run `cloudarchive keys rewrap`).')
param kekRotateAfter string

@description('ISO 8601 lifetime of each KEK version; rotation must happen well before it.')
param kekExpiresAfter string

@description('Log Analytics workspace resource id.')
param workspaceId string

param tags object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'premium' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Irreversible by design: a deleted vault or key can be recovered but never purged early.
    enablePurgeProtection: true
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Disabled' ? 'Deny' : 'Allow'
    }
  }
}

resource kek 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: kekName
  tags: tags
  properties: {
    kty: 'RSA-HSM'
    keySize: 3072
    // Only what envelope encryption needs: the KEK never encrypts data or signs.
    keyOps: [ 'wrapKey', 'unwrapKey' ]
    attributes: { enabled: true, exportable: false }
    rotationPolicy: {
      attributes: { expiryTime: kekExpiresAfter }
      lifetimeActions: [
        { trigger: { timeAfterCreate: kekRotateAfter }, action: { type: 'rotate' } }
        { trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'notify' } }
      ]
    }
  }
}

resource signingKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: signingKeyName
  tags: tags
  properties: {
    kty: 'EC-HSM'
    curveName: 'P-256'
    keyOps: [ 'sign', 'verify' ]
    attributes: { enabled: true, exportable: false }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'vault-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    // Every wrap, unwrap, sign and management call, with the caller's identity.
    logs: [ { category: 'AuditEvent', enabled: true } ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

output id string = vault.id
output name string = vault.name
output vaultUri string = vault.properties.vaultUri
output kekName string = kek.name
output kekUri string = kek.properties.keyUri
output signingKeyName string = signingKey.name
output signingKeyUri string = signingKey.properties.keyUri
