targetScope = 'subscription'

metadata description = 'Newsroom: the serverless backend of a provincial online newspaper (Azure Functions Flex Consumption + Azure Storage, behind Azure Front Door Standard).'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region for every regional resource: one where Flex Consumption is offered (the list of the azd Flex Consumption templates).')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'eastus2euap'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the principal running the deployment (azd fills it in). It may always write the deployment package; in a dev environment, and only when asked, it also gets data access. Empty to skip.')
param principalId string = ''

@description('Kind of the deploying principal (azd fills it in): a person (User) or CI (ServicePrincipal).')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('dev or prod: developer conveniences (deployerDataAccess) are honoured in dev only.')
@allowed(['dev', 'prod'])
param environmentType string = 'prod'

@description('Give the deploying principal Blob, Queue and Table Data Contributor on the data account, to debug locally against Azure. Honoured only when environmentType is dev.')
param deployerDataAccess bool = false

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on Flex Consumption instances (cost and blast-radius guard); Flex accepts no lower maximum than 40.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready (pre-warmed, billed while idle) instances for the HTTP functions; 0: none, scale from zero.')
@minValue(0)
@maxValue(20)
param alwaysReadyHttpInstances int = 0

@description('Always-ready instances for the photo worker (PhotoResize, which Flex scales on instances of its own); 0: the first photo after a quiet spell waits for a cold start.')
@minValue(0)
@maxValue(20)
param alwaysReadyPhotoInstances int = 0

@description('Concurrent HTTP requests per instance before Flex adds one; 0: the platform default for the instance size.')
@minValue(0)
@maxValue(1000)
param httpPerInstanceConcurrency int = 0

@description('Redundancy of the data account: ZRS by default; LRS in a region without availability zones.')
@allowed(['Standard_ZRS', 'Standard_GZRS', 'Standard_LRS', 'Standard_RAGZRS'])
param dataStorageSku string = 'Standard_ZRS'

@description('NCRONTAB schedule of the HomepageRefresh timer (six fields, UTC).')
param homepageRefreshSchedule string = '0 */1 * * * *'

@description('NCRONTAB schedule of the nightly table backup (six fields, UTC): 19:30 UTC is 02:30 in Vietnam.')
param tableBackupSchedule string = '0 30 19 * * *'

@description('Entra ID tenant (directory) whose users sign in to the desk; the deploying tenant unless set.')
param entraTenantId string = tenant().tenantId

@minLength(36)
@maxLength(36)
@description('Application (client) id of the API\'s Entra ID app registration, made with infra/entra/register.sh (azd env set NEWSROOM_ENTRA_CLIENT_ID <appId>).')
param entraClientId string

@description('Origin of the editors\' front end (https://toasoan.example.vn), allowed to call the API from the browser (CORS). Empty: none.')
param editorOrigin string = ''

@description('The newspaper\'s own host name on the edge (www.example.vn), with a managed certificate; empty: the azurefd.net host only.')
@maxLength(253)
param customDomain string = ''

@description('Email address alerts go to; empty: an action group without receivers.')
param alertEmail string = ''

@description('Tier of the Azure AI Search service readers\' searches run on (basic holds 15 GB: years of a provincial paper).')
@allowed(['basic', 'standard', 'standard2', 'standard3'])
param searchSku string = 'basic'

@description('The reader-facing site (a separate front end) that feeds, sitemaps and structured data link to, e.g. https://baothainguyen.vn; empty: https://<custom domain or edge host>.')
param siteBaseUrl string = ''

@description('The newspaper\'s name, as feeds, the news sitemap and structured data give it.')
@minLength(1)
param siteName string = 'Newsroom'

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

// Three accounts, three exposures: the host's own (private, no data), the newspaper's data (private,
// versioned, locked), the renditions (the one public container).
module hostStorage 'modules/host-storage.bicep' = {
  scope: rg
  params: {
    name: 'sthost${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${resourceToken}'
  }
}

module dataStorage 'modules/data-storage.bicep' = {
  scope: rg
  params: {
    name: 'stdata${resourceToken}'
    location: location
    tags: tags
    sku: dataStorageSku
    tables: storageNames.tables
    containers: storageNames.privateContainers
    queues: storageNames.queues
    editorOrigins: empty(editorOrigin) ? [] : [editorOrigin]
  }
}

module renditionsStorage 'modules/renditions-storage.bicep' = {
  scope: rg
  params: {
    name: 'strend${resourceToken}'
    location: location
    tags: tags
    publicContainers: storageNames.publicContainers
  }
}

