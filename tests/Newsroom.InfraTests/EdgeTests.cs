using System.Text.Json.Nodes;
using Newsroom.Storage;

namespace Newsroom.InfraTests;

/// <summary>Azure Front Door Standard in front of the API and the renditions, and the only way in.</summary>
public sealed class EdgeTests
{
    private static JsonObject Properties(JsonObject resource) => (JsonObject)resource["properties"]!;

    private static JsonObject AppSettings => Properties(CompiledTemplate.OfType("Microsoft.Web/sites/config").Single(r => ((string)r["name"]!).Contains("appsettings", StringComparison.Ordinal)));

    private static JsonObject SiteConfig => (JsonObject)Properties(CompiledTemplate.Single("Microsoft.Web/sites"))["siteConfig"]!;

    // Readers reach the newspaper at the custom domain when there is one, else at the endpoint's own host.
    private const string PublicHost = "if(empty(parameters('customDomain')), reference('edgeProfile').outputs.endpointHostName.value, parameters('customDomain'))";

    private static JsonObject Route(string name) =>
        Assert.Single(CompiledTemplate.OfType("Microsoft.Cdn/profiles/afdEndpoints/routes"), r => ((string)r["name"]!).EndsWith($"'{name}')]", StringComparison.Ordinal));

    private static JsonObject OriginGroup(string name) =>
        Assert.Single(CompiledTemplate.OfType("Microsoft.Cdn/profiles/originGroups"), r => ((string)r["name"]!).EndsWith($"'{name}')]", StringComparison.Ordinal));

    [Fact]
    public void The_edge_is_one_front_door_standard_profile_with_one_endpoint()
    {
        var profile = CompiledTemplate.Single("Microsoft.Cdn/profiles");
        Assert.Equal("Standard_AzureFrontDoor", (string?)profile["sku"]!["name"]);
        Assert.Equal("global", (string?)profile["location"]);
        Assert.Equal("[format('afd-newsroom-{0}', variables('resourceToken'))]", CompiledTemplate.ModuleParameter("edgeProfile", "profileName"));
        Assert.Single(CompiledTemplate.OfType("Microsoft.Cdn/profiles/afdEndpoints"));
        Assert.Empty(CompiledTemplate.OfType("Microsoft.Cdn/profiles/ruleSets"));
    }

    [Fact]
    public void The_api_origin_is_the_function_app_probed_on_the_homepage_and_the_renditions_origin_is_the_renditions_account()
    {
        var origins = CompiledTemplate.OfType("Microsoft.Cdn/profiles/originGroups/origins").ToList();
        Assert.Equal(2, origins.Count);

        var api = Assert.Single(origins, o => ((string)o["name"]!).Contains("'api'", StringComparison.Ordinal));
        Assert.Equal("[parameters('apiHostName')]", (string?)Properties(api)["hostName"]);
        Assert.Equal("[parameters('apiHostName')]", (string?)Properties(api)["originHostHeader"]);
        Assert.Equal("[reference('functionApp').outputs.defaultHostName.value]", CompiledTemplate.ModuleParameter("edgeRoutes", "apiHostName"));
        var probe = Properties(OriginGroup("api"))["healthProbeSettings"]!;
        Assert.Equal("/api/homepage", (string?)probe["probePath"]);
        Assert.Contains((string?)probe["probeRequestType"], new[] { "GET", "HEAD" });
        Assert.Equal("Https", (string?)probe["probeProtocol"]);
        Assert.InRange((int)probe["probeIntervalInSeconds"]!, 30, 255);

        var renditions = Assert.Single(origins, o => ((string)o["name"]!).Contains("'renditions'", StringComparison.Ordinal));
        Assert.Equal("[parameters('renditionsHostName')]", (string?)Properties(renditions)["hostName"]);
        Assert.Equal("[parameters('renditionsHostName')]", (string?)Properties(renditions)["originHostHeader"]);
        Assert.Equal("[reference('renditionsStorage').outputs.blobHost.value]", CompiledTemplate.ModuleParameter("edgeRoutes", "renditionsHostName"));
        Assert.All(origins, o => Assert.True((bool)Properties(o)["enforceCertificateNameCheck"]!));
    }

