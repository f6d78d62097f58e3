targetScope = 'subscription'

metadata description = 'Newsroom: the serverless backend of a provincial online newspaper (Azure Functions Flex Consumption + Azure Storage).'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@description('Object id of the person deploying (azd fills it in); gets data access to the storage account for local debugging against Azure. Empty to skip.')
param principalId string = ''

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on Flex Consumption instances (cost and blast-radius guard).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('NCRONTAB schedule of the HomepageRefresh timer (six fields, UTC).')
param homepageRefreshSchedule string = '0 */1 * * * *'

@description('Entra ID tenant (directory) whose users sign in to the desk; the deploying tenant unless set.')
param entraTenantId string = tenant().tenantId

@minLength(36)
@maxLength(36)
@description('Application (client) id of the API\'s Entra ID app registration, made with infra/entra/register.sh (azd env set NEWSROOM_ENTRA_CLIENT_ID <appId>).')
param entraClientId string

@description('Origin of the editors\' front end (https://toasoan.example.vn), allowed to call the API from the browser (CORS). Empty: none.')
param editorOrigin string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
// One list of tables, containers and queues, shared with the code's tests (see tests/Newsroom.InfraTests).
var storageNames = loadJsonContent('storage-names.json')

resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    name: 'id-newsroom-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    logAnalyticsName: 'log-newsroom-${resourceToken}'
    applicationInsightsName: 'appi-newsroom-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: 'stnews${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${resourceToken}'
    tables: storageNames.tables
    privateContainers: storageNames.privateContainers
    publicContainers: storageNames.publicContainers
    queues: storageNames.queues
  }
}

module access 'modules/access.bicep' = {
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  scope: rg
  params: {
    planName: 'plan-newsroom-${resourceToken}'
    appName: 'func-newsroom-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    homepageRefreshSchedule: homepageRefreshSchedule
    entraTenantId: entraTenantId
    entraClientId: entraClientId
    corsOrigins: empty(editorOrigin) ? [] : [editorOrigin]
  }
  dependsOn: [
    access
  ]
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output NEWSROOM_API_URL string = '${functionApp.outputs.url}/api'
output NEWSROOM_RENDITIONS_URL string = '${storage.outputs.blobEndpoint}${storageNames.publicContainers[0]}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output NEWSROOM_ENTRA_TENANT_ID string = entraTenantId
