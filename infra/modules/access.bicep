@description('Least-privilege roles for the function app\'s identity, each at the narrowest scope that works, and for the deploying principal.')
param identityPrincipalId string

param hostStorageAccountName string
param deploymentContainerName string
param hostContainerNames string[]

param dataStorageAccountName string
param dataContainerNames string[]
param dataQueueNames string[]
param dataTableNames string[]

param renditionsStorageAccountName string
param renditionsContainerNames string[]

param applicationInsightsName string
param edgeProfileName string
@description('Name of the custom purge role: role names are unique per tenant, so it carries the resource token.')
param purgeRoleName string

@description('Object id of the deploying principal; empty to skip its roles.')
param deployerPrincipalId string
@allowed(['User', 'ServicePrincipal'])
param deployerPrincipalType string
@description('Give the deploying principal data access to the data account (only honoured in a dev environment).')
param deployerDataAccess bool

// Storage Blob Data Owner: the Functions host's own containers (leases, host keys).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Blob Data Contributor: the data containers, the renditions, the deployment package.
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
// Storage Queue Data Contributor: the photo, homepage and purge queues and their triggers.
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Storage Table Data Contributor: articles, slugs, listings, taxonomy, photos, outbox, desk.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Monitoring Metrics Publisher: telemetry to Application Insights with local auth disabled.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

// ---------------------------------------------------------------------------------------------------------
// The host account (AzureWebJobsStorage).
//
// What the host needs over AzureWebJobsStorage with an identity (Functions docs, "Connecting to host
// storage with an identity"): Storage Blob Data Owner for the host alone ("general coordination and the
// default key store"; the runtime reads and writes blobs and creates its containers), the same for timer
// triggers (their schedule locks are blob leases), Storage Table Data Contributor for the host's diagnostic
// events, and queue rights only for blob triggers and Durable Functions, which we do not use: our queue
// triggers listen on the data account (NewsroomStorage), HTTP needs no storage. So:
// - Blob Data Owner on azure-webjobs-hosts and azure-webjobs-secrets only. The template creates them, so
//   the runtime never needs the account-wide right to create containers; an assignment on a container
//   covers that container's own create-if-missing call.
// - Table Data Contributor on the host account: the diagnostic-events tables are named by month
//   (AzureFunctionsDiagnosticEvents<yyyyMM>) and cannot be made in advance; without it the host logs a 403
//   every few minutes. The account holds nothing but the host's own state.
// - Blob Data Contributor on the deployment container only: Flex Consumption's one-deploy (what azd deploy
//   calls) writes the uploaded package into this container with the identity the site's deployment storage
//   names (this one), and the instances read it from there with the same identity. Read-only would break
//   azd deploy; Owner over the account that holds the code is not needed.
// - No queue role.
// ---------------------------------------------------------------------------------------------------------

resource hostAccount 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: hostStorageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deploymentContainer 'containers' existing = {
      name: deploymentContainerName
    }
  }
}

resource hostContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = [for c in hostContainerNames: {
  parent: hostAccount::blobService
  name: c
}]

resource appHostContainerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (c, i) in hostContainerNames: {
  name: guid(hostContainer[i].id, identityPrincipalId, storageBlobDataOwner)
  scope: hostContainer[i]
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}]

resource appHostTablesRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostAccount.id, identityPrincipalId, storageTableDataContributor)
  scope: hostAccount
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

resource appDeploymentRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostAccount::blobService::deploymentContainer.id, identityPrincipalId, storageBlobDataContributor)
  scope: hostAccount::blobService::deploymentContainer
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

// The deploying principal may always write the deployment package (a manual upload, or a deploy tool
// that writes the blob itself), nothing else in the account.
resource deployerDeploymentRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(hostAccount::blobService::deploymentContainer.id, deployerPrincipalId, storageBlobDataContributor)
  scope: hostAccount::blobService::deploymentContainer
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

