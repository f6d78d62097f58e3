using System.Text.Json.Nodes;

namespace Newsroom.InfraTests;

/// <summary>Seen (diagnostic settings, a workspace without keys) and alerted (the five alerts and who gets them).</summary>
public sealed class MonitoringTests
{
    private static JsonObject Properties(JsonObject resource) => (JsonObject)resource["properties"]!;

    private static IReadOnlyList<string> Categories(JsonNode? settings, string key = "category") =>
        [.. (settings?.AsArray() ?? []).Where(s => (bool)s!["enabled"]!).Select(s => (string)s![key]!)];

    private static JsonObject QueryRule(string name) =>
        Assert.Single(CompiledTemplate.OfType("Microsoft.Insights/scheduledQueryRules"), r => ((string)r["name"]!).Contains(name, StringComparison.Ordinal));

    private static JsonObject Criterion(JsonObject rule) => (JsonObject)Assert.Single(Properties(rule)["criteria"]!["allOf"]!.AsArray())!;

    private static string ActionGroupId => "[resourceId('Microsoft.Insights/actionGroups', format('ag-newsroom-{0}', parameters('resourceToken')))]";

    [Fact]
    public void The_workspace_takes_no_shared_key()
    {
        var workspace = CompiledTemplate.Single("Microsoft.OperationalInsights/workspaces");
        Assert.True((bool)Properties(workspace)["features"]!["disableLocalAuth"]!);
    }

    [Fact]
    public void The_function_app_sends_its_logs_and_metrics_to_the_workspace()
    {
        var settings = Assert.Single(CompiledTemplate.ModuleResources("functionApp", "Microsoft.Insights/diagnosticSettings"));
        Assert.Equal("[resourceId('Microsoft.Web/sites', parameters('appName'))]", (string?)settings["scope"]);
        Assert.Equal("[parameters('logAnalyticsId')]", (string?)Properties(settings)["workspaceId"]);
        Assert.Equal(["FunctionAppLogs"], Categories(Properties(settings)["logs"]));
        Assert.Equal(["AllMetrics"], Categories(Properties(settings)["metrics"]));
        Assert.Equal("[reference('monitoring').outputs.logAnalyticsId.value]", CompiledTemplate.ModuleParameter("functionApp", "logAnalyticsId"));
    }

    [Theory]
    [InlineData("hostStorageDiagnostics", "hostStorage")]
    [InlineData("dataStorageDiagnostics", "dataStorage")]
    [InlineData("renditionsStorageDiagnostics", "renditionsStorage")]
    public void Every_storage_account_logs_reads_writes_and_deletes_of_its_blobs_queues_and_tables(string module, string account)
    {
        Assert.Equal($"[reference('{account}').outputs.name.value]", CompiledTemplate.ModuleParameter(module, "storageAccountName"));
        var settings = CompiledTemplate.ModuleResources(module, "Microsoft.Insights/diagnosticSettings").ToList();
        foreach (var service in new[] { "blobServices", "queueServices", "tableServices" })
        {
            var setting = Assert.Single(settings, s => ((string)s["scope"]!).Contains($"Microsoft.Storage/storageAccounts/{service}", StringComparison.Ordinal));
            var logs = Categories(CompiledTemplate.Resolve(setting, Properties(setting)["logs"]));
            Assert.Equal(["StorageDelete", "StorageRead", "StorageWrite"], logs.Order());
            Assert.Equal(["Transaction"], Categories(CompiledTemplate.Resolve(setting, Properties(setting)["metrics"])));
            Assert.Equal("[parameters('logAnalyticsId')]", (string?)Properties(setting)["workspaceId"]);
        }
    }

    [Fact]
    public void Front_door_logs_every_request_probe_and_firewall_decision()
    {
        var settings = Assert.Single(CompiledTemplate.ModuleResources("edgeProfile", "Microsoft.Insights/diagnosticSettings"));
        Assert.Equal("[resourceId('Microsoft.Cdn/profiles', parameters('profileName'))]", (string?)settings["scope"]);
        Assert.Equal(["FrontDoorAccessLog", "FrontDoorHealthProbeLog", "FrontDoorWebApplicationFirewallLog"], Categories(Properties(settings)["logs"]).Order());
        Assert.Equal(["AllMetrics"], Categories(Properties(settings)["metrics"]));
    }

