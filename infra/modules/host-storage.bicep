// The Functions host's own account (AzureWebJobsStorage): timer leases, host keys, diagnostic events and the
// deployment package. No newspaper data lives here, and nothing in it is public.

@description('Storage account name (3-24 lower-case letters and digits).')
@maxLength(24)
param name string
param location string
param tags object
@description('Blob container the Flex Consumption platform deploys the app package into.')
param deploymentContainerName string

// The containers the host itself uses over AzureWebJobsStorage: blob leases of the timer triggers and the
// host's singleton locks (azure-webjobs-hosts), and the host keys (azure-webjobs-secrets). The host would
// create them at start; making them here lets the app's identity hold rights on these containers only.
var hostContainers = ['azure-webjobs-hosts', 'azure-webjobs-secrets']

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    // Identity only: no account keys, no SAS signed with them.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      services: {
        blob: { enabled: true }
        file: { enabled: true }
        queue: { enabled: true, keyType: 'Account' }
        table: { enabled: true, keyType: 'Account' }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource hostContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [for container in hostContainers: {
  parent: blobService
  name: container
  properties: {
    publicAccess: 'None'
  }
}]

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output deploymentContainerName string = deploymentContainer.name
output hostContainerNames string[] = [for (container, i) in hostContainers: hostContainer[i].name]
