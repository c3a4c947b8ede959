// Production: no public network access (private endpoints + VNet integration), zone-redundant storage, long audit
// immutability, every 110113 alerts. Replace the auth values and the network ids with your own (docs/deploy.md).
using 'main.bicep'

param environmentName = 'prod'
param authClientId = '00000000-0000-0000-0000-000000000000'
param authAudience = 'api://00000000-0000-0000-0000-000000000000'
param publicNetworkAccess = 'Disabled'
param privateEndpointSubnetId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/network/providers/Microsoft.Network/virtualNetworks/archive-vnet/subnets/private-endpoints'
param vnetIntegrationSubnetId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/network/providers/Microsoft.Network/virtualNetworks/archive-vnet/subnets/function-app'
param privateDnsZoneIds = {
  blob: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/network/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net'
  queue: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/network/providers/Microsoft.Network/privateDnsZones/privatelink.queue.core.windows.net'
  vault: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/network/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net'
}
param storageSku = 'Standard_GZRS'
param blobSoftDeleteDays = 30
param containerSoftDeleteDays = 30
param auditImmutabilityDays = 3650
param archiveCoolAfterDays = 30
param archiveColdAfterDays = 180
param logRetentionDays = 365
param maximumInstanceCount = 40
param ingestAlwaysReadyInstances = 1
param retentionFiles = 'data/policies/retention/default.json;data/policies/retention/uk-nhs-england.json'
param jurisdiction = 'GB-ENG'
param securityAlertThreshold = 0