    [Fact]
    public void Alerts_go_to_one_action_group_that_mails_the_given_address_if_any()
    {
        var group = CompiledTemplate.Single("Microsoft.Insights/actionGroups");
        var shortName = (string)Properties(group)["groupShortName"]!;
        Assert.InRange(shortName.Length, 1, 12);
        Assert.True((bool)Properties(group)["enabled"]!);
        Assert.Equal(
            "[if(empty(parameters('alertEmail')), createArray(), createArray(createObject('name', 'newsroom-on-call', 'emailAddress', parameters('alertEmail'), 'useCommonAlertSchema', true())))]",
            (string?)Properties(group)["emailReceivers"]);
        Assert.Equal("[parameters('alertEmail')]", CompiledTemplate.ModuleParameter("alerts", "alertEmail"));
        Assert.Equal("", (string?)CompiledTemplate.Parameter(CompiledTemplate.Root, "alertEmail")["defaultValue"]);
        Assert.Equal("${NEWSROOM_ALERT_EMAIL}", RepoFiles.AzdValue("alertEmail"));

        foreach (var rule in CompiledTemplate.OfType("Microsoft.Insights/scheduledQueryRules"))
        {
            var actions = (JsonObject)CompiledTemplate.Resolve(rule, Properties(rule)["actions"])!;
            Assert.Equal([ActionGroupId], actions["actionGroups"]!.AsArray().Select(a => (string)a!));
        }
        foreach (var alert in CompiledTemplate.OfType("Microsoft.Insights/metricAlerts"))
        {
            Assert.Equal([ActionGroupId], Properties(alert)["actions"]!.AsArray().Select(a => (string)a!["actionGroupId"]!));
        }
    }

    [Fact]
    public void The_alerts_query_the_metric_names_of_telemetry_names_json()
    {
        var names = RepoFiles.MetricNames;
        Assert.Equal(
            ["newsroom.homepage.rebuild.duration", "newsroom.homepage.rebuild.failures", "newsroom.homepage.snapshot.age", "newsroom.photos.pipeline.duration", "newsroom.photos.usable.duration", "newsroom.queue.poison.messages", "newsroom.queue.poisoned"],
            names.Values.Order());
        // ... which are the names the code records, constant by constant.
        var code = typeof(Newsroom.Telemetry.MetricNames).GetFields().ToDictionary(f => char.ToLowerInvariant(f.Name[0]) + f.Name[1..], f => (string)f.GetRawConstantValue()!);
        Assert.Equal(code.OrderBy(p => p.Key), names.OrderBy(p => p.Key));
        // The alerts module inlines the same file (loadJsonContent) and its queries read the names from it.
        var inlined = CompiledTemplate.ModuleTemplate("alerts")["variables"]!.AsObject().Select(p => p.Value).OfType<JsonObject>().Single(v => v.ContainsKey("metrics"));
        Assert.True(JsonNode.DeepEquals(RepoFiles.InfraJson("telemetry-names.json"), inlined), "the alerts read infra/telemetry-names.json");
        Assert.Equal("[reference('monitoring').outputs.applicationInsightsName.value]", CompiledTemplate.ModuleParameter("alerts", "applicationInsightsName"));
        Assert.Equal(3, CompiledTemplate.OfType("Microsoft.Insights/scheduledQueryRules").Count());
        Assert.All(CompiledTemplate.OfType("Microsoft.Insights/scheduledQueryRules"), rule =>
        {
            Assert.Contains("variables('telemetryNames').metrics.", (string?)Criterion(rule)["query"], StringComparison.Ordinal);
            Assert.Equal("[resourceId('Microsoft.Insights/components', parameters('applicationInsightsName'))]", (string?)Properties(rule)["scopes"]![0]);
            Assert.Equal("PT5M", (string?)Properties(rule)["evaluationFrequency"]);
            Assert.True((bool)Properties(rule)["enabled"]!);
            Assert.True((bool)Properties(rule)["autoMitigate"]!);
        });
    }

