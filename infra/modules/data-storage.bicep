// The newspaper's data: articles, listings, photos' originals, the homepage, the queues, the table backups.
// Nothing here is public (a "deny public blob access" policy holds on this account), nothing is lost by a
// mistaken delete or overwrite (versions, soft delete, point-in-time restore), and the account cannot be
// deleted while its lock stands.

@description('Storage account name (3-24 lower-case letters and digits).')
@maxLength(24)
param name string
param location string
param tags object
@description('Redundancy of the data account. ZRS (or GZRS) where the region has availability zones; LRS where it has none.')
@allowed(['Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS', 'Standard_LRS'])
param sku string
param tables string[]
param containers string[]
param queues string[]

@description('Origins of the editors\' front end, which upload print PDFs to the uploads container with a SAS (CORS). Empty: none.')
param editorOrigins string[] = []

// Soft delete keeps deleted blobs, versions and containers this long; point-in-time restore can go back
// less far than that (the platform requires restore days < delete retention days).
var deleteRetentionDays = 14
var restoreDays = 13
// Previous versions older than this are deleted by the lifecycle policy (the homepage snapshot alone makes a
// version a minute); they stay longer than the restore window needs.
var versionRetentionDays = 30

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: sku
  }
  properties: {
    accessTier: 'Hot'
    // Identity only: no account keys, no SAS signed with them.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // No container of this account may be made public: renditions live in their own account.
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

// Point-in-time restore needs all three of versioning, change feed and blob soft delete.
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    changeFeed: {
      enabled: true
      retentionInDays: versionRetentionDays
    }
    deleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionDays
    }
    restorePolicy: {
      enabled: true
      days: restoreDays
    }
    // The editors' front end PUTs print PDFs straight to the "uploads" container with a short-lived SAS.
    cors: {
      corsRules: empty(editorOrigins) ? [] : [
        {
          allowedOrigins: editorOrigins
          allowedMethods: ['PUT', 'OPTIONS']
          allowedHeaders: ['content-type', 'x-ms-blob-type', 'x-ms-version', 'x-ms-client-request-id', 'content-length']
          exposedHeaders: ['etag', 'x-ms-request-id']
          maxAgeInSeconds: 3600
        }
      ]
    }
  }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-old-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: versionRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    blobService
  ]
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [for c in containers: {
  parent: blobService
  name: c
  properties: {
    publicAccess: 'None'
  }
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource queue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [for q in queues: {
  parent: queueService
  name: q
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource table 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = [for t in tables: {
  parent: tableService
  name: t
}]

// The account (and so every version, backup and queue in it) cannot be deleted until someone with
// Microsoft.Authorization/locks/delete removes this lock on purpose. Data-plane deletes are unaffected: they
// are what soft delete and point-in-time restore are for.
resource lock 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'do-not-delete-newspaper-data'
  scope: account
  properties: {
    level: 'CanNotDelete'
    notes: 'The newspaper\'s articles, photos and backups. Remove this lock deliberately before deleting the account or its resource group.'
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output containerNames string[] = [for (c, i) in containers: container[i].name]
output queueNames string[] = [for (q, i) in queues: queue[i].name]
output tableNames string[] = [for (t, i) in tables: table[i].name]
