// The edge, part two: where the endpoint sends what. /api/* goes to the function app, /renditions/* to the
// renditions account's blob endpoint (no origin path, so /renditions/x is the container's blob x). Caching
// follows the origin's Cache-Control (nothing here overrides it); the query string is part of the cache key
// because listings page with ?cursor=.

param profileName string
param endpointName string
@description('Host name of the function app (its default host name).')
param apiHostName string
@description('Host name of the renditions account\'s blob endpoint.')
param renditionsHostName string
@description('The newspaper\'s own host name (www.example.vn); empty: the endpoint\'s azurefd.net host only.')
param customDomain string

// Responses worth compressing; Front Door compresses them when the origin did not and the client accepts it.
var compressibleTypes = [
  'application/json'
  'application/problem+json'
  'application/rss+xml'
  'application/atom+xml'
  'application/xml'
  'application/javascript'
  'image/svg+xml'
  'text/xml'
  'text/plain'
  'text/html'
  'text/css'
  'text/javascript'
]

var cacheConfiguration = {
  queryStringCachingBehavior: 'UseQueryString'
  compressionSettings: {
    isCompressionEnabled: true
    contentTypesToCompress: compressibleTypes
  }
}

resource profile 'Microsoft.Cdn/profiles@2025-06-01' existing = {
  name: profileName

  resource endpoint 'afdEndpoints' existing = {
    name: endpointName
  }
}

resource apiGroup 'Microsoft.Cdn/profiles/originGroups@2025-06-01' = {
  parent: profile
  name: 'api'
  properties: {
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    // HEAD of the homepage: the function answers it from memory, without a body.
    healthProbeSettings: {
      probePath: '/api/homepage'
      probeRequestType: 'HEAD'
      probeProtocol: 'Https'
      probeIntervalInSeconds: 100
    }
    sessionAffinityState: 'Disabled'
  }
}

resource apiOrigin 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = {
  parent: apiGroup
  name: 'function-app'
  properties: {
    hostName: apiHostName
    originHostHeader: apiHostName
    httpPort: 80
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

// One origin: no health probe (it could only ever pick the same origin).
resource renditionsGroup 'Microsoft.Cdn/profiles/originGroups@2025-06-01' = {
  parent: profile
  name: 'renditions'
  properties: {
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    sessionAffinityState: 'Disabled'
  }
}

resource renditionsOrigin 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = {
  parent: renditionsGroup
  name: 'renditions-account'
  properties: {
    hostName: renditionsHostName
    originHostHeader: renditionsHostName
    httpPort: 80
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

resource domain 'Microsoft.Cdn/profiles/customDomains@2025-06-01' = if (!empty(customDomain)) {
  parent: profile
  name: empty(customDomain) ? 'none' : replace(customDomain, '.', '-')
  properties: {
    hostName: customDomain
    tlsSettings: {
      certificateType: 'ManagedCertificate'
      minimumTlsVersion: 'TLS12'
    }
  }
}

var customDomains = empty(customDomain) ? [] : [{ id: domain.id }]

resource apiRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = {
  parent: profile::endpoint
  name: 'api'
  properties: {
    originGroup: {
      id: apiGroup.id
    }
    customDomains: customDomains
    patternsToMatch: ['/api/*']
    supportedProtocols: ['Http', 'Https']
    httpsRedirect: 'Enabled'
    forwardingProtocol: 'HttpsOnly'
    linkToDefaultDomain: 'Enabled'
    cacheConfiguration: cacheConfiguration
    enabledState: 'Enabled'
  }
  // A route can only be made once its origin group has an origin.
  dependsOn: [
    apiOrigin
  ]
}

resource renditionsRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = {
  parent: profile::endpoint
  name: 'renditions'
  properties: {
    originGroup: {
      id: renditionsGroup.id
    }
    customDomains: customDomains
    patternsToMatch: ['/renditions/*']
    supportedProtocols: ['Http', 'Https']
    httpsRedirect: 'Enabled'
    forwardingProtocol: 'HttpsOnly'
    linkToDefaultDomain: 'Enabled'
    cacheConfiguration: cacheConfiguration
    enabledState: 'Enabled'
  }
  dependsOn: [
    renditionsOrigin
    apiRoute
  ]
}

@description('The DNS TXT record value (_dnsauth.<domain>) that proves the custom domain; empty without one.')
output customDomainValidationToken string = empty(customDomain) ? '' : domain!.properties.validationProperties.validationToken
