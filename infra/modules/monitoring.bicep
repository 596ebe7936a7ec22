// Logs and traces. Personal data (BSN, names) is never logged by the app; see docs.
param name string
param location string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${name}'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}'
  location: location
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: workspace.id, DisableLocalAuth: true }
}

@description('Where alerts go (the IT team\'s mailbox); empty: no alerts')
param alertEmail string = ''

resource team 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${name}'
  location: 'global'
  properties: {
    groupShortName: take(replace(name, '-', ''), 12)
    enabled: true
    emailReceivers: [{ name: 'beheer', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

// A failed run: an orchestration that ended Failed, or a sync activity that gave up (functions/sync.ts logs
// "<activity>: ..." warnings; the Durable extension traces "failed" orchestrations). Evaluated every 15 minutes,
// so a daily run that failed for a school reaches the IT team the same morning; per-school detail is on the page
// and in the daily digest (issue 10 notifications).
resource failedRuns 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = if (!empty(alertEmail)) {
  name: 'alert-${name}-mislukte-runs'
  location: location
  properties: {
    displayName: 'BRON Sync: mislukte sync-runs'
    description: 'Een of meer sync-orkestraties zijn mislukt (Failed) in het afgelopen kwartier.'
    severity: 2
    enabled: true
    scopes: [insights.id]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'traces | where message has "syncAanleverpunt" and (message has "failed" or message has "Failed") | summarize mislukt = count()'
          timeAggregation: 'Total'
          metricMeasureColumn: 'mislukt'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [team.id] }
  }
}

// The daily run's fan-out itself failed (the timer function threw): no school got its run.
resource failedFanOut 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = if (!empty(alertEmail)) {
  name: 'alert-${name}-dagelijkse-sync'
  location: location
  properties: {
    displayName: 'BRON Sync: dagelijkse sync niet gestart'
    severity: 1
    enabled: true
    scopes: [insights.id]
    evaluationFrequency: 'PT1H'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: 'requests | where name == "dagelijkseSync" and success == false | summarize mislukt = count()'
          timeAggregation: 'Total'
          metricMeasureColumn: 'mislukt'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [team.id] }
  }
}

output appInsightsConnectionString string = insights.properties.ConnectionString
