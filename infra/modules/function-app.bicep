// The function app on Flex Consumption (FC1, Linux, .NET 10 isolated worker) under a user-assigned identity. HTTPS only,
// TLS 1.2, no FTP and no basic (publishing) credentials: code is deployed only through the identity-protected
// deployment container. App Service Authentication (Entra ID) refuses any request without a valid token for the
// archive's app registration before it reaches the worker, and the app validates the token again (CloudArchive:Auth).
// The app settings are exactly the ones the code reads (tests/CloudArchive.Infra.Tests checks them against the code).

@description('Azure region.')
param location string

@description('Function app name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (DefaultAzureCredential and the identity-based host connections pick it by this id).')
param identityClientId string

@description('Blob endpoint of the data account.')
param dataBlobEndpoint string

@description('Queue endpoint of the data account.')
param dataQueueEndpoint string

@description('Blob endpoint of the keyring account.')
param keyringBlobEndpoint string

@description('Flex deployment container in the data account.')
param deploymentContainerName string

@description('Container names by role (Incoming, Archive, Quarantine, Keyring, Research, Audit, Control).')
param containerNames object

@description('Versionless URI of the KEK (the app stores the versioned kid it wraps with).')
param kekUri string

@description('Name of the audit-seal signing key (EC-HSM P-256) in the same vault as the KEK.')
param signingKeyName string

@description('Application Insights connection string (not a credential: local auth is disabled).')
param appInsightsConnectionString string

@description('Log Analytics workspace resource id.')
param workspaceId string

@description('Entra tenant of the archive app registration.')
param authTenantId string

@description('Application (client) id of the archive app registration.')
param authClientId string

@description('Accepted token audience: the app registration\'s application id URI (api://...).')
param authAudience string

@description('Entra authority host, e.g. the cloud\'s login endpoint.')
param authInstance string

@description('`;`-separated retention policy files, relative to the app package.')
param retentionFiles string

@description('Minimization policy file, relative to the app package.')
param minimizationFile string

@description('Retention jurisdiction (blank: all).')
param jurisdiction string

@description('Largest accepted upload in bytes.')
param maxInstanceBytes int

@description('Studies de-identified at once by an export.')
param exportMaxParallelism int

@description('Researcher API: sustained requests per minute per principal.')
param researchApiRequestsPerMinute int

@description('Researcher API: burst per principal.')
param researchApiBurst int

@description('Maximum instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB.')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int

@description('The function kept warm by always-ready instances (a name from functions.metadata).')
param alwaysReadyFunctionName string

@description('Always-ready instances of that function (0: none, the app scales from zero).')
@minValue(0)
param alwaysReadyInstanceCount int

@description('Subnet for outbound VNet integration (blank: none). Needed to reach accounts and the vault over private endpoints.')
param vnetIntegrationSubnetId string

