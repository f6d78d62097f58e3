using System.Text.Json.Nodes;

namespace Newsroom.InfraTests;

/// <summary>Azure AI Search: keys off, the app's identity with exactly the roles it needs on this service, the app pointed at it.</summary>
public sealed class SearchTests
{
    private static JsonObject Properties(JsonObject resource) => (JsonObject)resource["properties"]!;

    private static JsonObject AppSettings => Properties(CompiledTemplate.OfType("Microsoft.Web/sites/config").Single(r => ((string)r["name"]!).Contains("appsettings", StringComparison.Ordinal)));

    [Fact]
    public void The_search_service_takes_no_keys_and_its_tier_is_a_parameter_that_azd_fills()
    {
        var search = CompiledTemplate.Single("Microsoft.Search/searchServices");
        Assert.True((bool)Properties(search)["disableLocalAuth"]!);
        Assert.Equal("[parameters('sku')]", (string?)search["sku"]!["name"]);
        Assert.Equal("[parameters('searchSku')]", CompiledTemplate.ModuleParameter("search", "sku"));
        Assert.Equal("basic", (string?)CompiledTemplate.Parameter(CompiledTemplate.Root, "searchSku")["defaultValue"]);
        Assert.DoesNotContain("free", CompiledTemplate.Parameter(CompiledTemplate.Root, "searchSku")["allowedValues"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("${NEWSROOM_SEARCH_SKU=basic}", RepoFiles.AzdValue("searchSku"));
    }

    [Fact]
    public void The_apps_identity_may_define_the_index_and_read_and_write_documents_on_this_service_only()
    {
        var roles = CompiledTemplate.ModuleResources("search", "Microsoft.Authorization/roleAssignments").Single();
        Assert.Contains("Microsoft.Search/searchServices", (string?)roles["scope"], StringComparison.Ordinal);
        Assert.Contains("copy", roles.Select(p => p.Key)); // one assignment per role
        var ids = CompiledTemplate.ModuleTemplate("search")["variables"]!.AsObject().Select(v => (string?)v.Value).ToList();
        Assert.Contains("8ebe5a00-799e-43f5-93ac-243d3dce84a7", ids); // Search Index Data Contributor
        Assert.Contains("7ca78c08-252a-4471-8644-bb5ff32d4ba0", ids); // Search Service Contributor
        Assert.Equal("ServicePrincipal", (string?)Properties(roles)["principalType"]);
        Assert.Equal("[reference('identity').outputs.principalId.value]", CompiledTemplate.ModuleParameter("search", "identityPrincipalId"));
    }

    [Fact]
    public void The_app_searches_on_the_managed_engine_as_its_managed_identity()
    {
        Assert.Equal("azure", (string?)AppSettings["Search__Engine"]);
        Assert.Equal("[parameters('searchEndpoint')]", (string?)AppSettings["Search__Endpoint"]);
        Assert.Equal("[reference('search').outputs.endpoint.value]", CompiledTemplate.ModuleParameter("functionApp", "searchEndpoint"));
        Assert.Equal("[parameters('identityClientId')]", (string?)AppSettings["Search__ClientId"]);
        var diagnostics = Assert.Single(CompiledTemplate.ModuleResources("search", "Microsoft.Insights/diagnosticSettings"));
        Assert.Contains("logAnalyticsId", (string?)Properties(diagnostics)["workspaceId"], StringComparison.Ordinal);
    }
}
