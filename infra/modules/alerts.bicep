// What wakes someone up: poison messages, failed homepage rebuilds, a stale (or unmeasured) homepage, 5xx at
// the edge, and the homepage not answering from outside. Log alerts query the app's custom metrics in
// Application Insights by the names in telemetry-names.json, the same file the code's tests read.

param location string
param tags object
param resourceToken string
param applicationInsightsName string
param edgeProfileName string
@description('Host name readers use for the availability test (the endpoint\'s azurefd.net host).')
param edgeHostName string
@description('Where alerts are mailed; empty: the action group has no receiver (alerts still show in the portal).')
param alertEmail string

var telemetryNames = loadJsonContent('../telemetry-names.json')

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource edgeProfile 'Microsoft.Cdn/profiles@2025-06-01' existing = {
  name: edgeProfileName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-newsroom-${resourceToken}'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'newsroom'
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [
      {
        name: 'newsroom-on-call'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = {
  actionGroups: [
    actionGroup.id
  ]
}

// 1. A message gave up after maxDequeueCount tries: a photo or homepage job that will not happen by itself.
// The app records the length of each poison queue (customDimensions.queue) once a refresh period, and counts
// the poison messages a handler takes at once (photos), which no queue length would show.
resource poisonAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-poison-messages-${resourceToken}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Newsroom: messages in a poison queue'
    description: 'A queue message failed every retry and lies in a poison queue. See the queue named in the alert.'
    severity: 2
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name in ("${telemetryNames.metrics.poisonMessages}", "${telemetryNames.metrics.poisoned}") | extend queue = tostring(customDimensions.queue) | summarize poisoned = max(value) by queue'
          metricMeasureColumn: 'poisoned'
          timeAggregation: 'Maximum'
          dimensions: [
            {
              name: 'queue'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: actions
  }
}

// 2. A homepage rebuild failed (the counter's value is the delta since the last export).
resource rebuildFailureAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-homepage-rebuild-failed-${resourceToken}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Newsroom: homepage rebuild failed'
    description: 'At least one homepage rebuild failed in the last five minutes; readers see the previous homepage.'
    severity: 2
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "${telemetryNames.metrics.rebuildFailures}" | summarize failures = sum(value)'
          metricMeasureColumn: 'failures'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: actions
  }
}

// 3. The homepage snapshot is older than five minutes, or nobody has measured it for fifteen (the timer that
// rebuilds and samples it is not running: silence is itself the alarm). One query over a 15-minute window:
// summarize without "by" always yields one row, with samples = 0 when nothing arrived; the age that counts
// is the largest one sampled in the last five minutes.
resource snapshotAgeAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-homepage-stale-${resourceToken}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Newsroom: homepage stale or not measured'
    description: 'The homepage snapshot is more than 300 s old, or no age was recorded for 15 minutes (the HomepageRefresh timer is not running).'
    severity: 1
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'customMetrics | where name == "${telemetryNames.metrics.snapshotAge}" | summarize samples = count(), age = maxif(value, timestamp > ago(5m)) | where samples == 0 or age > 300'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: actions
  }
}

// 4. More than 5 % of the edge's responses are 5xx.
resource edge5xxAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-edge-5xx-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    description: 'More than 5 % of the responses Front Door sent in five minutes were 5xx.'
    severity: 1
    enabled: true
    scopes: [
      edgeProfile.id
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'percentage-5xx'
          metricNamespace: 'Microsoft.Cdn/profiles'
          metricName: 'Percentage5XX'
          operator: 'GreaterThan'
          threshold: 5
          timeAggregation: 'Average'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

// 5. The homepage, as a reader far away gets it: through the edge, from five locations every five minutes.
var webTestName = 'webtest-homepage-${resourceToken}'

resource availabilityTest 'Microsoft.Insights/webtests@2022-06-15' = {
  name: webTestName
  location: location
  // Links the test to the Application Insights component (the portal lists it there).
  tags: union(tags, { 'hidden-link:${applicationInsights.id}': 'Resource' })
  kind: 'standard'
  properties: {
    SyntheticMonitorId: webTestName
    Name: 'Homepage through the edge'
    Description: 'GET /api/homepage through Front Door answers 200.'
    Enabled: true
    Frequency: 300
    Timeout: 30
    Kind: 'standard'
    RetryEnabled: true
    Locations: [
      { Id: 'apac-sg-sin-azr' } // Southeast Asia
      { Id: 'apac-hk-hkn-azr' } // East Asia
      { Id: 'apac-jp-kaw-edge' } // Japan East
      { Id: 'emea-nl-ams-azr' } // West Europe
      { Id: 'us-va-ash-azr' } // East US
    ]
    Request: {
      RequestUrl: 'https://${edgeHostName}/api/homepage'
      HttpVerb: 'GET'
      ParseDependentRequests: false
      FollowRedirects: false
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: true
      SSLCertRemainingLifetimeCheck: 7
    }
  }
}

resource availabilityAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'alert-homepage-unavailable-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    description: 'The homepage failed the availability test from two or more locations.'
    severity: 1
    enabled: true
    scopes: [
      availabilityTest.id
      applicationInsights.id
    ]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria'
      webTestId: availabilityTest.id
      componentId: applicationInsights.id
      failedLocationCount: 2
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}
