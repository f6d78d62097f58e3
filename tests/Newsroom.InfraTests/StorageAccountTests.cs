using System.Text.Json;
using System.Text.Json.Nodes;
using Newsroom.Storage;

namespace Newsroom.InfraTests;

/// <summary>Three accounts, three exposures: the host's own, the newspaper's data, the public renditions.</summary>
public sealed class StorageAccountTests
{
    private static JsonObject Properties(JsonObject resource) => (JsonObject)resource["properties"]!;

    private static JsonObject Account(string module) => Assert.Single(CompiledTemplate.ModuleResources(module, "Microsoft.Storage/storageAccounts"));

    private static StorageNameFile Names => JsonSerializer.Deserialize<StorageNameFile>(File.ReadAllText(RepoFiles.InfraFile("storage-names.json")), RepoFiles.JsonOptions)!;

    [Theory]
    [InlineData("hostStorage", "sthost")]
    [InlineData("dataStorage", "stdata")]
    [InlineData("renditionsStorage", "strend")]
    public void Each_account_has_its_own_name(string module, string prefix)
    {
        Assert.Equal($"[format('{prefix}{{0}}', variables('resourceToken'))]", CompiledTemplate.ModuleParameter(module, "name"));
        Assert.Equal("[parameters('name')]", (string?)Account(module)["name"]);
    }

