// Development: reachable from the internet (still Entra ID only, HTTPS only), short retention, small scale.
// Replace the two auth values with your own app registration (docs/deploy.md, step 1); they are identifiers, not secrets.
using 'main.bicep'

param environmentName = 'dev'
param authClientId = '00000000-0000-0000-0000-000000000000'
param authAudience = 'api://00000000-0000-0000-0000-000000000000'
param publicNetworkAccess = 'Enabled'
param storageSku = 'Standard_LRS'
param blobSoftDeleteDays = 7
param containerSoftDeleteDays = 7
param auditImmutabilityDays = 1
param logRetentionDays = 30
param maximumInstanceCount = 10
param securityAlertThreshold = 5
