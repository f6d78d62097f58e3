// The photo renditions readers' browsers load (through the edge): public by nature, metadata stripped, and
// derived from the originals in the data account, so they live in an account of their own. This is the only
// account that allows public blob access, and only its renditions container uses it.

@description('Storage account name (3-24 lower-case letters and digits).')
@maxLength(24)
param name string
param location string
param tags object
@description('The containers anyone may read (storage-names.json publicContainers: the renditions).')
param publicContainers string[]

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
    // Identity only for writes: anonymous reads of the public container need no key.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Front Door Standard reaches its origins over the internet (Private Link origins are Premium only),
    // so the renditions container is publicly readable; that is why it is alone in this account.
    allowBlobPublicAccess: true
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

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [for c in publicContainers: {
  parent: blobService
  name: c
  properties: {
    publicAccess: 'Blob'
  }
}]

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
@description('Host name of the blob endpoint, the Front Door origin.')
output blobHost string = '${account.name}.blob.${environment().suffixes.storage}'
output containerNames string[] = [for (c, i) in publicContainers: container[i].name]
