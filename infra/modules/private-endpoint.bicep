// One private endpoint (and its DNS zone group when a zone is given): with public network access disabled this is how
// the app (through VNet integration) and operators on the VNet reach a storage service or the vault.

@description('Azure region.')
param location string

@description('Endpoint name.')
param name string

@description('Resource id of the account or vault.')
param targetId string

@description('Sub-resource: blob, queue or vault.')
@allowed([ 'blob', 'queue', 'vault' ])
param groupId string

@description('Subnet for the endpoint.')
param subnetId string

@description('Private DNS zone id for the sub-resource (blank: manage DNS yourself).')
param privateDnsZoneId string

param tags object

resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: { id: subnetId }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: targetId
          groupIds: [ groupId ]
        }
      }
    ]
  }
}

resource dnsGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = if (!empty(privateDnsZoneId)) {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: groupId
        properties: { privateDnsZoneId: privateDnsZoneId }
      }
    ]
  }
}