// ---------------------------------------------------------------------------------------------------------
// The data account: contributor (never owner) on each container, queue and table the code uses, by name.
// The code never lists or creates containers, queues or tables in Azure (infra/ makes them), so nothing
// needs an account-wide data role.
// ---------------------------------------------------------------------------------------------------------

resource dataAccount 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: dataStorageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }

  resource queueService 'queueServices' existing = {
    name: 'default'
  }

  resource tableService 'tableServices' existing = {
    name: 'default'
  }
}

resource dataContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = [for c in dataContainerNames: {
  parent: dataAccount::blobService
  name: c
}]

resource dataQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' existing = [for q in dataQueueNames: {
  parent: dataAccount::queueService
  name: q
}]

resource dataTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' existing = [for t in dataTableNames: {
  parent: dataAccount::tableService
  name: t
}]

resource appDataContainerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (c, i) in dataContainerNames: {
  name: guid(dataContainer[i].id, identityPrincipalId, storageBlobDataContributor)
  scope: dataContainer[i]
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}]

resource appDataQueueRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (q, i) in dataQueueNames: {
  name: guid(dataQueue[i].id, identityPrincipalId, storageQueueDataContributor)
  scope: dataQueue[i]
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}]

resource appDataTableRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (t, i) in dataTableNames: {
  name: guid(dataTable[i].id, identityPrincipalId, storageTableDataContributor)
  scope: dataTable[i]
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}]

// Storage Blob Delegator on the data account: it only lets the app ask Entra ID for a user delegation key, to sign
// the short-lived SAS an editor's browser uploads a print PDF with (shared keys are off). It grants no data: a SAS
// signed with the key can do no more than the identity's own container roles allow (write to "uploads").
var storageBlobDelegator = 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'

resource appDelegatorRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataAccount.id, identityPrincipalId, storageBlobDelegator)
  scope: dataAccount
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDelegator)
  }
}

// A developer's own access to the data (debugging locally against Azure), opt-in and dev only.
var deployerDataRoles = deployerDataAccess && !empty(deployerPrincipalId)
  ? [storageBlobDataContributor, storageQueueDataContributor, storageTableDataContributor]
  : []

resource deployerDataRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in deployerDataRoles: {
  name: guid(dataAccount.id, deployerPrincipalId, role)
  scope: dataAccount
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

// ---------------------------------------------------------------------------------------------------------
// The renditions account: contributor on the renditions container only.
// ---------------------------------------------------------------------------------------------------------

resource renditionsAccount 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: renditionsStorageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }
}

resource renditionsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = [for c in renditionsContainerNames: {
  parent: renditionsAccount::blobService
  name: c
}]

resource appRenditionsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (c, i) in renditionsContainerNames: {
  name: guid(renditionsContainer[i].id, identityPrincipalId, storageBlobDataContributor)
  scope: renditionsContainer[i]
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}]

// ---------------------------------------------------------------------------------------------------------
// Telemetry.
// ---------------------------------------------------------------------------------------------------------

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource appMetricsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identityPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Takedown: the app purges the edge's cached copies itself. No built-in role is that narrow (CDN Endpoint
// Contributor could also change routes), so a custom role allows the purge and reading the endpoint, and
// nothing else, assigned on this Front Door profile only.
// ---------------------------------------------------------------------------------------------------------

resource edgeProfile 'Microsoft.Cdn/profiles@2025-06-01' existing = {
  name: edgeProfileName
}

var purgeRoleId = guid(resourceGroup().id, 'newsroom-edge-purge')

resource purgeRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: purgeRoleId
  properties: {
    roleName: purgeRoleName
    description: 'Purge cached content from the newspaper\'s Front Door endpoint (takedowns, corrections).'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.Cdn/profiles/afdendpoints/purge/action'
          'Microsoft.Cdn/profiles/afdendpoints/read'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource appPurgeRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(edgeProfile.id, identityPrincipalId, purgeRoleId)
  scope: edgeProfile
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    // Role definitions are addressed at subscription level whatever scope they were made at.
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', purgeRoleId)
  }
  dependsOn: [
    purgeRole
  ]
}
