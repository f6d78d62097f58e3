param planName string
param appName string
param location string
param tags object
@description('Resource id of the user-assigned identity the app runs as.')
param identityId string
param identityClientId string
@description('The Functions host\'s own account (AzureWebJobsStorage) and its deployment container.')
param hostStorageAccountName string
param hostBlobEndpoint string
param deploymentContainerName string
@description('The newspaper\'s data account (the NewsroomStorage connection).')
param dataBlobEndpoint string
param dataQueueEndpoint string
param dataTableEndpoint string
@description('Blob endpoint of the renditions account (the NewsroomRenditions connection).')
param renditionsBlobEndpoint string
param applicationInsightsConnectionString string
param logAnalyticsId string
@allowed([512, 2048, 4096])
param instanceMemoryMB int
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int
@minValue(0)
@maxValue(20)
param alwaysReadyHttpInstances int
@minValue(0)
@maxValue(20)
param alwaysReadyPhotoInstances int
@minValue(0)
@maxValue(1000)
param httpPerInstanceConcurrency int
param homepageRefreshSchedule string
param tableBackupSchedule string
@description('Entra ID tenant whose access tokens the desk accepts.')
param entraTenantId string
@description('Client id of the API\'s app registration: the audience of those tokens.')
param entraClientId string
@description('Browser origins allowed to call the API (the editors\' front end).')
param corsOrigins array
@description('The Front Door profile\'s id (X-Azure-FDID): the only traffic the app accepts.')
param frontDoorId string
@description('Resource id of the Front Door endpoint the app purges on takedown.')
param edgeEndpointResourceId string
@description('https://<public host>/renditions: where readers load renditions from (no trailing slash).')
param photosPublicBaseUrl string
@description('The reader-facing site feeds and sitemaps link to.')
param siteBaseUrl string
@description('This API as the public reaches it through the edge (the sitemap index links there).')
param siteApiBaseUrl string
param siteName string
@description('The Azure AI Search service the app indexes and queries (as its managed identity).')
param searchEndpoint string

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  // azd deploys src/Newsroom.Functions to the resource with this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    // Flex Consumption rejects ftpsState and http20Enabled; FTP stays off through the ftp/scm
    // basicPublishingCredentialsPolicies below.
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      remoteDebuggingEnabled: false
      // Readers and the desk come through Front Door: only requests from this profile's Front Door
      // (service tag + the profile's X-Azure-FDID) reach the app; everything else is refused.
      ipSecurityRestrictions: [
        {
          name: 'front-door'
          description: 'Only this newspaper\'s Front Door profile'
          ipAddress: 'AzureFrontDoor.Backend'
          tag: 'ServiceTag'
          action: 'Allow'
          priority: 100
          headers: {
            'x-azure-fdid': [
              frontDoorId
            ]
          }
        }
      ]
      ipSecurityRestrictionsDefaultAction: 'Deny'
      // azd deploy publishes through the SCM site (Flex one-deploy, Entra ID token; basic auth is off):
      // it keeps its own, open rule set.
      scmIpSecurityRestrictionsUseMain: false
      scmIpSecurityRestrictionsDefaultAction: 'Allow'
      // The editors' front end calls the desk from the browser with a bearer token (no cookies).
      cors: {
        allowedOrigins: corsOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        // Instances kept warm (billed while idle); none unless asked for. Flex scales each queue-triggered
        // function on instances of its own: the photo worker's keep an uploaded photo from waiting for a cold start.
        alwaysReady: concat(alwaysReadyHttpInstances > 0 ? [
          {
            name: 'http'
            instanceCount: alwaysReadyHttpInstances
          }
        ] : [], alwaysReadyPhotoInstances > 0 ? [
          {
            name: 'function:PhotoResize'
            instanceCount: alwaysReadyPhotoInstances
          }
        ] : [])
        // 0: the platform's default for the instance size.
        triggers: httpPerInstanceConcurrency > 0 ? {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        } : null
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }

  // Identity-based connections only: service URIs + managed identity, no keys, no connection strings.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // The host's own account (leases, keys, diagnostic events), never the newspaper's data.
      AzureWebJobsStorage__accountName: hostStorageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      // The data account: our clients and the queue triggers (Connection = "NewsroomStorage").
      NewsroomStorage__blobServiceUri: dataBlobEndpoint
      NewsroomStorage__queueServiceUri: dataQueueEndpoint
      NewsroomStorage__tableServiceUri: dataTableEndpoint
      NewsroomStorage__credential: 'managedidentity'
      NewsroomStorage__clientId: identityClientId
      // The renditions account (public container).
      NewsroomRenditions__blobServiceUri: renditionsBlobEndpoint
      NewsroomRenditions__credential: 'managedidentity'
      NewsroomRenditions__clientId: identityClientId
      // The edge: the endpoint to purge on takedown, with the identity's custom purge role. No
      // Edge__Domains: a purge without domains applies to every domain of the endpoint (custom one included).
      Edge__EndpointResourceId: edgeEndpointResourceId
      Edge__ClientId: identityClientId
      Photos__PublicBaseUrl: photosPublicBaseUrl
      // libvips allocates from many threads: glibc's default of 8 arenas per core holds freed memory in each.
      // Two keep the resize worker's peak memory a third lower at the same speed (bench/RESULTS.md, issue 13).
      MALLOC_ARENA_MAX: '2'
      // Feeds, sitemaps and the article's structured data link to the reader-facing site.
      Site__BaseUrl: siteBaseUrl
      Site__ApiBaseUrl: siteApiBaseUrl
      Site__Name: siteName
      // Search on the managed engine every instance shares (the in-process Lucene index is for one instance).
      Search__Engine: 'azure'
      Search__Endpoint: searchEndpoint
      Search__ClientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      HomepageRefreshSchedule: homepageRefreshSchedule
      TableBackupSchedule: tableBackupSchedule
      // The desk signs in with Entra ID access tokens, validated by the app (not App Service authentication).
      Auth__TenantId: entraTenantId
      Auth__ClientId: entraClientId
    }
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: logAnalyticsId
    logs: [
      { category: 'FunctionAppLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
output url string = 'https://${app.properties.defaultHostName}'