module search 'modules/search.bicep' = {
  scope: rg
  params: {
    name: 'srch-newsroom-${resourceToken}'
    location: location
    tags: tags
    sku: searchSku
    identityPrincipalId: identity.outputs.principalId
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

module hostStorageDiagnostics 'modules/storage-diagnostics.bicep' = {
  scope: rg
  params: {
    storageAccountName: hostStorage.outputs.name
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

module dataStorageDiagnostics 'modules/storage-diagnostics.bicep' = {
  scope: rg
  params: {
    storageAccountName: dataStorage.outputs.name
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

module renditionsStorageDiagnostics 'modules/storage-diagnostics.bicep' = {
  scope: rg
  params: {
    storageAccountName: renditionsStorage.outputs.name
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

module edgeProfile 'modules/edge-profile.bicep' = {
  scope: rg
  params: {
    profileName: 'afd-newsroom-${resourceToken}'
    endpointName: 'newsroom-${resourceToken}'
    tags: tags
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

module access 'modules/access.bicep' = {
  scope: rg
  params: {
    identityPrincipalId: identity.outputs.principalId
    hostStorageAccountName: hostStorage.outputs.name
    deploymentContainerName: hostStorage.outputs.deploymentContainerName
    hostContainerNames: hostStorage.outputs.hostContainerNames
    dataStorageAccountName: dataStorage.outputs.name
    dataContainerNames: dataStorage.outputs.containerNames
    dataQueueNames: dataStorage.outputs.queueNames
    dataTableNames: dataStorage.outputs.tableNames
    renditionsStorageAccountName: renditionsStorage.outputs.name
    renditionsContainerNames: renditionsStorage.outputs.containerNames
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    edgeProfileName: edgeProfile.outputs.profileName
    purgeRoleName: 'Newsroom edge purge (${resourceToken})'
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    deployerDataAccess: deployerDataAccess && environmentType == 'dev'
  }
}

// Readers reach the newspaper at the custom domain when there is one, else at the endpoint's own host.
var publicHost = empty(customDomain) ? edgeProfile.outputs.endpointHostName : customDomain

module functionApp 'modules/functionapp.bicep' = {
  scope: rg
  params: {
    planName: 'plan-newsroom-${resourceToken}'
    appName: 'func-newsroom-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageAccountName: hostStorage.outputs.name
    hostBlobEndpoint: hostStorage.outputs.blobEndpoint
    deploymentContainerName: hostStorage.outputs.deploymentContainerName
    dataBlobEndpoint: dataStorage.outputs.blobEndpoint
    dataQueueEndpoint: dataStorage.outputs.queueEndpoint
    dataTableEndpoint: dataStorage.outputs.tableEndpoint
    renditionsBlobEndpoint: renditionsStorage.outputs.blobEndpoint
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    logAnalyticsId: monitoring.outputs.logAnalyticsId
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    alwaysReadyPhotoInstances: alwaysReadyPhotoInstances
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    homepageRefreshSchedule: homepageRefreshSchedule
    tableBackupSchedule: tableBackupSchedule
    entraTenantId: entraTenantId
    entraClientId: entraClientId
    corsOrigins: empty(editorOrigin) ? [] : [editorOrigin]
    frontDoorId: edgeProfile.outputs.frontDoorId
    edgeEndpointResourceId: edgeProfile.outputs.endpointId
    photosPublicBaseUrl: 'https://${publicHost}/${storageNames.publicContainers[0]}'
    siteBaseUrl: empty(siteBaseUrl) ? 'https://${publicHost}' : siteBaseUrl
    siteApiBaseUrl: 'https://${publicHost}/api'
    siteName: siteName
    searchEndpoint: search.outputs.endpoint
  }
  dependsOn: [
    access
  ]
}

module edgeRoutes 'modules/edge-routes.bicep' = {
  scope: rg
  params: {
    profileName: edgeProfile.outputs.profileName
    endpointName: edgeProfile.outputs.endpointName
    apiHostName: functionApp.outputs.defaultHostName
    renditionsHostName: renditionsStorage.outputs.blobHost
    customDomain: customDomain
  }
}

module alerts 'modules/alerts.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    edgeProfileName: edgeProfile.outputs.profileName
    edgeHostName: edgeProfile.outputs.endpointHostName
    alertEmail: alertEmail
  }
  // The availability test should start once the routes answer.
  dependsOn: [
    edgeRoutes
  ]
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output NEWSROOM_API_URL string = 'https://${publicHost}/api'
@description('The function app\'s own URL: it refuses every request that did not come through the edge.')
output NEWSROOM_ORIGIN_API_URL string = '${functionApp.outputs.url}/api'
output NEWSROOM_RENDITIONS_URL string = 'https://${publicHost}/${storageNames.publicContainers[0]}'
@description('The endpoint\'s azurefd.net host: the CNAME target of a custom domain.')
output NEWSROOM_EDGE_HOST string = edgeProfile.outputs.endpointHostName
@description('Value of the TXT record _dnsauth.<custom domain> that validates the custom domain; empty without one.')
output NEWSROOM_CUSTOM_DOMAIN_VALIDATION_TOKEN string = edgeRoutes.outputs.customDomainValidationToken
output AZURE_STORAGE_ACCOUNT_NAME string = dataStorage.outputs.name
output NEWSROOM_HOST_STORAGE_ACCOUNT_NAME string = hostStorage.outputs.name
output NEWSROOM_RENDITIONS_STORAGE_ACCOUNT_NAME string = renditionsStorage.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output NEWSROOM_ENTRA_TENANT_ID string = entraTenantId