param tags object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    virtualNetworkSubnetId: empty(vnetIntegrationSubnetId) ? null : vnetIntegrationSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${dataBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // Flex names a single function's always-ready group `function:<name>`; the first upload of a quiet night then
        // meets no cold start.
        alwaysReady: alwaysReadyInstanceCount > 0 ? [ { name: 'function:${alwaysReadyFunctionName}', instanceCount: alwaysReadyInstanceCount } ] : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// No FTP and no Kudu basic auth: publishing only with Entra ID through the deployment container.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // Functions host storage (leases, keys) and the queue triggers' connection, both with the app's identity.
    AzureWebJobsStorage__blobServiceUri: dataBlobEndpoint
    AzureWebJobsStorage__queueServiceUri: dataQueueEndpoint
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    CloudArchiveQueues__queueServiceUri: dataQueueEndpoint
    CloudArchiveQueues__credential: 'managedidentity'
    CloudArchiveQueues__clientId: identityClientId
    // DefaultAzureCredential (storage SDK clients, the Key Vault client) picks the user-assigned identity by this id.
    AZURE_CLIENT_ID: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // Storage (StorageOptions.SettingKeys). No ConnectionString: it would win over the identity and need a key.
    CloudArchive__Storage__ServiceUri: dataBlobEndpoint
    CloudArchive__Storage__QueueServiceUri: dataQueueEndpoint
    CloudArchive__Storage__KeyringServiceUri: keyringBlobEndpoint
    CloudArchive__Storage__ImmutabilitySupported: 'true'
    // The containers are created here, so the identity needs no account-wide role to create them.
    CloudArchive__Storage__CreateContainers: 'false'
    CloudArchive__Storage__ServiceVersion: '2025-05-05'
    CloudArchive__Storage__MaxRetries: '3'
    CloudArchive__Storage__SingleUploadThresholdBytes: '16777216'
    CloudArchive__Storage__BlockSizeBytes: '8388608'
    CloudArchive__Storage__MaxUploadConcurrency: '4'
    CloudArchive__Storage__QueueMessageEncoding: 'Base64'
    // Containers (ArchiveContainerNames): named explicitly so infrastructure and code cannot drift apart.
    CloudArchive__Containers__Incoming: containerNames.Incoming
    CloudArchive__Containers__Archive: containerNames.Archive
    CloudArchive__Containers__Quarantine: containerNames.Quarantine
    CloudArchive__Containers__Keyring: containerNames.Keyring
    CloudArchive__Containers__Research: containerNames.Research
    CloudArchive__Containers__Audit: containerNames.Audit
    CloudArchive__Containers__Control: containerNames.Control
    CloudArchive__Containers__Seals: containerNames.Seals
    // Timer schedules (NCRONTAB); the Functions host resolves %CloudArchive:Schedules:{Function}% from these.
    CloudArchive__Schedules__AuditSeal: '0 5 * * * *'
    CloudArchive__Schedules__RetentionSweep: '0 0 2 * * *'
    CloudArchive__Schedules__Reconcile: '0 */15 * * * *'
    CloudArchive__Schedules__FixitySweep: '0 30 2 * * *'
    // Keys (KeySettings): the HSM KEK. No LocalKeyFile and no AllowLocalKeyInAzure in Azure.
    CloudArchive__Keys__Provider: 'KeyVault'
    CloudArchive__Keys__KeyId: kekUri
    // Policies and ingest (CloudArchiveSettings.SettingKeys); blank values mean the code's default.
    CloudArchive__Policies__RetentionFiles: retentionFiles
    CloudArchive__Policies__MinimizationFile: minimizationFile
    CloudArchive__Retention__Jurisdiction: jurisdiction
    CloudArchive__Ingest__MaxInstanceBytes: string(maxInstanceBytes)
    CloudArchive__Ingest__AllowedSopClasses: ''
    CloudArchive__Ingest__TempDirectory: ''
    CloudArchive__Ingest__RepairFileMeta: ''
    CloudArchive__Ingest__QuarantineRetentionDays: ''
    // STOW-RS limits (docs/dicomweb/stow.md): 4 GiB per request and per part in Azure, where the Functions host's own
    // request body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT, below) is raised to the same figure.
    CloudArchive__DicomWeb__MaxRequestBytes: '4294967296'
    CloudArchive__DicomWeb__MaxPartBytes: '4294967296'
    FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '4294967296'
    CloudArchive__Audit__WriterId: ''
    CloudArchive__Audit__SealKeyName: signingKeyName
    // Export (ExportSettings) and the researcher API (ResearchApiOptions).
    CloudArchive__Export__MaxParallelism: string(exportMaxParallelism)
    CloudArchive__Export__TempDirectory: ''
    CloudArchive__ResearchApi__RequestsPerMinute: string(researchApiRequestsPerMinute)
    CloudArchive__ResearchApi__Burst: string(researchApiBurst)
    CloudArchive__ResearchApi__DicomWebMaxResults: '1000'
    // Every request reaches the worker through App Service's front end, which appends the address it saw as the last
    // X-Forwarded-For entry: the client address for rate limiting and the audit trail (docs/security.md).
    CloudArchive__ResearchApi__ForwardedHeader: 'X-Forwarded-For'
    // Entra ID tokens, validated again in the app behind App Service Authentication.
    CloudArchive__Auth__TenantId: authTenantId
    CloudArchive__Auth__Audience: authAudience
    CloudArchive__Auth__ClientId: authClientId
    CloudArchive__Auth__Instance: authInstance
    // Reconciliation and fixity (docs/lifecycle.md).
    CloudArchive__Reconcile__StaleAfter: '01:00:00'
    CloudArchive__Reconcile__MaxPoisonMessagesPerRun: '500'
    CloudArchive__Fixity__Period: '90.00:00:00'
    CloudArchive__Fixity__RunInterval: '1.00:00:00'
    CloudArchive__Fixity__MaxRunDuration: '00:20:00'
  }
}

// App Service Authentication in front of every HTTP function: no token for the archive's registration, no request.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${authInstance}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [ authAudience ]
        }
      }
    }
    login: {
      tokenStore: { enabled: false }
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'app-to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [ { category: 'FunctionAppLogs', enabled: true } ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