    [Theory]
    [InlineData("api", "/api/*")]
    [InlineData("renditions", "/renditions/*")]
    public void Each_route_caches_by_query_string_compresses_and_speaks_https_to_its_origin(string name, string pattern)
    {
        var route = Route(name);
        var properties = Properties(route);
        Assert.Equal([pattern], properties["patternsToMatch"]!.AsArray().Select(p => (string)p!));
        Assert.EndsWith($"'{name}')]", (string?)properties["originGroup"]!["id"], StringComparison.Ordinal);
        Assert.False(properties.ContainsKey("originPath"), "no origin path: /renditions/x is the renditions container's blob x");
        Assert.Equal("HttpsOnly", (string?)properties["forwardingProtocol"]);
        Assert.Equal("Enabled", (string?)properties["httpsRedirect"]);
        Assert.Equal("Enabled", (string?)properties["linkToDefaultDomain"]);
        Assert.Equal(["Http", "Https"], properties["supportedProtocols"]!.AsArray().Select(p => (string)p!).Order());

        var cache = (JsonObject)CompiledTemplate.Resolve(route, properties["cacheConfiguration"])!;
        // Listings page with ?cursor=: the query string is part of the cache key.
        Assert.Equal("UseQueryString", (string?)cache["queryStringCachingBehavior"]);
        Assert.True((bool)cache["compressionSettings"]!["isCompressionEnabled"]!);
        var types = CompiledTemplate.Resolve(route, cache["compressionSettings"]!["contentTypesToCompress"])!.AsArray().Select(t => (string)t!).ToList();
        foreach (var type in new[] { "application/json", "application/problem+json", "application/rss+xml", "application/xml", "text/xml", "text/plain" })
        {
            Assert.Contains(type, types);
        }
        // The origin's Cache-Control decides how long: nothing overrides it.
        Assert.Equal(["compressionSettings", "queryStringCachingBehavior"], cache.Select(p => p.Key).Order());
    }

    [Fact]
    public void A_custom_domain_gets_a_managed_certificate_and_both_routes_only_when_one_is_given()
    {
        var domain = CompiledTemplate.Single("Microsoft.Cdn/profiles/customDomains");
        Assert.Equal("[not(empty(parameters('customDomain')))]", (string?)domain["condition"]);
        Assert.Equal("[parameters('customDomain')]", (string?)Properties(domain)["hostName"]);
        Assert.Equal("ManagedCertificate", (string?)Properties(domain)["tlsSettings"]!["certificateType"]);
        Assert.Equal("TLS12", (string?)Properties(domain)["tlsSettings"]!["minimumTlsVersion"]);
        foreach (var route in new[] { Route("api"), Route("renditions") })
        {
            var domains = (string)CompiledTemplate.Resolve(route, Properties(route)["customDomains"])!;
            Assert.StartsWith("[if(empty(parameters('customDomain')), createArray(), createArray(createObject('id', resourceId('Microsoft.Cdn/profiles/customDomains'", domains, StringComparison.Ordinal);
        }

        var parameter = CompiledTemplate.Parameter(CompiledTemplate.Root, "customDomain");
        Assert.Equal("", (string?)parameter["defaultValue"]);
        Assert.Equal("${NEWSROOM_CUSTOM_DOMAIN}", RepoFiles.AzdValue("customDomain"));
        Assert.Contains("validationProperties.validationToken", (string?)CompiledTemplate.ModuleTemplate("edgeRoutes")["outputs"]!["customDomainValidationToken"]!["value"], StringComparison.Ordinal);
        Assert.Equal("[reference('edgeRoutes').outputs.customDomainValidationToken.value]", (string?)CompiledTemplate.Root["outputs"]!["NEWSROOM_CUSTOM_DOMAIN_VALIDATION_TOKEN"]!["value"]);
    }