    [Fact]
    public void A_message_in_a_poison_queue_alerts_per_queue()
    {
        var criterion = Criterion(QueryRule("poison"));
        var query = (string)criterion["query"]!;
        Assert.Contains("variables('telemetryNames').metrics.poisonMessages", query, StringComparison.Ordinal);
        Assert.Contains("variables('telemetryNames').metrics.poisoned", query, StringComparison.Ordinal);
        Assert.Contains("customMetrics | where name in (\"{0}\", \"{1}\")", query, StringComparison.Ordinal);
        Assert.Contains("max(value) by queue", query, StringComparison.Ordinal);
        Assert.Equal("poisoned", (string?)criterion["metricMeasureColumn"]);
        Assert.Equal("Maximum", (string?)criterion["timeAggregation"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (int)criterion["threshold"]!);
        Assert.Equal("queue", (string?)criterion["dimensions"]![0]!["name"]);
    }

    [Fact]
    public void A_failed_homepage_rebuild_alerts()
    {
        var criterion = Criterion(QueryRule("rebuild-failed"));
        var query = (string)criterion["query"]!;
        Assert.Contains("variables('telemetryNames').metrics.rebuildFailures", query, StringComparison.Ordinal);
        Assert.Contains("sum(value)", query, StringComparison.Ordinal);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (int)criterion["threshold"]!);
    }

    [Fact]
    public void A_homepage_older_than_five_minutes_or_unmeasured_for_fifteen_alerts()
    {
        var rule = QueryRule("stale");
        var criterion = Criterion(rule);
        var query = (string)criterion["query"]!;
        Assert.Contains("variables('telemetryNames').metrics.snapshotAge", query, StringComparison.Ordinal);
        Assert.Contains("age > 300", query, StringComparison.Ordinal);
        Assert.Contains("samples == 0", query, StringComparison.Ordinal);
        Assert.Equal("PT15M", (string?)Properties(rule)["windowSize"]);
        Assert.Equal("Count", (string?)criterion["timeAggregation"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (int)criterion["threshold"]!);
    }

    [Fact]
    public void More_than_five_percent_5xx_at_the_edge_alerts()
    {
        var alert = Assert.Single(CompiledTemplate.OfType("Microsoft.Insights/metricAlerts"), a => ((string)a["name"]!).Contains("5xx", StringComparison.Ordinal));
        Assert.Equal(["[resourceId('Microsoft.Cdn/profiles', parameters('edgeProfileName'))]"], Properties(alert)["scopes"]!.AsArray().Select(s => (string)s!));
        Assert.Equal("PT5M", (string?)Properties(alert)["windowSize"]);
        var criterion = Assert.Single(Properties(alert)["criteria"]!["allOf"]!.AsArray())!;
        Assert.Equal("Percentage5XX", (string?)criterion["metricName"]);
        Assert.Equal("Microsoft.Cdn/profiles", (string?)criterion["metricNamespace"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(5, (int)criterion["threshold"]!);
    }

    [Fact]
    public void The_homepage_is_tested_through_the_edge_from_several_places_and_alerts_when_two_fail()
    {
        var test = CompiledTemplate.Single("Microsoft.Insights/webtests");
        Assert.Equal("standard", (string?)test["kind"]);
        var properties = Properties(test);
        Assert.Equal("standard", (string?)properties["Kind"]);
        Assert.Equal("[format('https://{0}/api/homepage', parameters('edgeHostName'))]", (string?)properties["Request"]!["RequestUrl"]);
        Assert.Equal("GET", (string?)properties["Request"]!["HttpVerb"]);
        Assert.Equal(200, (int)properties["ValidationRules"]!["ExpectedHttpStatusCode"]!);
        Assert.Equal(300, (int)properties["Frequency"]!);
        Assert.True(properties["Locations"]!.AsArray().Count >= 3);
        Assert.Contains("hidden-link:", (string?)test["tags"], StringComparison.Ordinal);
        Assert.Contains("Microsoft.Insights/components", (string?)test["tags"], StringComparison.Ordinal);
        Assert.Equal("[reference('edgeProfile').outputs.endpointHostName.value]", CompiledTemplate.ModuleParameter("alerts", "edgeHostName"));

        var alert = Assert.Single(CompiledTemplate.OfType("Microsoft.Insights/metricAlerts"), a => ((string?)Properties(a)["criteria"]!["odata.type"])!.Contains("Webtest", StringComparison.Ordinal));
        var criteria = Properties(alert)["criteria"]!;
        Assert.Equal("Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria", (string?)criteria["odata.type"]);
        Assert.Equal(2, (int)criteria["failedLocationCount"]!);
        Assert.Equal("[resourceId('Microsoft.Insights/webtests', variables('webTestName'))]", (string?)criteria["webTestId"]);
    }
}
