using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Newsroom.Functions;
using Newsroom.LocalHost.Hosting;

namespace Newsroom.IntegrationTests.Wiring;

/// <summary>
/// Builds the real Functions app host (Build, not Start) with the composition Program.cs uses, and
/// creates every function class from it, so a missing registration fails here rather than in Azure.
/// </summary>
public sealed class CompositionTests
{
    [Fact]
    public void Every_function_class_resolves_from_the_functions_app_host()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Identity-based settings as in Azure: no connection string anywhere.
            ["NewsroomStorage:BlobServiceUri"] = "https://stnewsroom.blob.core.windows.net",
            ["NewsroomStorage:QueueServiceUri"] = "https://stnewsroom.queue.core.windows.net",
            ["NewsroomStorage:TableServiceUri"] = "https://stnewsroom.table.core.windows.net",
            ["NewsroomStorage:Credential"] = "managedidentity",
            ["NewsroomStorage:ClientId"] = "00000000-0000-0000-0000-000000000001",
            // The desk signs in with Entra ID, as in Azure.
            ["Auth:TenantId"] = "11111111-1111-1111-1111-111111111111",
            ["Auth:ClientId"] = "22222222-2222-2222-2222-222222222222",
            ["WEBSITE_SITE_NAME"] = "func-newsroom",
        });
        builder.ComposeNewsroom();
        using var host = builder.Build();

        var classes = FunctionMetadata.Load(FunctionMetadata.DefaultPath)
            .Select(f => f.ResolveMethod().DeclaringType!)
            .Distinct()
            .ToList();
        Assert.NotEmpty(classes);
        using var scope = host.Services.CreateScope();
        foreach (var type in classes)
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void As_in_azure_telemetry_is_exported_renditions_have_their_account_and_purges_go_to_the_edge_and_locally_none_of_it(bool azure)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        var settings = new Dictionary<string, string?>
        {
            ["NewsroomStorage:BlobServiceUri"] = "https://stdatanews.blob.core.windows.net",
            ["NewsroomStorage:QueueServiceUri"] = "https://stdatanews.queue.core.windows.net",
            ["NewsroomStorage:TableServiceUri"] = "https://stdatanews.table.core.windows.net",
            ["NewsroomStorage:Credential"] = "managedidentity",
            ["Auth:TenantId"] = "11111111-1111-1111-1111-111111111111",
            ["Auth:ClientId"] = "22222222-2222-2222-2222-222222222222",
        };
        if (azure)
        {
            settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://southeastasia-1.in.applicationinsights.azure.com/";
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "ClientId=00000000-0000-0000-0000-000000000001;Authorization=AAD";
            settings["NewsroomRenditions:BlobServiceUri"] = "https://strendnews.blob.core.windows.net";
            settings["NewsroomRenditions:Credential"] = "managedidentity";
            settings["Edge:EndpointResourceId"] = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cdn/profiles/afd/afdEndpoints/news";
            settings["Edge:ClientId"] = "00000000-0000-0000-0000-000000000001";
            settings["Search:Engine"] = "azure";
            settings["Search:Endpoint"] = "https://srch-newsroom.search.windows.net";
            settings["Search:ClientId"] = "00000000-0000-0000-0000-000000000001";
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ComposeNewsroom();
        using var host = builder.Build();

        Assert.Equal(azure, host.Services.GetService<OpenTelemetry.Trace.TracerProvider>() is not null);
        Assert.Equal(azure, host.Services.GetService<OpenTelemetry.Metrics.MeterProvider>() is not null);
        var renditions = host.Services.GetRequiredService<Newsroom.Storage.StorageClients>().Container(Newsroom.Storage.StorageNames.RenditionsContainerName).Uri.Host;
        Assert.Equal(azure ? "strendnews.blob.core.windows.net" : "stdatanews.blob.core.windows.net", renditions);
        Assert.Equal(azure, host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Newsroom.Edge.EdgeOptions>>().Value.Enabled);
        Assert.NotNull(host.Services.GetRequiredService<Newsroom.Edge.EdgePurger>());
        Assert.Equal(azure ? typeof(Newsroom.Search.AzureSearchEngine) : typeof(Newsroom.Search.LuceneSearchEngine), host.Services.GetRequiredService<Newsroom.Search.ISearchEngine>().GetType());
    }

    [Theory]
    [InlineData("ClientId=abc;Authorization=AAD", "abc")]
    [InlineData(" Authorization = aad ; ClientId = abc ", "abc")]
    [InlineData("Authorization=AAD", null)]
    [InlineData("ClientId=abc", null)]
    [InlineData("", null)]
    public void The_exporter_signs_in_as_the_identity_the_authentication_string_names(string value, string? clientId) =>
        Assert.Equal(clientId, Newsroom.Functions.Telemetry.ClientIdOf(value));

    [Fact]
    public void Storage_settings_missing_fail_at_start_with_a_message_that_names_them()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.ComposeNewsroom();
        using var host = builder.Build();
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Newsroom.Storage.StorageOptions>>().Value);
        Assert.Contains("NewsroomStorage:ConnectionString", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_in_settings_missing_fail_at_start_with_a_message_that_names_them()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.ComposeNewsroom();
        using var host = builder.Build();
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Newsroom.Identity.AuthOptions>>().Value);
        Assert.Contains("Auth:TenantId", e.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:ClientId", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_azure_the_app_refuses_to_start_with_the_local_hosts_development_token_settings()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WEBSITE_SITE_NAME"] = "func-newsroom",
            ["Auth:TenantId"] = "11111111-1111-1111-1111-111111111111",
            ["Auth:ClientId"] = "22222222-2222-2222-2222-222222222222",
            ["Auth:DevelopmentIssuer"] = "https://newsroom.localhost/dev-token-issuer",
            ["Auth:DevelopmentSigningKey"] = "{}",
        });
        builder.ComposeNewsroom();
        using var host = builder.Build();
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Newsroom.Identity.AuthOptions>>().Value);
        Assert.Contains("local host only", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, null, "Site:BaseUrl must be set on Azure")]
    [InlineData(false, null, null)]
    [InlineData(false, "ftp://baothainguyen.example.vn", "absolute http(s) URL")]
    [InlineData(true, "https://baothainguyen.example.vn", null)]
    public void The_public_sites_address_is_required_on_azure_and_checked_everywhere(bool azure, string? baseUrl, string? error)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        var settings = new Dictionary<string, string?> { ["Site:BaseUrl"] = baseUrl };
        if (azure)
        {
            settings["WEBSITE_SITE_NAME"] = "func-newsroom";
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ComposeNewsroom();
        using var host = builder.Build();
        var options = () => host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Newsroom.Site.SiteOptions>>().Value;
        if (error is null)
        {
            Assert.Equal(baseUrl ?? Newsroom.Site.SiteOptions.LocalBaseUrl.ToString(), options().Base.ToString().TrimEnd('/') + (baseUrl is null ? "/" : ""));
        }
        else
        {
            Assert.Contains(error, Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(options).Message, StringComparison.Ordinal);
        }
    }
}
