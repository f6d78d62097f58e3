using System.Text.Json.Nodes;

namespace Newsroom.InfraTests;

/// <summary>Who may do what, and where: each role at the narrowest scope that works.</summary>
public sealed class AccessTests
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string BlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string BlobDelegator = "db58b8e5-c6ad-4a2a-8342-4190687cbf4a";

    private const string AccountScope = "[resourceId('Microsoft.Storage/storageAccounts', ";

    private static JsonObject Properties(JsonObject resource) => (JsonObject)resource["properties"]!;

    private static IReadOnlyList<JsonObject> Assignments => [.. CompiledTemplate.OfType("Microsoft.Authorization/roleAssignments")];

    private static JsonObject Assignment(string symbol) => CompiledTemplate.ModuleResource("access", symbol);

    private static string Role(JsonObject assignment) => CompiledTemplate.Expand(assignment, (string)Properties(assignment)["roleDefinitionId"]!);

    private static string Scope(JsonObject assignment) => (string)assignment["scope"]!;

    [Fact]
    public void Blob_data_owner_is_held_only_on_the_hosts_own_containers()
    {
        var owners = Assignments.Where(a => Role(a).Contains(BlobDataOwner, StringComparison.Ordinal)).ToList();
        var owner = Assert.Single(owners);
        Assert.Equal(Assignment("appHostContainerRoles"), owner);
        Assert.StartsWith("[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('hostStorageAccountName'), 'default', parameters('hostContainerNames')[copyIndex()])", Scope(owner), StringComparison.Ordinal);
        Assert.Equal("[length(parameters('hostContainerNames'))]", (string?)owner["copy"]!["count"]);
        Assert.Equal("[reference('hostStorage').outputs.hostContainerNames.value]", CompiledTemplate.ModuleParameter("access", "hostContainerNames"));
        Assert.DoesNotContain(Assignments, a => Role(a).Contains(BlobDataReader, StringComparison.Ordinal) && Scope(a).StartsWith(AccountScope, StringComparison.Ordinal));
    }

    [Fact]
    public void No_data_role_covers_a_whole_account_but_the_hosts_diagnostic_tables_and_a_developers_opt_in()
    {
        var accountWide = Assignments.Where(a => Scope(a).StartsWith(AccountScope, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, accountWide.Count);
        Assert.Contains(Assignment("appHostTablesRole"), accountWide);
        Assert.Contains(Assignment("deployerDataRoleAssignments"), accountWide);
        // The third grants no data: it lets the app get a user delegation key to sign the print uploads' SAS.
        var delegator = Assignment("appDelegatorRole");
        Assert.Contains(delegator, accountWide);
        Assert.Contains(BlobDelegator, Role(delegator), StringComparison.Ordinal);
        Assert.Contains("dataStorageAccountName", Scope(delegator), StringComparison.Ordinal);
        Assert.Contains(TableDataContributor, Role(Assignment("appHostTablesRole")), StringComparison.Ordinal);
        Assert.Contains("hostStorageAccountName", Scope(Assignment("appHostTablesRole")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("appDataContainerRoles", BlobDataContributor, "Microsoft.Storage/storageAccounts/blobServices/containers", "dataContainerNames", "containerNames")]
    [InlineData("appDataQueueRoles", QueueDataContributor, "Microsoft.Storage/storageAccounts/queueServices/queues", "dataQueueNames", "queueNames")]
    [InlineData("appDataTableRoles", TableDataContributor, "Microsoft.Storage/storageAccounts/tableServices/tables", "dataTableNames", "tableNames")]
    public void The_app_is_contributor_on_each_data_container_queue_and_table_by_name(string symbol, string role, string scopeType, string names, string output)
    {
        var assignment = Assignment(symbol);
        Assert.Contains(role, Role(assignment), StringComparison.Ordinal);
        Assert.StartsWith($"[resourceId('{scopeType}', parameters('dataStorageAccountName'), 'default', parameters('{names}')[copyIndex()])", Scope(assignment), StringComparison.Ordinal);
        Assert.NotNull(assignment["copy"]);
        Assert.Equal("ServicePrincipal", (string?)Properties(assignment)["principalType"]);
        Assert.Equal($"[reference('dataStorage').outputs.{output}.value]", CompiledTemplate.ModuleParameter("access", names));
    }

    [Fact]
    public void The_app_may_write_the_deployment_package_and_the_renditions_and_nothing_else_of_those_accounts()
    {
        var deployment = Assignment("appDeploymentRole");
        Assert.Contains(BlobDataContributor, Role(deployment), StringComparison.Ordinal);
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('hostStorageAccountName'), 'default', parameters('deploymentContainerName'))]", Scope(deployment));

        var renditions = Assignment("appRenditionsRoles");
        Assert.Contains(BlobDataContributor, Role(renditions), StringComparison.Ordinal);
        Assert.StartsWith("[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('renditionsStorageAccountName'), 'default', parameters('renditionsContainerNames')[copyIndex()])", Scope(renditions), StringComparison.Ordinal);
    }

    [Fact]
    public void The_deploying_principals_roles_take_its_type_from_a_parameter()
    {
        Assert.DoesNotContain(Assignments, a => (string?)Properties(a)["principalType"] == "User");
        var deployers = Assignments.Where(a => (string?)Properties(a)["principalId"] == "[parameters('deployerPrincipalId')]").ToList();
        Assert.Equal(2, deployers.Count);
        Assert.All(deployers, a => Assert.Equal("[parameters('deployerPrincipalType')]", (string?)Properties(a)["principalType"]));
        Assert.All(Assignments.Except(deployers), a => Assert.Equal("ServicePrincipal", (string?)Properties(a)["principalType"]));

        Assert.Equal("[parameters('principalType')]", CompiledTemplate.ModuleParameter("access", "deployerPrincipalType"));
        Assert.Equal("[parameters('principalId')]", CompiledTemplate.ModuleParameter("access", "deployerPrincipalId"));
        var type = CompiledTemplate.Parameter(CompiledTemplate.Root, "principalType");
        Assert.Equal("User", (string?)type["defaultValue"]);
        Assert.Equal(["ServicePrincipal", "User"], type["allowedValues"]!.AsArray().Select(v => (string)v!).Order());
        Assert.Equal("${AZURE_PRINCIPAL_TYPE}", RepoFiles.AzdValue("principalType"));
        Assert.Equal("${AZURE_PRINCIPAL_ID}", RepoFiles.AzdValue("principalId"));
    }

    [Fact]
    public void The_deploying_principal_always_may_write_the_package_and_reaches_the_data_only_in_dev_when_asked()
    {
        var package = Assignment("deployerDeploymentRole");
        Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", (string?)package["condition"]);
        Assert.Contains(BlobDataContributor, Role(package), StringComparison.Ordinal);
        Assert.Equal(Scope(Assignment("appDeploymentRole")), Scope(package));

        var data = Assignment("deployerDataRoleAssignments");
        Assert.Equal("[length(variables('deployerDataRoles'))]", (string?)data["copy"]!["count"]);
        var roles = (string)CompiledTemplate.ModuleTemplate("access")["variables"]!["deployerDataRoles"]!;
        Assert.StartsWith("[if(and(parameters('deployerDataAccess'), not(empty(parameters('deployerPrincipalId'))))", roles, StringComparison.Ordinal);
        Assert.Equal("[and(parameters('deployerDataAccess'), equals(parameters('environmentType'), 'dev'))]", CompiledTemplate.ModuleParameter("access", "deployerDataAccess"));

        var optIn = CompiledTemplate.Parameter(CompiledTemplate.Root, "deployerDataAccess");
        Assert.Equal("bool", (string?)optIn["type"]);
        Assert.False((bool)optIn["defaultValue"]!);
        var environmentType = CompiledTemplate.Parameter(CompiledTemplate.Root, "environmentType");
        Assert.Equal("prod", (string?)environmentType["defaultValue"]);
        Assert.Equal(["dev", "prod"], environmentType["allowedValues"]!.AsArray().Select(v => (string)v!).Order());
        Assert.Equal("${NEWSROOM_DEPLOYER_DATA_ACCESS=false}", RepoFiles.AzdValue("deployerDataAccess"));
        Assert.Equal("${NEWSROOM_ENVIRONMENT_TYPE=prod}", RepoFiles.AzdValue("environmentType"));
    }

    [Fact]
    public void Takedowns_purge_the_edge_through_a_custom_role_that_allows_only_the_purge_on_this_profile()
    {
        var definition = Assert.Single(CompiledTemplate.OfType("Microsoft.Authorization/roleDefinitions"));
        var properties = Properties(definition);
        Assert.Equal("CustomRole", (string?)properties["type"]);
        Assert.Equal(["[resourceGroup().id]"], properties["assignableScopes"]!.AsArray().Select(s => (string)s!));
        var permission = Assert.Single(properties["permissions"]!.AsArray())!;
        Assert.Equal(
            ["Microsoft.Cdn/profiles/afdendpoints/purge/action", "Microsoft.Cdn/profiles/afdendpoints/read"],
            permission["actions"]!.AsArray().Select(a => (string)a!).Order());
        Assert.Empty(permission["dataActions"]!.AsArray());
        Assert.Contains("resourceToken", CompiledTemplate.ModuleParameter("access", "purgeRoleName"), StringComparison.Ordinal);

        var assignment = Assignment("appPurgeRole");
        Assert.Equal("[resourceId('Microsoft.Cdn/profiles', parameters('edgeProfileName'))]", Scope(assignment));
        Assert.Equal("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('purgeRoleId'))]", (string?)Properties(assignment)["roleDefinitionId"]);
        Assert.Equal("[variables('purgeRoleId')]", (string?)definition["name"]);
        Assert.Equal("[parameters('identityPrincipalId')]", (string?)Properties(assignment)["principalId"]);
        Assert.Equal("[reference('edgeProfile').outputs.profileName.value]", CompiledTemplate.ModuleParameter("access", "edgeProfileName"));
    }
}