    [Fact]
    public void The_function_app_accepts_traffic_only_from_this_front_door_profile_but_azd_still_reaches_its_scm_site()
    {
        var rule = Assert.Single(SiteConfig["ipSecurityRestrictions"]!.AsArray())!;
        Assert.Equal("AzureFrontDoor.Backend", (string?)rule["ipAddress"]);
        Assert.Equal("ServiceTag", (string?)rule["tag"]);
        Assert.Equal("Allow", (string?)rule["action"]);
        Assert.Equal(["[parameters('frontDoorId')]"], rule["headers"]!["x-azure-fdid"]!.AsArray().Select(h => (string)h!));
        Assert.Equal("Deny", (string?)SiteConfig["ipSecurityRestrictionsDefaultAction"]);
        Assert.False((bool)SiteConfig["scmIpSecurityRestrictionsUseMain"]!);
        Assert.Equal("Allow", (string?)SiteConfig["scmIpSecurityRestrictionsDefaultAction"]);

        // The header value is this profile's own Front Door id.
        Assert.Equal("[reference('edgeProfile').outputs.frontDoorId.value]", CompiledTemplate.ModuleParameter("functionApp", "frontDoorId"));
        Assert.Contains("frontDoorId", (string?)CompiledTemplate.ModuleTemplate("edgeProfile")["outputs"]!["frontDoorId"]!["value"], StringComparison.Ordinal);
        Assert.Contains("Microsoft.Cdn/profiles", (string?)CompiledTemplate.ModuleTemplate("edgeProfile")["outputs"]!["frontDoorId"]!["value"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_knows_the_endpoint_to_purge_and_the_public_address_of_renditions()
    {
        Assert.Equal("[parameters('edgeEndpointResourceId')]", (string?)AppSettings["Edge__EndpointResourceId"]);
        Assert.Equal("[reference('edgeProfile').outputs.endpointId.value]", CompiledTemplate.ModuleParameter("functionApp", "edgeEndpointResourceId"));
        Assert.Contains("Microsoft.Cdn/profiles/afdEndpoints", (string?)CompiledTemplate.ModuleTemplate("edgeProfile")["outputs"]!["endpointId"]!["value"], StringComparison.Ordinal);
        Assert.Equal("[parameters('identityClientId')]", (string?)AppSettings["Edge__ClientId"]);
        // No domains: a purge names none and so applies to every domain of the endpoint, the custom one included.
        Assert.DoesNotContain(AppSettings, p => p.Key.StartsWith("Edge__Domains", StringComparison.Ordinal));

        Assert.Equal("[parameters('photosPublicBaseUrl')]", (string?)AppSettings["Photos__PublicBaseUrl"]);
        Assert.Equal($"[format('https://{{0}}/{{1}}', {PublicHost}, variables('storageNames').publicContainers[0])]", CompiledTemplate.ModuleParameter("functionApp", "photosPublicBaseUrl"));
    }

    [Fact]
    public void Feeds_and_sitemaps_link_to_the_reader_facing_site_and_the_public_api_through_the_edge()
    {
        Assert.Equal("[parameters('siteBaseUrl')]", (string?)AppSettings["Site__BaseUrl"]);
        // Bicep compiles the conditional to one expression for the whole parameter ({value: …} on each branch).
        Assert.Equal(
            $"[if(empty(parameters('siteBaseUrl')), createObject('value', format('https://{{0}}', {PublicHost})), createObject('value', parameters('siteBaseUrl')))]",
            (string?)CompiledTemplate.Module("functionApp")["properties"]!["parameters"]!["siteBaseUrl"]);
        Assert.Equal("[parameters('siteApiBaseUrl')]", (string?)AppSettings["Site__ApiBaseUrl"]);
        Assert.Equal($"[format('https://{{0}}/api', {PublicHost})]", CompiledTemplate.ModuleParameter("functionApp", "siteApiBaseUrl"));
        Assert.Equal("[parameters('siteName')]", (string?)AppSettings["Site__Name"]);
        Assert.Equal("${NEWSROOM_SITE_BASE_URL}", RepoFiles.AzdValue("siteBaseUrl"));
        Assert.Equal("${NEWSROOM_SITE_NAME=Newsroom}", RepoFiles.AzdValue("siteName"));
    }

    [Fact]
    public void The_renditions_connection_is_identity_based_and_points_at_the_renditions_account()
    {
        Assert.Equal("[parameters('renditionsBlobEndpoint')]", (string?)AppSettings["NewsroomRenditions__blobServiceUri"]);
        Assert.Equal("[reference('renditionsStorage').outputs.blobEndpoint.value]", CompiledTemplate.ModuleParameter("functionApp", "renditionsBlobEndpoint"));
        Assert.Equal("managedidentity", (string?)AppSettings["NewsroomRenditions__credential"]);
        Assert.Equal("[parameters('identityClientId')]", (string?)AppSettings["NewsroomRenditions__clientId"]);
        Assert.Equal(StorageNames.RenditionsContainerName, RepoFiles.InfraJson("storage-names.json")["publicContainers"]![0]!.GetValue<string>());
    }

    [Fact]
    public void The_outputs_are_the_edges_addresses()
    {
        var outputs = CompiledTemplate.Root["outputs"]!;
        Assert.Equal($"[format('https://{{0}}/api', {PublicHost})]", (string?)outputs["NEWSROOM_API_URL"]!["value"]);
        Assert.Equal($"[format('https://{{0}}/{{1}}', {PublicHost}, variables('storageNames').publicContainers[0])]", (string?)outputs["NEWSROOM_RENDITIONS_URL"]!["value"]);
        Assert.Equal("[reference('edgeProfile').outputs.endpointHostName.value]", (string?)outputs["NEWSROOM_EDGE_HOST"]!["value"]);
        Assert.Equal("[format('{0}/api', reference('functionApp').outputs.url.value)]", (string?)outputs["NEWSROOM_ORIGIN_API_URL"]!["value"]);
        Assert.Equal("[reference('dataStorage').outputs.name.value]", (string?)outputs["AZURE_STORAGE_ACCOUNT_NAME"]!["value"]);
        Assert.Equal("[reference('hostStorage').outputs.name.value]", (string?)outputs["NEWSROOM_HOST_STORAGE_ACCOUNT_NAME"]!["value"]);
        Assert.Equal("[reference('renditionsStorage').outputs.name.value]", (string?)outputs["NEWSROOM_RENDITIONS_STORAGE_ACCOUNT_NAME"]!["value"]);
    }
}
