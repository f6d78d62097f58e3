// Azure AI Search: the managed engine every instance of the app shares. Keys are off (Entra ID only); the
// app's identity may define its index (the app creates it at start with the Vietnamese analyzer: an index is
// data plane, which Bicep cannot reach) and read and write its documents, on this service only.
param name string
param location string
param tags object
@allowed(['basic', 'standard', 'standard2', 'standard3'])
param sku string
@description('Principal id of the function app\'s identity.')
param identityPrincipalId string
param logAnalyticsId string

// Search Index Data Contributor: upsert, delete and query documents.
var searchIndexDataContributor = '8ebe5a00-799e-43f5-93ac-243d3dce84a7'
// Search Service Contributor: create and update the index definition (analyzer, fields, scoring profile).
var searchServiceContributor = '7ca78c08-252a-4471-8644-bb5ff32d4ba0'

resource search 'Microsoft.Search/searchServices@2023-11-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    replicaCount: 1
    partitionCount: 1
    hostingMode: 'default'
    publicNetworkAccess: 'enabled'
    // Entra ID only: no admin or query keys work.
    disableLocalAuth: true
    semanticSearch: 'disabled'
  }
}

resource roles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [searchIndexDataContributor, searchServiceContributor]: {
  name: guid(search.id, identityPrincipalId, role)
  scope: search
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: search
  properties: {
    workspaceId: logAnalyticsId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output endpoint string = 'https://${search.name}.search.windows.net'
output name string = search.name
