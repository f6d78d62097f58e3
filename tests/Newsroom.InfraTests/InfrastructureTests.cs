using System.Text.Json;
using System.Text.Json.Nodes;
using Newsroom.LocalHost.Hosting;
using Newsroom.Storage;

namespace Newsroom.InfraTests;

/// <summary>Reads the compiled template and holds it to the security settings and to what the code needs.</summary>
public sealed class InfrastructureTests
{
    private static JsonObject Properties(JsonObject resource) => (JsonObject)resource["properties"]!;

    private static JsonObject AppSettings => Properties(CompiledTemplate.OfType("Microsoft.Web/sites/config").Single(r => ((string)r["name"]!).Contains("appsettings", StringComparison.Ordinal)));

    [Fact]
    public void Every_storage_account_takes_no_shared_keys_and_only_tls_1_2_over_https()
    {
        var accounts = CompiledTemplate.OfType("Microsoft.Storage/storageAccounts").ToList();
        Assert.Equal(3, accounts.Count);
        Assert.All(accounts.Select(Properties), account =>
        {
            Assert.False((bool)account["allowSharedKeyAccess"]!);
            Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
            Assert.True((bool)account["supportsHttpsTrafficOnly"]!);
            Assert.True((bool)account["defaultToOAuthAuthentication"]!);
            Assert.False((bool)account["allowCrossTenantReplication"]!);
        });
    }

    [Fact]
    public void Only_the_renditions_container_is_publicly_readable()
    {
        var containers = CompiledTemplate.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();
        Assert.NotEmpty(containers);
        var publicOnes = containers.Where(c => (string?)Properties(c)["publicAccess"] != "None").ToList();
        var renditions = Assert.Single(publicOnes);
        Assert.Equal("Blob", (string?)Properties(renditions)["publicAccess"]);
        var names = JsonSerializer.Deserialize<StorageNameFile>(File.ReadAllText(InfraFile("storage-names.json")), JsonOptions)!;
        Assert.Equal([StorageNames.RenditionsContainerName], names.PublicContainers);
    }