    [Fact]
    public void Only_the_renditions_account_allows_public_blob_access_and_only_for_its_renditions_container()
    {
        Assert.False((bool)Properties(Account("hostStorage"))["allowBlobPublicAccess"]!);
        Assert.False((bool)Properties(Account("dataStorage"))["allowBlobPublicAccess"]!);
        Assert.True((bool)Properties(Account("renditionsStorage"))["allowBlobPublicAccess"]!);

        var renditions = Assert.Single(CompiledTemplate.ModuleResources("renditionsStorage", "Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Equal("Blob", (string?)Properties(renditions)["publicAccess"]);
        Assert.Contains("publicContainers", (string?)renditions["name"], StringComparison.Ordinal);
        Assert.Equal("[variables('storageNames').publicContainers]", CompiledTemplate.ModuleParameter("renditionsStorage", "publicContainers"));
        Assert.Equal([StorageNames.RenditionsContainerName], Names.PublicContainers);

        foreach (var module in new[] { "hostStorage", "dataStorage" })
        {
            Assert.All(CompiledTemplate.ModuleResources(module, "Microsoft.Storage/storageAccounts/blobServices/containers"),
                c => Assert.Equal("None", (string?)Properties(c)["publicAccess"]));
        }
    }

    [Fact]
    public void The_data_account_holds_the_private_containers_queues_and_tables_and_the_table_backups()
    {
        Assert.Equal("[variables('storageNames').privateContainers]", CompiledTemplate.ModuleParameter("dataStorage", "containers"));
        Assert.Equal("[variables('storageNames').queues]", CompiledTemplate.ModuleParameter("dataStorage", "queues"));
        Assert.Equal("[variables('storageNames').tables]", CompiledTemplate.ModuleParameter("dataStorage", "tables"));
        Assert.Contains("table-backups", Names.PrivateContainers);
        Assert.DoesNotContain(StorageNames.RenditionsContainerName, Names.PrivateContainers);
        var containers = Assert.Single(CompiledTemplate.ModuleResources("dataStorage", "Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.NotNull(containers["copy"]);
        Assert.Equal("None", (string?)Properties(containers)["publicAccess"]);
    }

    [Fact]
    public void The_data_account_is_zone_redundant_unless_told_otherwise()
    {
        Assert.Equal("[parameters('sku')]", (string?)Account("dataStorage")["sku"]!["name"]);
        Assert.Equal("[parameters('dataStorageSku')]", CompiledTemplate.ModuleParameter("dataStorage", "sku"));
        var sku = CompiledTemplate.Parameter(CompiledTemplate.Root, "dataStorageSku");
        Assert.Equal("Standard_ZRS", (string?)sku["defaultValue"]);
        Assert.Equal(["Standard_GZRS", "Standard_LRS", "Standard_RAGZRS", "Standard_ZRS"], sku["allowedValues"]!.AsArray().Select(v => (string)v!).Order());
        Assert.Equal("${NEWSROOM_DATA_STORAGE_SKU=Standard_ZRS}", RepoFiles.AzdValue("dataStorageSku"));
    }

    [Fact]
    public void Nothing_in_the_data_account_is_lost_by_a_delete_or_an_overwrite()
    {
        var blobService = Assert.Single(CompiledTemplate.ModuleResources("dataStorage", "Microsoft.Storage/storageAccounts/blobServices"));
        var properties = Properties(blobService);
        int Days(JsonNode? policy) => (int)CompiledTemplate.Resolve(blobService, policy!["days"])!;

        Assert.True((bool)properties["isVersioningEnabled"]!);
        Assert.True((bool)properties["changeFeed"]!["enabled"]!);
        Assert.True((bool)properties["deleteRetentionPolicy"]!["enabled"]!);
        Assert.True((bool)properties["containerDeleteRetentionPolicy"]!["enabled"]!);
        Assert.True((bool)properties["restorePolicy"]!["enabled"]!);
        var deleteDays = Days(properties["deleteRetentionPolicy"]);
        Assert.InRange(deleteDays, 7, 365);
        Assert.InRange(Days(properties["containerDeleteRetentionPolicy"]), 7, 365);
        // Point-in-time restore can only reach back less far than soft delete keeps things.
        Assert.InRange(Days(properties["restorePolicy"]), 1, deleteDays - 1);
        var changeFeedDays = (int)CompiledTemplate.Resolve(blobService, properties["changeFeed"]!["retentionInDays"])!;
        Assert.True(changeFeedDays >= Days(properties["restorePolicy"]), "the change feed covers the restore window");

        // Old versions expire, but only well after the restore window.
        var lifecycle = Assert.Single(CompiledTemplate.ModuleResources("dataStorage", "Microsoft.Storage/storageAccounts/managementPolicies"));
        var versionDelete = Properties(lifecycle)["policy"]!["rules"]![0]!["definition"]!["actions"]!["version"]!["delete"]!["daysAfterCreationGreaterThan"];
        Assert.True((int)CompiledTemplate.Resolve(lifecycle, versionDelete)! > Days(properties["restorePolicy"]));
    }

    [Fact]
    public void The_data_account_cannot_be_deleted_while_its_lock_stands()
    {
        var lockResource = Assert.Single(CompiledTemplate.OfType("Microsoft.Authorization/locks"));
        Assert.Contains(lockResource, CompiledTemplate.ModuleResources("dataStorage"));
        Assert.Equal("CanNotDelete", (string?)Properties(lockResource)["level"]);
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]", (string?)lockResource["scope"]);
    }

    [Fact]
    public void The_host_account_holds_the_deployment_package_and_the_hosts_own_containers_and_no_data()
    {
        var containers = CompiledTemplate.ModuleResources("hostStorage", "Microsoft.Storage/storageAccounts/blobServices/containers").ToList();
        Assert.Contains(containers, c => ((string)c["name"]!).Contains("deploymentContainerName", StringComparison.Ordinal));
        var hostContainers = CompiledTemplate.ModuleTemplate("hostStorage")["variables"]!["hostContainers"]!.AsArray().Select(n => (string)n!);
        Assert.Equal(["azure-webjobs-hosts", "azure-webjobs-secrets"], hostContainers.Order());
        Assert.Empty(CompiledTemplate.ModuleResources("hostStorage", "Microsoft.Storage/storageAccounts/queueServices/queues"));
        Assert.Empty(CompiledTemplate.ModuleResources("hostStorage", "Microsoft.Storage/storageAccounts/tableServices/tables"));
        Assert.Equal("Standard_LRS", (string?)Account("hostStorage")["sku"]!["name"]);
    }

    private sealed record StorageNameFile(string[] Tables, string[] PrivateContainers, string[] PublicContainers, string[] Queues);
}
