// Two log alerts over the Log Analytics workspace:
// - poison messages: a message moved to a -poison queue (the Functions host gave up after 5 deliveries). Counted as
//   PutMessage requests on the poison queues in the queue transaction logs of the data account, so it fires when a
//   message arrives there; `cloudarchive status` shows how many are still waiting.
// - audit security alerts: the number of durable DICOM 110113 Security Alert audit lines (research API refusals,
//   refused exports and shreds, failed verification) in the window, from the warning the audit writer logs for each
//   one (AuditLogWriter.SecurityAlertLogPrefix) in the app's Application Insights traces. A burst of denials is what
//   probing or a mis-granted agreement looks like.

@description('Azure region.')
param location string

@description('Name prefix for the rules.')
param namePrefix string

@description('Log Analytics workspace resource id.')
param workspaceId string

@description('Data account name (its queue logs are searched).')
param dataAccountName string

@description('The -poison queues.')
param poisonQueues array

@description('110113 lines in 15 minutes above which the security alert fires.')
@minValue(0)
param securityAlertThreshold int

@description('The audit writer\'s log prefix (AuditLogWriter.SecurityAlertLogPrefix).')
param securityAlertLogPrefix string

@description('E-mail address for alerts (blank: rules without a notification; attach your own action group).')
param alertEmail string

param tags object

var poisonFilter = join(map(poisonQueues, q => 'Uri contains "/${q}"'), ' or ')

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: '${namePrefix}-ops'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take('${namePrefix}ops', 12)
    enabled: true
    emailReceivers: [
      { name: 'operations', emailAddress: alertEmail, useCommonAlertSchema: true }
    ]
  }
}

var actions = empty(alertEmail) ? {} : { actionGroups: [ actionGroup.id ] }

resource poisonAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-poison-messages'
  location: location
  tags: tags
  properties: {
    displayName: 'CloudArchive: message moved to a poison queue'
    description: 'A queue message failed 5 deliveries and was moved to a -poison queue; nothing is lost, but a person must look (docs/deploy.md, "Alerts").'
    severity: 2
    enabled: true
    scopes: [ workspaceId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'StorageQueueLogs | where AccountName == "${dataAccountName}" and OperationName == "PutMessage" and (${poisonFilter})'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: actions
  }
}

resource securityAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-audit-security-alerts'
  location: location
  tags: tags
  properties: {
    displayName: 'CloudArchive: audit security alerts (110113)'
    description: 'Counts the 110113 Security Alert audit lines the app wrote (one warning trace each): denials of the researcher API, refused exports and shreds, failed verification.'
    severity: 1
    enabled: true
    scopes: [ workspaceId ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'AppTraces | where Message startswith "${securityAlertLogPrefix} 110113"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: securityAlertThreshold
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: actions
  }
}
