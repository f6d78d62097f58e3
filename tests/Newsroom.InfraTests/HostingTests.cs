using System.Text.Json.Nodes;

namespace Newsroom.InfraTests;

/// <summary>The function app's plan, scale, region and settings: what it takes for the template to deploy.</summary>
public sealed class HostingTests
{
    private static JsonObject Properties(JsonObject resource) => (JsonObject)resource["properties"]!;

    private static JsonObject AppSettings => Properties(CompiledTemplate.OfType("Microsoft.Web/sites/config").Single(r => ((string)r["name"]!).Contains("appsettings", StringComparison.Ordinal)));

    private static JsonObject ScaleAndConcurrency => (JsonObject)Properties(CompiledTemplate.Single("Microsoft.Web/sites"))["functionAppConfig"]!["scaleAndConcurrency"]!;

    [Fact]
    public void The_region_is_one_where_flex_consumption_is_offered_and_azd_asks_for_it_as_a_location()
    {
        var location = CompiledTemplate.Parameter(CompiledTemplate.Root, "location");
        var regions = location["allowedValues"]!.AsArray().Select(v => (string)v!).ToList();
        Assert.NotEmpty(regions);
        Assert.All(regions, r => Assert.Matches("^[a-z0-9]+$", r));
        Assert.Contains("southeastasia", regions);
        Assert.Equal(regions.Count, regions.Distinct().Count());
        Assert.Equal("location", (string?)location["metadata"]!["azd"]!["type"]);
        Assert.Equal("${AZURE_LOCATION}", RepoFiles.AzdValue("location"));
    }

    [Fact]
    public void The_maximum_instance_count_is_one_flex_accepts()
    {
        foreach (var template in new[] { CompiledTemplate.Root, CompiledTemplate.ModuleTemplate("functionApp") })
        {
            var maximum = CompiledTemplate.Parameter(template, "maximumInstanceCount");
            Assert.True((int)maximum["minValue"]! >= 40, "Flex Consumption accepts no maximum instance count below 40");
            Assert.Equal(1000, (int)maximum["maxValue"]!);
        }
        Assert.Equal(100, (int)CompiledTemplate.Parameter(CompiledTemplate.Root, "maximumInstanceCount")["defaultValue"]!);
        Assert.Equal("${NEWSROOM_MAXIMUM_INSTANCE_COUNT=100}", RepoFiles.AzdValue("maximumInstanceCount"));
        Assert.Equal("[parameters('maximumInstanceCount')]", (string?)ScaleAndConcurrency["maximumInstanceCount"]);
    }

    [Fact]
    public void Always_ready_instances_for_http_and_the_photo_worker_and_http_concurrency_are_set_only_when_asked_for()
    {
        var alwaysReady = CompiledTemplate.Parameter(CompiledTemplate.Root, "alwaysReadyHttpInstances");
        Assert.Equal(0, (int)alwaysReady["defaultValue"]!);
        Assert.Equal(0, (int)alwaysReady["minValue"]!);
        Assert.Equal("${NEWSROOM_ALWAYS_READY_HTTP_INSTANCES=0}", RepoFiles.AzdValue("alwaysReadyHttpInstances"));
        var photos = CompiledTemplate.Parameter(CompiledTemplate.Root, "alwaysReadyPhotoInstances");
        Assert.Equal(0, (int)photos["defaultValue"]!);
        Assert.Equal(0, (int)photos["minValue"]!);
        Assert.Equal("${NEWSROOM_ALWAYS_READY_PHOTO_INSTANCES=0}", RepoFiles.AzdValue("alwaysReadyPhotoInstances"));
        // Flex names a per-function scale group "function:<name>": it must be the resize function's name.
        Assert.Contains("[Function(nameof(PhotoResize))]", File.ReadAllText(Path.Combine(RepoFiles.Root, "src", "Newsroom.Functions", "Photos", "PhotoResize.cs")), StringComparison.Ordinal);
        Assert.Equal(
            "[concat(if(greater(parameters('alwaysReadyHttpInstances'), 0), createArray(createObject('name', 'http', 'instanceCount', parameters('alwaysReadyHttpInstances'))), createArray()), "
            + "if(greater(parameters('alwaysReadyPhotoInstances'), 0), createArray(createObject('name', 'function:PhotoResize', 'instanceCount', parameters('alwaysReadyPhotoInstances'))), createArray()))]",
            (string?)ScaleAndConcurrency["alwaysReady"]);

        var concurrency = CompiledTemplate.Parameter(CompiledTemplate.Root, "httpPerInstanceConcurrency");
        Assert.Equal(0, (int)concurrency["defaultValue"]!);
        Assert.Equal(0, (int)concurrency["minValue"]!);
        Assert.Equal("${NEWSROOM_HTTP_PER_INSTANCE_CONCURRENCY=0}", RepoFiles.AzdValue("httpPerInstanceConcurrency"));
        Assert.Equal(
            "[if(greater(parameters('httpPerInstanceConcurrency'), 0), createObject('http', createObject('perInstanceConcurrency', parameters('httpPerInstanceConcurrency'))), null())]",
            (string?)ScaleAndConcurrency["triggers"]);

        Assert.Equal("${NEWSROOM_INSTANCE_MEMORY_MB=2048}", RepoFiles.AzdValue("instanceMemoryMB"));
    }

    [Fact]
    public void The_host_storage_is_the_host_account_and_the_data_connection_is_the_data_account()
    {
        Assert.Equal("[parameters('hostStorageAccountName')]", (string?)AppSettings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("[reference('hostStorage').outputs.name.value]", CompiledTemplate.ModuleParameter("functionApp", "hostStorageAccountName"));
        Assert.Equal("[parameters('identityClientId')]", (string?)AppSettings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[reference('hostStorage').outputs.blobEndpoint.value]", CompiledTemplate.ModuleParameter("functionApp", "hostBlobEndpoint"));

        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Equal($"[parameters('data{char.ToUpperInvariant(service[0])}{service[1..]}Endpoint')]", (string?)AppSettings[$"NewsroomStorage__{service}ServiceUri"]);
            Assert.Equal($"[reference('dataStorage').outputs.{service}Endpoint.value]", CompiledTemplate.ModuleParameter("functionApp", $"data{char.ToUpperInvariant(service[0])}{service[1..]}Endpoint"));
        }
    }

    [Fact]
    public void The_table_backup_runs_nightly_at_half_past_two_vietnam_time()
    {
        Assert.Equal("[parameters('tableBackupSchedule')]", (string?)AppSettings["TableBackupSchedule"]);
        Assert.Equal("[parameters('tableBackupSchedule')]", CompiledTemplate.ModuleParameter("functionApp", "tableBackupSchedule"));
        // NCRONTAB in UTC: 19:30 UTC is 02:30 in Vietnam (UTC+7).
        Assert.Equal("0 30 19 * * *", (string?)CompiledTemplate.Parameter(CompiledTemplate.Root, "tableBackupSchedule")["defaultValue"]);
    }
}
