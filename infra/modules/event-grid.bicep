// BlobCreated events of `incoming` go from an Event Grid system topic on the data account to the `ingest-events`
// queue, which the IngestInstance queue trigger reads (docs/architecture.md §9). Delivery and dead-lettering use the
// topic's system-assigned identity: no keys or SAS anywhere, and it is the only identity kind Event Grid may use
// through a storage firewall (trusted-service access). Events that cannot be delivered after the retries land in the
// dead-letter container for a person to look at.

@description('Azure region.')
param location string

@description('System topic name.')
param topicName string

@description('Data account name.')
param dataAccountName string

@description('The container uploads arrive in.')
param incomingContainerName string

@description('The queue IngestInstance reads.')
param ingestQueueName string

@description('Container for undeliverable events.')
param deadLetterContainerName string

@description('Delivery attempts before an event is dead-lettered.')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int

@description('Minutes an event is retried before it is dead-lettered.')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int

param tags object

var roles = {
  queueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}

resource data 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource ingestQueue 'queues' existing = {
      name: ingestQueueName
    }
  }

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetter 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: topicName
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    source: data.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// The topic may only add messages to the one queue and write dead letters to the one container.
resource senderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(data::queueService::ingestQueue.id, topic.id, roles.queueDataMessageSender)
  scope: data::queueService::ingestQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataMessageSender)
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'Event Grid delivers BlobCreated events of incoming to this queue.'
  }
}

resource deadLetterRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(data::blobService::deadLetter.id, topic.id, roles.blobDataContributor)
  scope: data::blobService::deadLetter
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataContributor)
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'Event Grid writes undeliverable events to this container.'
  }
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'incoming-to-ingest-events'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [ 'Microsoft.Storage.BlobCreated' ]
      subjectBeginsWith: '/blobServices/default/containers/${incomingContainerName}/'
      // STOW-RS parts (StowService.UploadPrefix) are taken in by the request that wrote them; an event for them would
      // race that ingest. One left behind by a failed request is re-enqueued by the Reconcile timer.
      advancedFilters: [
        {
          operatorType: 'StringNotBeginsWith'
          key: 'subject'
          values: [ '/blobServices/default/containers/${incomingContainerName}/blobs/stow/' ]
        }
      ]
    }
    deliveryWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: data.id
          queueName: ingestQueueName
          // Never expire: an event waits in the queue until the ingest has handled it.
          queueMessageTimeToLiveInSeconds: -1
        }
      }
    }
    deadLetterWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: data.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
  }
  // Event Grid checks the destination with the topic's identity when the subscription is created.
  dependsOn: [ senderRole, deadLetterRole ]
}

output topicId string = topic.id
output subscriptionName string = subscription.name
