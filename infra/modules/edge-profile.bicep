// The edge, part one: the Front Door Standard profile and its endpoint. The function app needs the profile's
// Front Door id (to accept traffic from this profile only) and the endpoint's host name before the origins,
// which need the app's host name, can exist: those are in edge-routes.bicep.

param profileName string
param endpointName string
param tags object
param logAnalyticsId string

resource profile 'Microsoft.Cdn/profiles@2025-06-01' = {
  name: profileName
  location: 'global'
  tags: tags
  sku: {
    name: 'Standard_AzureFrontDoor'
  }
  properties: {
    originResponseTimeoutSeconds: 60
  }
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2025-06-01' = {
  parent: profile
  name: endpointName
  location: 'global'
  tags: tags
  properties: {
    enabledState: 'Enabled'
  }
}

// Access log (every request, cache hit or miss), health probe log and the WAF log (empty unless a WAF
// policy is attached), plus the profile's metrics (Percentage5XX feeds an alert).
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: profile
  properties: {
    workspaceId: logAnalyticsId
    logs: [
      { category: 'FrontDoorAccessLog', enabled: true }
      { category: 'FrontDoorHealthProbeLog', enabled: true }
      { category: 'FrontDoorWebApplicationFirewallLog', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

output profileName string = profile.name
output profileId string = profile.id
@description('The X-Azure-FDID header value Front Door adds to every request it forwards from this profile.')
output frontDoorId string = profile.properties.frontDoorId
output endpointName string = endpoint.name
output endpointId string = endpoint.id
output endpointHostName string = endpoint.properties.hostName