    [Fact]
    public void The_function_app_runs_on_flex_consumption_with_dotnet_isolated_10_and_a_user_assigned_identity()
    {
        var plan = CompiledTemplate.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)Properties(plan)["reserved"]!);

        var app = CompiledTemplate.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", (string?)app["kind"]);
        Assert.Equal("UserAssigned", (string?)app["identity"]!["type"]);
        var properties = Properties(app);
        Assert.True((bool)properties["httpsOnly"]!);
        var config = properties["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
        Assert.Contains("instanceMemoryMB", (string?)config["scaleAndConcurrency"]!["instanceMemoryMB"], StringComparison.Ordinal);
        Assert.Contains("maximumInstanceCount", (string?)config["scaleAndConcurrency"]!["maximumInstanceCount"], StringComparison.Ordinal);

        var site = (JsonObject)properties["siteConfig"]!;
        Assert.Equal("1.2", (string?)site["minTlsVersion"]);
        Assert.False((bool)site["remoteDebuggingEnabled"]!);
        // Flex Consumption rejects these two; FTP stays off through the publishing-credentials policies.
        Assert.False(site.ContainsKey("ftpsState"), "Flex Consumption does not accept siteConfig.ftpsState");
        Assert.False(site.ContainsKey("http20Enabled"), "Flex Consumption does not accept siteConfig.http20Enabled");
        Assert.Equal(["ftp", "scm"], CompiledTemplate.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").Select(p => ((string)p["name"]!).Split('\'')[^2]).Order());
        Assert.All(CompiledTemplate.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"), p => Assert.False((bool)Properties(p)["allow"]!));
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner")]
    [InlineData("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor")]
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor")]
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor")]
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher")]
    public void The_identity_gets_each_least_privilege_role(string roleId, string role)
    {
        Assert.Contains(CompiledTemplate.Strings, s => s.Contains(roleId, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(CompiledTemplate.OfType("Microsoft.Authorization/roleAssignments"), r => ((string?)Properties(r)["principalType"]) == "ServicePrincipal");
        Assert.False(string.IsNullOrEmpty(role));
    }

    [Fact]
    public void No_role_is_broader_than_data_plane_contributor_or_owner_of_blobs()
    {
        // Owner, Contributor, Storage Account Contributor and Storage Account Key Operator would reach the keys.
        foreach (var broad in new[] { "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "b24988ac-6180-42a0-ab88-20f7382dd24c", "17d1049b-9a84-46fb-8f53-869881c3d3ab", "81a9662b-bebf-436f-a333-f67b29880f12" })
        {
            Assert.DoesNotContain(CompiledTemplate.Strings, s => s.Contains(broad, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Application_insights_takes_only_entra_id_authenticated_telemetry()
    {
        var insights = CompiledTemplate.Single("Microsoft.Insights/components");
        Assert.True((bool)Properties(insights)["DisableLocalAuth"]!);
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)Properties(insights)["WorkspaceResourceId"], StringComparison.Ordinal);
        Assert.Contains("Authorization=AAD", (string?)AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
    }

    [Fact]
    public void No_app_setting_holds_a_key_or_a_storage_connection_string()
    {
        foreach (var (name, value) in AppSettings)
        {
            var text = value?.ToString() ?? "";
            Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("DefaultEndpointsProtocol", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listKeys", text, StringComparison.OrdinalIgnoreCase);
            Assert.False(name.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("APPLICATIONINSIGHTS", StringComparison.Ordinal), name);
        }
        Assert.DoesNotContain(CompiledTemplate.Strings, s => s.Contains("listKeys(", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_storage_connection_the_code_and_triggers_use_is_identity_based()
    {
        var settings = AppSettings.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var connections = FunctionMetadata.Load(FunctionMetadata.DefaultPath)
            .Select(f => f.Trigger.Get("connection"))
            .OfType<string>()
            .Append(StorageOptions.SectionName)
            .Distinct();
        foreach (var connection in connections)
        {
            foreach (var suffix in new[] { "blobServiceUri", "queueServiceUri", "tableServiceUri" })
            {
                Assert.Contains($"{connection}__{suffix}", settings);
            }
            Assert.Equal("managedidentity", (string?)AppSettings[$"{connection}__credential"]);
            Assert.Contains($"{connection}__clientId", settings);
        }
        Assert.Equal("managedidentity", (string?)AppSettings["AzureWebJobsStorage__credential"]);
        Assert.Contains("AzureWebJobsStorage__accountName", settings);
    }

    [Fact]
    public void The_datas_connection_cannot_resolve_to_the_hosts_storage_and_code_infra_and_readme_name_it_alike()
    {
        var connections = FunctionMetadata.Load(FunctionMetadata.DefaultPath).Select(f => f.Trigger.Get("connection")).OfType<string>().Distinct().ToList();
        Assert.Equal([StorageOptions.SectionName], connections);
        // The host looks a connection "X" up as "AzureWebJobsX" first: no such setting may exist, and "Storage" is out.
        Assert.NotEqual("Storage", StorageOptions.SectionName);
        Assert.DoesNotContain(AppSettings.Select(p => p.Key), k => k.StartsWith("AzureWebJobs" + StorageOptions.SectionName, StringComparison.OrdinalIgnoreCase));

        var readme = RepoFiles.Readme;
        Assert.Contains($"`{StorageOptions.SectionName}:ConnectionString`", readme, StringComparison.Ordinal);
        Assert.Contains($"`{StorageOptions.SectionName}__blobServiceUri`", readme, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"[`\s(]Storage(:|__)(ConnectionString|blobServiceUri|BlobServiceUri)", readme);
    }

    [Fact]
    public void Every_app_setting_named_in_a_trigger_is_provided()
    {
        var settings = AppSettings.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var named = FunctionMetadata.Load(FunctionMetadata.DefaultPath)
            .SelectMany(f => f.Bindings)
            .SelectMany(b => new[] { b.Get("schedule"), b.Get("queueName"), b.Get("path") })
            .OfType<string>()
            .Where(v => v.Length > 2 && v[0] == '%' && v[^1] == '%')
            .Select(v => v[1..^1])
            .ToList();
        Assert.NotEmpty(named);
        Assert.All(named, n => Assert.Contains(n, settings));
    }

    [Fact]
    public void Every_table_container_and_queue_the_code_uses_is_created_by_name()
    {
        var names = JsonSerializer.Deserialize<StorageNameFile>(File.ReadAllText(InfraFile("storage-names.json")), JsonOptions)!;
        Assert.Equal(StorageNames.AllTables.Order(), names.Tables.Order());
        Assert.Equal(StorageNames.AllContainers.Order(), names.PrivateContainers.Concat(names.PublicContainers).Order());
        Assert.Equal(StorageNames.AllQueues.Order(), names.Queues.Order());
        // ... and the compiled template really carries them (loadJsonContent inlines the file).
        foreach (var name in names.Tables.Concat(names.PrivateContainers).Concat(names.PublicContainers).Concat(names.Queues))
        {
            Assert.Contains(name, CompiledTemplate.Strings);
        }
        Assert.Contains(CompiledTemplate.OfType("Microsoft.Storage/storageAccounts/tableServices/tables"), t => t["copy"] is not null);
        Assert.Contains(CompiledTemplate.OfType("Microsoft.Storage/storageAccounts/queueServices/queues"), t => t["copy"] is not null);
    }

    [Fact]
    public void The_queue_triggers_listen_on_queues_that_exist_with_their_poison_queues()
    {
        var names = JsonSerializer.Deserialize<StorageNameFile>(File.ReadAllText(InfraFile("storage-names.json")), JsonOptions)!;
        foreach (var queue in FunctionMetadata.Load(FunctionMetadata.DefaultPath).Select(f => f.Trigger).Where(t => t.Type == "queueTrigger").Select(t => t.Get("queueName")!))
        {
            Assert.Contains(queue, names.Queues);
            // A poison queue has no poison queue of its own (the host gives it none).
            Assert.True(queue.EndsWith("-poison", StringComparison.Ordinal) || names.Queues.Contains(queue + "-poison"), queue);
        }
    }

    [Fact]
    public void Outputs_give_the_readme_its_endpoints()
    {
        var outputs = (JsonObject)CompiledTemplate.Root["outputs"]!;
        foreach (var name in new[]
        {
            "NEWSROOM_API_URL", "NEWSROOM_ORIGIN_API_URL", "NEWSROOM_RENDITIONS_URL", "NEWSROOM_EDGE_HOST", "NEWSROOM_CUSTOM_DOMAIN_VALIDATION_TOKEN",
            "AZURE_STORAGE_ACCOUNT_NAME", "NEWSROOM_HOST_STORAGE_ACCOUNT_NAME", "NEWSROOM_RENDITIONS_STORAGE_ACCOUNT_NAME",
            "AZURE_FUNCTION_APP_NAME", "AZURE_RESOURCE_GROUP", "APPLICATIONINSIGHTS_NAME",
        })
        {
            Assert.True(outputs.ContainsKey(name), name);
        }
    }

    [Fact]
    public void The_desk_signs_in_with_the_entra_tenant_and_app_registration_given_as_parameters_and_never_with_development_tokens()
    {
        Assert.Contains("entraTenantId", (string?)AppSettings["Auth__TenantId"], StringComparison.Ordinal);
        Assert.Contains("entraClientId", (string?)AppSettings["Auth__ClientId"], StringComparison.Ordinal);
        Assert.DoesNotContain(AppSettings.Select(p => p.Key), k => k.StartsWith("Auth__Development", StringComparison.OrdinalIgnoreCase));

        var parameters = (JsonObject)CompiledTemplate.Root["parameters"]!;
        Assert.Equal("[tenant().tenantId]", (string?)parameters["entraTenantId"]!["defaultValue"]);
        Assert.False(((JsonObject)parameters["entraClientId"]!).ContainsKey("defaultValue"), "the client id has no default: a deployment must name its app registration");
        Assert.Equal(36, (int)parameters["entraClientId"]!["minLength"]!);

        // azd fills the parameters from its environment.
        var azd = JsonNode.Parse(File.ReadAllText(InfraFile("main.parameters.json")))!["parameters"]!;
        Assert.Equal("${NEWSROOM_ENTRA_CLIENT_ID}", (string?)azd["entraClientId"]!["value"]);
        Assert.Equal("${NEWSROOM_EDITOR_ORIGIN}", (string?)azd["editorOrigin"]!["value"]);
    }

    [Fact]
    public void Cors_allows_the_configured_editor_origin_only_and_no_credentials()
    {
        var cors = Properties(CompiledTemplate.Single("Microsoft.Web/sites"))["siteConfig"]!["cors"]!;
        Assert.Contains("corsOrigins", (string?)cors["allowedOrigins"], StringComparison.Ordinal);
        Assert.False((bool)cors["supportCredentials"]!);
        var module = CompiledTemplate.OfType("Microsoft.Resources/deployments").Single(d => ((string)d["name"]!).Contains("functionApp", StringComparison.Ordinal));
        // Bicep compiles the conditional to one expression for the whole parameter.
        var passed = Properties(module)["parameters"]!["corsOrigins"]!.ToJsonString();
        Assert.Contains("editorOrigin", passed, StringComparison.Ordinal);
        Assert.Contains("empty(", passed, StringComparison.Ordinal);
        Assert.Equal("", (string?)((JsonObject)CompiledTemplate.Root["parameters"]!)["editorOrigin"]!["defaultValue"]);
    }

    [Fact]
    public void The_app_registrations_roles_are_the_roles_the_code_knows_with_fixed_ids_and_a_script_that_applies_them()
    {
        var roles = JsonNode.Parse(File.ReadAllText(InfraFile(Path.Combine("entra", "app-roles.json"))))!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(Enum.GetNames<Newsroom.Identity.DeskRole>(), roles.Select(r => (string)r["value"]!));
        Assert.All(roles, r =>
        {
            Assert.True(Guid.TryParse((string?)r["id"], out _));
            Assert.Equal(["User"], r["allowedMemberTypes"]!.AsArray().Select(t => (string)t!));
            Assert.True((bool)r["isEnabled"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)r["description"]));
        });
        Assert.Equal(roles.Count, roles.Select(r => (string)r["id"]!).Distinct().Count());

        foreach (var script in new[] { "register.sh", "assign-role.sh" })
        {
            var path = InfraFile(Path.Combine("entra", script));
            Assert.StartsWith("#!/usr/bin/env bash", File.ReadAllText(path), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), script + " is executable");
            }
        }
        var register = File.ReadAllText(InfraFile(Path.Combine("entra", "register.sh")));
        Assert.Contains("--app-roles @\"$here/app-roles.json\"", register, StringComparison.Ordinal);
        Assert.Contains("appRoleAssignmentRequired=true", register, StringComparison.Ordinal);
        Assert.Contains("requestedAccessTokenVersion", register, StringComparison.Ordinal);
        Assert.Contains("access_as_user", register, StringComparison.Ordinal);
    }

    private sealed record StorageNameFile(string[] Tables, string[] PrivateContainers, string[] PublicContainers, string[] Queues);

    private static readonly JsonSerializerOptions JsonOptions = RepoFiles.JsonOptions;

    private static string InfraFile(string name) => RepoFiles.InfraFile(name);
}
